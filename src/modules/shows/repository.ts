import type { Queryable } from '../../db/driver.ts';
import type { SeatState } from '../../contract/common.ts';
import type { ShowStatus } from '../../contract/catalog.ts';

export interface LockedShow {
  status: ShowStatus;
  starts_at: Date;
  sales_close_at: Date;
  prices: Record<string, number>;
}

export interface SeatStateRow {
  seat_id: string;
  state: SeatState;
  hold_expires_at: Date | null;
}

/** A hold released because its show was cancelled: one group per previous holder. */
export interface ReleasedHold {
  holder_id: string;
  expires_at: Date;
  seats: string[];
}

/**
 * SQL of the show lifecycle and of blocking seats. Every writer here takes row locks in the order the
 * booking core uses (orders, then seat rows by seat_id, then the standing counter, then the show row), so it
 * never deadlocks with locks, orders or the sweeper.
 */
export const showsRepository = {
  /** The show row, locked for an update of its settings; undefined when there is no such show. */
  async lockShow(q: Queryable, showDate: string): Promise<LockedShow | undefined> {
    const { rows } = await q.query<LockedShow>('SELECT status, starts_at, sales_close_at, prices FROM shows WHERE show_date = $1 FOR NO KEY UPDATE', [showDate]);
    return rows[0];
  },

  async update(q: Queryable, showDate: string, s: { title?: string; status: ShowStatus; startsAt: Date; salesCloseAt: Date; prices: Record<string, number> }): Promise<void> {
    await q.query(
      `UPDATE shows SET title = coalesce($2, title), status = $3, starts_at = $4, sales_close_at = $5, prices = $6::jsonb WHERE show_date = $1`,
      [showDate, s.title ?? null, s.status, s.startsAt, s.salesCloseAt, JSON.stringify(s.prices)],
    );
  },

  /** Ids of the show's PENDING and PAID orders, row-locked in id order. */
  async lockActiveOrders(q: Queryable, showDate: string): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>(
      `SELECT id FROM orders WHERE show_date = $1 AND status IN ('PENDING', 'PAID') ORDER BY id FOR UPDATE`,
      [showDate],
    );
    return rows.map((r) => r.id);
  },

  /** Row-locks every seat of the show (seat_id order), so no lock or order can change them meanwhile. */
  async lockAllSeats(q: Queryable, showDate: string): Promise<void> {
    await q.query('SELECT 1 FROM seat_inventory WHERE show_date = $1 ORDER BY seat_id FOR UPDATE', [showDate]);
  },

  /** Row-locks the show's standing counter (after the seat rows, before the show row). */
  async lockStanding(q: Queryable, showDate: string): Promise<void> {
    await q.query('SELECT 1 FROM show_standing WHERE show_date = $1 FOR UPDATE', [showDate]);
  },

  /**
   * Ends every standing hold of the show (expired or not) and gives the places back to the counter; the caller
   * holds the standing row. Returns the places available after, or undefined when there was no hold.
   */
  async releaseStandingHolds(q: Queryable, showDate: string): Promise<number | undefined> {
    const { rows } = await q.query<{ n: number }>(
      `WITH gone AS (DELETE FROM standing_holds WHERE show_date = $1 RETURNING quantity)
       SELECT coalesce(sum(quantity), 0)::int AS n FROM gone`,
      [showDate],
    );
    if (rows[0].n === 0) return undefined;
    const left = await q.query<{ available: number }>(
      'UPDATE show_standing SET taken = taken - $2 WHERE show_date = $1 RETURNING capacity - taken AS available',
      [showDate, rows[0].n],
    );
    return left.rows[0].available;
  },

  async markCancelled(q: Queryable, showDate: string, reason: string, now: Date): Promise<void> {
    await q.query(`UPDATE shows SET status = 'CANCELLED', cancelled_at = $2, cancel_note = $3 WHERE show_date = $1`, [showDate, now, reason]);
  },

  /** Frees every LOCKED seat of the show (expired or not), grouped by holder. The caller holds the seat rows. */
  async releaseAllHolds(q: Queryable, showDate: string): Promise<ReleasedHold[]> {
    const { rows } = await q.query<ReleasedHold>(
      `WITH freed AS (
         UPDATE seat_inventory i SET state = 'AVAILABLE', holder_id = NULL, hold_expires_at = NULL
           FROM (SELECT seat_id, holder_id, hold_expires_at FROM seat_inventory WHERE show_date = $1 AND state = 'LOCKED') old
          WHERE i.show_date = $1 AND i.seat_id = old.seat_id
         RETURNING old.seat_id, old.holder_id, old.hold_expires_at)
       SELECT holder_id, max(hold_expires_at) AS expires_at, array_agg(seat_id ORDER BY seat_id) AS seats
         FROM freed GROUP BY holder_id ORDER BY holder_id`,
      [showDate],
    );
    return rows;
  },

  /** The listed seats of the show, row-locked in seat_id order. */
  async lockSeats(q: Queryable, showDate: string, seatIds: string[]): Promise<SeatStateRow[]> {
    const { rows } = await q.query<SeatStateRow>(
      `SELECT seat_id, state, hold_expires_at FROM seat_inventory WHERE show_date = $1 AND seat_id = ANY ($2) ORDER BY seat_id FOR UPDATE`,
      [showDate, seatIds],
    );
    return rows;
  },

  /** Which of the ids are seats of the venue at all. */
  async knownSeats(q: Queryable, seatIds: string[]): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>('SELECT id FROM seats WHERE id = ANY ($1)', [seatIds]);
    return rows.map((r) => r.id);
  },

  async block(q: Queryable, showDate: string, seatIds: string[], reason: string): Promise<void> {
    await q.query(
      `UPDATE seat_inventory SET state = 'BLOCKED', block_reason = $3, holder_id = NULL, hold_expires_at = NULL
        WHERE show_date = $1 AND seat_id = ANY ($2)`,
      [showDate, seatIds, reason],
    );
  },

  /** BLOCKED → AVAILABLE; returns the seats that changed. */
  async unblock(q: Queryable, showDate: string, seatIds: string[]): Promise<string[]> {
    const { rows } = await q.query<{ seat_id: string }>(
      `UPDATE seat_inventory SET state = 'AVAILABLE', block_reason = NULL
        WHERE show_date = $1 AND seat_id = ANY ($2) AND state = 'BLOCKED' RETURNING seat_id`,
      [showDate, seatIds],
    );
    return rows.map((r) => r.seat_id).sort();
  },

  /** The seq of the show's last seat event, null when there is no such show: where the realtime gateway starts a show it has not seen yet. */
  async currentSeq(q: Queryable, showDate: string): Promise<number | null> {
    const { rows } = await q.query<{ seq: number }>('SELECT seq FROM shows WHERE show_date = $1', [showDate]);
    return rows.length ? Number(rows[0].seq) : null;
  },

  /** The seq of one seat event (bo_next_seq, the one home of seq numbering), in the caller's transaction. */
  async bumpSeq(q: Queryable, showDate: string): Promise<number> {
    const { rows } = await q.query<{ seq: number }>('SELECT bo_next_seq($1, 1) AS seq', [showDate]);
    return Number(rows[0].seq);
  },
};
