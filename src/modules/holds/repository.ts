import type { Queryable } from '../../db/driver.ts';
import type { UnavailableSeat } from '../../contract/seats.ts';

export type LockOutcome =
  | { outcome: 'OK'; seq: number | null; expiresAt: Date; newlyLocked: string[] }
  | { outcome: 'SHOW_NOT_FOUND' | 'SALES_CLOSED' }
  | { outcome: 'SEAT_NOT_FOUND'; unknown: string[] }
  | { outcome: 'SEAT_UNAVAILABLE'; unavailable: UnavailableSeat[] }
  | { outcome: 'LOCK_LIMIT_EXCEEDED'; details: { max: number; held: number; requested: number } };

interface LockRow {
  outcome: string;
  seq: number | null;
  expires_at: Date | null;
  seats: string[] | null;
  problems: unknown;
}

export interface ReleasedGroup {
  showDate: string;
  holderId: string;
  expiresAt: Date;
  seatIds: string[];
  seq: number;
}

export const holdsRepository = {
  /** One round trip: the bo_lock_seats function locks all seats or none (migrations/002). */
  async lock(q: Queryable, a: { showDate: string; seatIds: string[]; userId: string; now: Date; ttlMs: number; max: number }): Promise<LockOutcome> {
    const { rows } = await q.query<LockRow>(
      'SELECT * FROM bo_lock_seats($1, $2, $3, $4, $5, $6)',
      [a.showDate, a.seatIds, a.userId, a.now, a.ttlMs, a.max],
      'bo_lock_seats',
    );
    const r = rows[0];
    switch (r.outcome) {
      case 'OK':
        return { outcome: 'OK', seq: r.seq, expiresAt: r.expires_at!, newlyLocked: r.seats ?? [] };
      case 'SEAT_NOT_FOUND':
        return { outcome: 'SEAT_NOT_FOUND', unknown: r.seats ?? [] };
      case 'SEAT_UNAVAILABLE':
        return { outcome: 'SEAT_UNAVAILABLE', unavailable: r.problems as UnavailableSeat[] };
      case 'LOCK_LIMIT_EXCEEDED':
        return { outcome: 'LOCK_LIMIT_EXCEEDED', details: r.problems as { max: number; held: number; requested: number } };
      case 'SHOW_NOT_FOUND':
      case 'SALES_CLOSED':
        return { outcome: r.outcome };
      default:
        throw new Error(`bo_lock_seats returned unknown outcome ${r.outcome}`);
    }
  },

  async release(q: Queryable, a: { showDate: string; seatIds: string[]; userId: string; any: boolean }): Promise<ReleasedGroup[]> {
    const { rows } = await q.query<{ holder_id: string; expires_at: Date; seats: string[]; seq: number }>(
      'SELECT * FROM bo_release_seats($1, $2, $3, $4)',
      [a.showDate, a.seatIds, a.userId, a.any],
      'bo_release_seats',
    );
    return rows.map((r) => ({ showDate: a.showDate, holderId: r.holder_id, expiresAt: r.expires_at, seatIds: r.seats, seq: r.seq }));
  },

  async expire(q: Queryable, now: Date, limit: number): Promise<ReleasedGroup[]> {
    const { rows } = await q.query<{ show_date: string; holder_id: string; expires_at: Date; seats: string[]; seq: number }>(
      'SELECT * FROM bo_expire_locks($1, $2)',
      [now, limit],
      'bo_expire_locks',
    );
    return rows.map((r) => ({ showDate: r.show_date, holderId: r.holder_id, expiresAt: r.expires_at, seatIds: r.seats, seq: r.seq }));
  },

  async showExists(q: Queryable, showDate: string): Promise<boolean> {
    return (await q.query('SELECT 1 FROM shows WHERE show_date = $1', [showDate])).rowCount > 0;
  },
};
