import type { Queryable } from '../../db/driver.ts';
import type { Admission } from '../../contract/tickets.ts';

/** A ticket with what a person needs to find their place: seat, row, zone names, show start, check-in. */
export interface TicketRow {
  id: string;
  order_id: string;
  order_code: string;
  order_status: 'PENDING' | 'PAID' | 'CANCELLED';
  show_date: string;
  /** shows.starts_at when the shows module has it (read through to_jsonb so this works with or without it) */
  starts_at: string | null;
  admission: Admission;
  seat_id: string | null;
  zone_id: string | null;
  zone_en: string | null;
  zone_th: string | null;
  row_label: string | null;
  seat_number: number | null;
  place_no: number;
  secret: string;
  secret_hash: string;
  status: 'VALID' | 'REVOKED';
  checked_in_at: Date | null;
  checked_in_gate: string | null;
}

/** How far before `since` a manifest update looks again (transactions in flight at that moment). */
const MANIFEST_OVERLAP = '10 seconds';

const TICKET_SELECT = `
  SELECT t.id, t.order_id, o.code AS order_code, o.status AS order_status, t.show_date,
         to_jsonb(sh) ->> 'starts_at' AS starts_at,
         t.admission, t.seat_id, t.zone_id, z.name_en AS zone_en, z.name_th AS zone_th,
         st.row_label, st.seat_number, t.place_no, t.secret, t.secret_hash, t.status,
         c.scanned_at AS checked_in_at, c.gate AS checked_in_gate
    FROM tickets t
    JOIN orders o ON o.id = t.order_id
    JOIN shows sh ON sh.show_date = t.show_date
    LEFT JOIN seats st ON st.id = t.seat_id
    LEFT JOIN venue_zones z ON z.id = t.zone_id
    LEFT JOIN checkins c ON c.ticket_id = t.id`;

export const ticketsRepository = {
  /** Issues one ticket per item of a PAID order that has none yet (bo_issue_tickets); returns how many were made. */
  async issue(q: Queryable, orderId: string): Promise<number> {
    const { rows } = await q.query<{ n: number }>('SELECT bo_issue_tickets($1) AS n', [orderId]);
    return Number(rows[0].n);
  },

  /** Revokes the tickets of items no longer sold (bo_revoke_tickets); returns how many were revoked. */
  async revoke(q: Queryable, orderId: string, now: Date): Promise<number> {
    const { rows } = await q.query<{ n: number }>('SELECT bo_revoke_tickets($1, $2) AS n', [orderId, now]);
    return Number(rows[0].n);
  },

  /** The order's tickets: seats by id, then standing places. */
  async forOrder(q: Queryable, orderId: string): Promise<TicketRow[]> {
    const { rows } = await q.query<TicketRow>(`${TICKET_SELECT} WHERE t.order_id = $1 ORDER BY t.admission, t.seat_id, t.place_no`, [orderId]);
    return rows;
  },

  /**
   * The ticket whose secret hashes to `hash`, share-locked: a revocation waits for a check-in in flight (and the
   * reverse), while scans of one ticket at several gates do not queue behind each other (the checkins unique index
   * decides between them).
   */
  async byHashForUpdate(q: Queryable, hash: string): Promise<TicketRow | undefined> {
    const { rows: locked } = await q.query<{ id: string }>('SELECT id FROM tickets WHERE secret_hash = $1 FOR SHARE', [hash]);
    if (!locked[0]) return undefined;
    const { rows } = await q.query<TicketRow>(`${TICKET_SELECT} WHERE t.id = $1`, [locked[0].id]);
    return rows[0];
  },

  /**
   * The show's tickets for offline scanning; with `since`, only those issued, revoked or checked in after it, less
   * MANIFEST_OVERLAP: a change stamped just before `since` whose transaction committed just after it is not missed
   * (scanners merge entries by hash, so seeing one twice is harmless).
   */
  async manifest(q: Queryable, showDate: string, since?: Date): Promise<{ rows: TicketRow[]; generatedAt: Date }> {
    const { rows: clock } = await q.query<{ now: Date }>('SELECT now() AS now');
    const { rows } = await q.query<TicketRow>(
      `${TICKET_SELECT}
        WHERE t.show_date = $1
          AND ($2::timestamptz IS NULL OR greatest(t.created_at, t.revoked_at, c.created_at) > $2::timestamptz - interval '${MANIFEST_OVERLAP}')
        ORDER BY t.admission, t.seat_id, t.order_id, t.place_no`,
      [showDate, since ?? null],
    );
    return { rows, generatedAt: clock[0].now };
  },

  /** Admitted and admissible (not revoked) tickets of a show. */
  async counts(q: Queryable, showDate: string): Promise<{ admitted: number; total: number }> {
    const { rows } = await q.query<{ admitted: number; total: number }>(
      `SELECT (SELECT count(*)::int FROM checkins WHERE show_date = $1) AS admitted,
              (SELECT count(*)::int FROM tickets WHERE show_date = $1 AND status = 'VALID') AS total`,
      [showDate],
    );
    return rows[0];
  },

  /**
   * Claims a scanner nonce. Returns undefined when this transaction owns it now, or the answer stored by the
   * transaction that owned it first (a concurrent claim waits on the unique key until that one commits).
   */
  async claimNonce(q: Queryable, userId: string, nonce: string): Promise<{ answer: unknown } | undefined> {
    const { rows } = await q.query('INSERT INTO checkin_scans (user_id, nonce) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1', [userId, nonce]);
    if (rows.length) return undefined;
    const { rows: prior } = await q.query<{ answer: unknown }>('SELECT answer FROM checkin_scans WHERE user_id = $1 AND nonce = $2', [userId, nonce]);
    return { answer: prior[0]?.answer ?? null };
  },

  async storeAnswer(q: Queryable, userId: string, nonce: string, answer: unknown): Promise<void> {
    await q.query('UPDATE checkin_scans SET answer = $3 WHERE user_id = $1 AND nonce = $2', [userId, nonce, JSON.stringify(answer)]);
  },

  /** Inserts the ticket's one check-in; false when it already has one (the unique index decides). */
  async admit(q: Queryable, c: { ticketId: string; showDate: string; gate?: string; scannedAt: Date; userId: string; forced: boolean }): Promise<boolean> {
    const { rows } = await q.query(
      `INSERT INTO checkins (ticket_id, show_date, gate, scanned_at, user_id, forced) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (ticket_id) DO NOTHING RETURNING 1`,
      [c.ticketId, c.showDate, c.gate ?? null, c.scannedAt, c.userId, c.forced],
    );
    return rows.length === 1;
  },

  async firstCheckin(q: Queryable, ticketId: string): Promise<{ scanned_at: Date; gate: string | null } | undefined> {
    const { rows } = await q.query<{ scanned_at: Date; gate: string | null }>('SELECT scanned_at, gate FROM checkins WHERE ticket_id = $1', [ticketId]);
    return rows[0];
  },
};
