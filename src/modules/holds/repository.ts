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

function lockOutcome(r: LockRow): LockOutcome {
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
      throw new Error(`bo_hold_batch returned unknown lock outcome ${r.outcome}`);
  }
}

export type HoldOp =
  | { op: 'lock'; showDate: string; seatIds: string[]; userId: string; now: Date }
  | { op: 'release'; showDate: string; seatIds: string[]; userId: string; any: boolean };

/** lock → its outcome; release → the released groups, or undefined when there is no such show. */
export type HoldOpResult = LockOutcome | ReleasedGroup[] | undefined;

interface BatchRow extends LockRow {
  idx: number;
  holder: string | null;
}

export const holdsRepository = {
  /** One lock, all seats or none: a batch of one (bo_hold_batch, src/db/functions/). */
  async lock(q: Queryable, a: { showDate: string; seatIds: string[]; userId: string; now: Date; ttlMs: number; max: number }): Promise<LockOutcome> {
    const [r] = await this.batch(q, [{ op: 'lock', ...a }], a);
    return r as LockOutcome;
  },

  /** One release, in one round trip; undefined when there is no such show (then nothing was released). */
  async release(q: Queryable, a: { showDate: string; seatIds: string[]; userId: string; any: boolean }): Promise<ReleasedGroup[] | undefined> {
    // ttl and cap play no part in a release
    const [r] = await this.batch(q, [{ op: 'release', ...a }], { ttlMs: 0, max: 0 });
    return r as ReleasedGroup[] | undefined;
  },

  /**
   * Several lock/release operations in ONE statement and one transaction (bo_hold_batch); each operation
   * is all or nothing on its own, with the answer it would get run alone after the ones before it.
   * Results in the order of ops.
   */
  async batch(q: Queryable, ops: HoldOp[], a: { ttlMs: number; max: number }): Promise<HoldOpResult[]> {
    const payload = ops.map((o) =>
      o.op === 'lock'
        ? { op: 'lock', show: o.showDate, user: o.userId, seats: o.seatIds, now: o.now.toISOString() }
        : { op: 'release', show: o.showDate, user: o.userId, seats: o.seatIds, anyone: o.any },
    );
    const { rows } = await q.query<BatchRow>('SELECT * FROM bo_hold_batch($1::jsonb, $2, $3)', [JSON.stringify(payload), a.ttlMs, a.max], 'bo_hold_batch');
    const released: ReleasedGroup[][] = ops.map(() => []);
    const results: (HoldOpResult | null)[] = ops.map(() => null);
    for (const r of rows) {
      const i = r.idx - 1;
      const o = ops[i];
      if (!o) throw new Error(`bo_hold_batch answered for an unknown operation ${r.idx}`);
      if (o.op === 'lock') results[i] = lockOutcome(r);
      else if (r.outcome === 'RELEASED') released[i].push({ showDate: o.showDate, holderId: r.holder!, expiresAt: r.expires_at!, seatIds: r.seats!, seq: r.seq! });
      else if (r.outcome === 'OK') results[i] = released[i];
      else if (r.outcome === 'SHOW_NOT_FOUND') results[i] = undefined;
      else throw new Error(`bo_hold_batch returned unknown release outcome ${r.outcome}`);
    }
    results.forEach((r, i) => {
      if (r === null) throw new Error(`bo_hold_batch gave no answer for operation ${i + 1}`);
    });
    return results as HoldOpResult[];
  },

  async expire(q: Queryable, now: Date, limit: number): Promise<ReleasedGroup[]> {
    const { rows } = await q.query<{ show_date: string; holder_id: string; expires_at: Date; seats: string[]; seq: number }>(
      'SELECT * FROM bo_expire_locks($1, $2)',
      [now, limit],
      'bo_expire_locks',
    );
    return rows.map((r) => ({ showDate: r.show_date, holderId: r.holder_id, expiresAt: r.expires_at, seatIds: r.seats, seq: r.seq }));
  },
};
