import type { Queryable } from '../../db/driver.ts';
import type { SeatState } from '../../contract/common.ts';
import type { ShowStatus } from '../../contract/catalog.ts';
import type { VenueLayout } from './venue.ts';

export interface ShowRow {
  show_date: string;
  title: string;
  status: ShowStatus;
  seq: number;
  starts_at: Date;
  sales_close_at: Date;
  /** the show's own price overrides (zone id / standing type → THB) */
  prices: Record<string, number>;
  cancelled_at: Date | null;
  cancel_note: string | null;
  available: number;
  locked: number;
  booked: number;
  blocked: number;
}

/** A show's standing area as the seat map reads it. */
export interface StandingRow {
  capacity: number;
  available: number;
  nameEn: string;
  nameTh: string;
  priceAdult: number;
  priceChild: number;
}

export interface ZoneRow {
  id: string;
  name_en: string;
  name_th: string;
  ticket_type: string;
  price: number;
  currency: string;
}

export interface InventorySeatRow {
  seq: number;
  id: string;
  zone_id: string;
  row_label: string;
  seat_number: number;
  x: number;
  y: number;
  state: SeatState;
  holder_id: string | null;
  hold_expires_at: Date | null;
  block_reason: string | null;
}

const SHOW_COLUMNS = 's.show_date, s.title, s.status, s.seq, s.starts_at, s.sales_close_at, s.prices, s.cancelled_at, s.cancel_note';

/**
 * The seat counts of the show `s`, read from its seats that are NOT available (index seat_inventory_taken) and
 * its `seat_count`: a fresh show costs nothing, a busy one as many rows as it has taken seats. A LOCKED seat
 * whose hold expired counts as AVAILABLE everywhere (lazy expiry). `$1` is now.
 */
const COUNTS_OF_S = `
  LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE i.state = 'LOCKED' AND i.hold_expires_at > $1)::int AS locked,
           count(*) FILTER (WHERE i.state = 'BOOKED')::int AS booked,
           count(*) FILTER (WHERE i.state = 'BLOCKED')::int AS blocked
      FROM seat_inventory i WHERE i.show_date = s.show_date AND i.state <> 'AVAILABLE') c ON true`;
const COUNT_COLUMNS = 's.seat_count - c.locked - c.booked - c.blocked AS available, c.locked, c.booked, c.blocked';

export const catalogRepository = {
  /**
   * One page of shows in date order, `limit` at most, after the show dated `after` (keyset: the last date of
   * the previous page). With `fromDay`, only nights that are not over: dated `fromDay` (today) or later, or
   * still selling (a night whose sales run past midnight). Reads the page's shows and their taken seats only.
   */
  async listShows(q: Queryable, now: Date, opts: { fromDay?: string; after?: string; limit: number }): Promise<ShowRow[]> {
    // the earliest night still selling bounds the scan from below, so nights long over are never walked
    const { rows } = await q.query<ShowRow>(
      `WITH page AS (
         SELECT * FROM shows s
          WHERE ($2::date IS NULL OR (s.show_date >= least($2::date, (SELECT min(show_date) FROM shows WHERE sales_close_at > $1))
                                      AND (s.show_date >= $2::date OR s.sales_close_at > $1)))
            AND ($3::date IS NULL OR s.show_date > $3::date)
          ORDER BY s.show_date LIMIT $4)
       SELECT ${SHOW_COLUMNS}, ${COUNT_COLUMNS} FROM page s ${COUNTS_OF_S} ORDER BY s.show_date`,
      [now, opts.fromDay ?? null, opts.after ?? null, opts.limit],
    );
    return rows;
  },

  /** Every show with its seq and seat counts (stats): one pass over the shows and the seats that are taken. */
  async showCounts(q: Queryable, now: Date): Promise<Pick<ShowRow, 'show_date' | 'seq' | 'available' | 'locked' | 'booked' | 'blocked'>[]> {
    const { rows } = await q.query<ShowRow>(
      `SELECT s.show_date, s.seq, s.seat_count - coalesce(c.locked + c.booked + c.blocked, 0) AS available,
              coalesce(c.locked, 0) AS locked, coalesce(c.booked, 0) AS booked, coalesce(c.blocked, 0) AS blocked
         FROM shows s LEFT JOIN (
           SELECT show_date,
                  count(*) FILTER (WHERE state = 'LOCKED' AND hold_expires_at > $1)::int AS locked,
                  count(*) FILTER (WHERE state = 'BOOKED')::int AS booked,
                  count(*) FILTER (WHERE state = 'BLOCKED')::int AS blocked
             FROM seat_inventory WHERE state <> 'AVAILABLE' GROUP BY show_date) c ON c.show_date = s.show_date
        ORDER BY s.show_date`,
      [now],
    );
    return rows;
  },

  async getShow(q: Queryable, now: Date, showDate: string): Promise<ShowRow | undefined> {
    const { rows } = await q.query<ShowRow>(`SELECT ${SHOW_COLUMNS}, ${COUNT_COLUMNS} FROM shows s ${COUNTS_OF_S} WHERE s.show_date = $2`, [now, showDate]);
    return rows[0];
  },

  /** The first show whose sales are open now, on or after the given day. */
  async nextShowOnSale(q: Queryable, fromDay: string, now: Date): Promise<string | undefined> {
    const { rows } = await q.query<{ show_date: string }>(
      `SELECT show_date FROM shows WHERE status = 'ON_SALE' AND sales_close_at > $2 AND show_date >= $1 ORDER BY show_date LIMIT 1`,
      [fromDay, now],
    );
    return rows[0]?.show_date;
  },

  async zones(q: Queryable): Promise<ZoneRow[]> {
    return (await q.query<ZoneRow>('SELECT * FROM venue_zones WHERE NOT retired ORDER BY sort_order')).rows;
  },

  /** Seat states, the show's seq and its price overrides read in ONE statement, so they come from the same snapshot. */
  /**
   * The seats of the show with their state, the show's seq and prices, and its standing area (capacity, places
   * available at `now`, venue names and prices) — in ONE statement, so the seats, the standing count and seq are
   * one snapshot (a client applies the events numbered after that seq on top of it).
   */
  async seatMap(q: Queryable, showDate: string, now: Date): Promise<(InventorySeatRow & { prices: Record<string, number>; standing: StandingRow | null })[]> {
    const { rows } = await q.query<InventorySeatRow & { prices: Record<string, number>; standing: StandingRow | null }>(
      `SELECT sh.seq, sh.prices,
              (SELECT json_build_object('capacity', ss.capacity, 'available', bo_standing_available($1, $2), 'nameEn', v.name_en, 'nameTh', v.name_th,
                                        'priceAdult', v.price_adult, 'priceChild', v.price_child)
                 FROM show_standing ss CROSS JOIN venue_standing v WHERE ss.show_date = $1) AS standing,
              s.id, s.zone_id, s.row_label, s.seat_number, s.x, s.y, i.state, i.holder_id, i.hold_expires_at, i.block_reason
         FROM seat_inventory i JOIN seats s ON s.id = i.seat_id JOIN shows sh ON sh.show_date = i.show_date
        WHERE i.show_date = $1
        ORDER BY s.zone_id, s.id`,
      [showDate, now],
    );
    return rows;
  },

  /**
   * The show's seq, its price overrides, its standing area (as seatMap reads it) and its seats that are not
   * AVAILABLE (index seat_inventory_taken), in ONE statement so they come from the same snapshot; no row when there is no such show. Expired holds are returned
   * as they are (the caller counts them as AVAILABLE).
   */
  async showState(
    q: Queryable,
    showDate: string,
    now: Date,
  ): Promise<{ seq: number; prices: Record<string, number>; standing: StandingRow | null; seats: Pick<InventorySeatRow, 'id' | 'state' | 'holder_id' | 'hold_expires_at' | 'block_reason'>[] } | undefined> {
    const { rows } = await q.query<{
      seq: number;
      prices: Record<string, number>;
      standing: StandingRow | null;
      seats: { id: string; state: SeatState; holder_id: string | null; hold_expires_at: string | null; block_reason: string | null }[];
    }>(
      `SELECT sh.seq, sh.prices,
              (SELECT json_build_object('capacity', ss.capacity, 'available', bo_standing_available($1, $2), 'nameEn', v.name_en, 'nameTh', v.name_th,
                                        'priceAdult', v.price_adult, 'priceChild', v.price_child)
                 FROM show_standing ss CROSS JOIN venue_standing v WHERE ss.show_date = $1) AS standing,
              coalesce((SELECT json_agg(json_build_object('id', i.seat_id, 'state', i.state, 'holder_id', i.holder_id,
                                                          'hold_expires_at', i.hold_expires_at, 'block_reason', i.block_reason) ORDER BY i.seat_id)
                          FROM seat_inventory i WHERE i.show_date = sh.show_date AND i.state <> 'AVAILABLE'), '[]'::json) AS seats
         FROM shows sh WHERE sh.show_date = $1`,
      [showDate, now],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      seq: Number(row.seq),
      prices: row.prices,
      standing: row.standing,
      seats: row.seats.map((r) => ({ ...r, hold_expires_at: r.hold_expires_at === null ? null : new Date(r.hold_expires_at) })),
    };
  },

  async seatState(q: Queryable, showDate: string, seatId: string): Promise<Pick<InventorySeatRow, 'state' | 'holder_id' | 'hold_expires_at'> | undefined> {
    const { rows } = await q.query<InventorySeatRow>(
      'SELECT state, holder_id, hold_expires_at FROM seat_inventory WHERE show_date = $1 AND seat_id = $2',
      [showDate, seatId],
    );
    return rows[0];
  },

  async seatExists(q: Queryable, seatId: string): Promise<boolean> {
    return (await q.query('SELECT 1 FROM seats WHERE id = $1', [seatId])).rowCount > 0;
  },

  /**
   * Creates the show with every venue seat AVAILABLE (BLOCKED where the venue blocks it). False if it exists.
   * Without `startsAt`, the show starts at `times.startTime` (HH:MM) on its date in `times.timeZone`; without
   * `salesCloseAt`, sales close `times.closeAfterMin` minutes after the start.
   */
  async insertShow(
    q: Queryable,
    showDate: string,
    title: string,
    times: { timeZone: string; startTime: string; closeAfterMin: number; startsAt?: Date; salesCloseAt?: Date },
    prices: Record<string, number> = {},
  ): Promise<boolean> {
    const created = await q.query(
      `WITH t AS (SELECT coalesce($3::timestamptz, ($1::date + $4::time) AT TIME ZONE $5) AS starts_at)
       INSERT INTO shows (show_date, title, starts_at, sales_close_at, prices)
       SELECT $1, $2, t.starts_at, coalesce($6::timestamptz, t.starts_at + make_interval(mins => $7::int)), $8::jsonb FROM t
       ON CONFLICT DO NOTHING`,
      [showDate, title, times.startsAt ?? null, times.startTime, times.timeZone, times.salesCloseAt ?? null, times.closeAfterMin, JSON.stringify(prices)],
    );
    if (created.rowCount === 0) return false;
    const seats = await q.query(
      `INSERT INTO seat_inventory (show_date, seat_id, state)
       SELECT $1, id, CASE WHEN blocked THEN 'BLOCKED' ELSE 'AVAILABLE' END FROM seats WHERE NOT retired`,
      [showDate],
    );
    await q.query('UPDATE shows SET seat_count = $2 WHERE show_date = $1', [showDate, seats.rowCount]);
    // the show's standing area, with the venue's capacity (none when the venue has no standing)
    await q.query('INSERT INTO show_standing (show_date, capacity) SELECT $1, capacity FROM venue_standing', [showDate]);
    return true;
  },

  /**
   * Writes the venue's zones, seats and standing area; existing rows keep their ids and get the new layout. Zones
   * and seats the venue no longer has are retired (kept for the shows and orders that use them, left out of new
   * shows). Shows opened before the venue had a standing area (or before migration 010) get theirs, with the
   * venue's capacity; a show's capacity is kept once it has one.
   */
  async upsertVenue(q: Queryable, venue: VenueLayout): Promise<void> {
    if (venue.standing) {
      const st = venue.standing;
      await q.query(
        `INSERT INTO venue_standing (id, name_en, name_th, capacity, price_adult, price_child, currency) VALUES (true, $1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET name_en = $1, name_th = $2, capacity = $3, price_adult = $4, price_child = $5, currency = $6`,
        [st.name.en, st.name.th, st.capacity, st.prices.adult, st.prices.child, venue.currency],
      );
      await q.query(
        `INSERT INTO show_standing (show_date, capacity) SELECT sh.show_date, $1 FROM shows sh ON CONFLICT (show_date) DO NOTHING`,
        [st.capacity],
      );
    } else {
      await q.query('DELETE FROM venue_standing');
    }
    await q.query(
      `INSERT INTO venue_zones (id, name_en, name_th, ticket_type, price, currency, sort_order, retired)
       SELECT *, false FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::int[])
       ON CONFLICT (id) DO UPDATE SET name_en = excluded.name_en, name_th = excluded.name_th, ticket_type = excluded.ticket_type,
         price = excluded.price, currency = excluded.currency, sort_order = excluded.sort_order, retired = false`,
      [
        venue.zones.map((z) => z.id),
        venue.zones.map((z) => z.nameEn),
        venue.zones.map((z) => z.nameTh),
        venue.zones.map((z) => z.ticketType),
        venue.zones.map((z) => z.price),
        venue.zones.map((z) => z.currency),
        venue.zones.map((z) => z.sortOrder),
      ],
    );
    await q.query('UPDATE venue_zones SET retired = true WHERE NOT (id = ANY ($1::text[])) AND NOT retired', [venue.zones.map((z) => z.id)]);
    await q.query(
      `INSERT INTO seats (id, zone_id, row_label, seat_number, x, y, retired)
       SELECT *, false FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::real[], $6::real[])
       ON CONFLICT (id) DO UPDATE SET zone_id = excluded.zone_id, row_label = excluded.row_label,
         seat_number = excluded.seat_number, x = excluded.x, y = excluded.y, retired = false
       WHERE (seats.zone_id, seats.row_label, seats.seat_number, seats.x, seats.y, seats.retired)
             IS DISTINCT FROM (excluded.zone_id, excluded.row_label, excluded.seat_number, excluded.x, excluded.y, false)`,
      [
        venue.seats.map((s) => s.id),
        venue.seats.map((s) => s.zoneId),
        venue.seats.map((s) => s.row),
        venue.seats.map((s) => s.number),
        venue.seats.map((s) => s.x),
        venue.seats.map((s) => s.y),
      ],
    );
    await q.query('UPDATE seats SET retired = true WHERE NOT (id = ANY ($1::text[])) AND NOT retired', [venue.seats.map((s) => s.id)]);
  },
};
