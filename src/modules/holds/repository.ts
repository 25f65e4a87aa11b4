import type { Queryable } from '../../db/driver.ts';
import type { StandingCounts, UnavailableSeat } from '../../contract/seats.ts';

/** A standing-changed event a hold operation caused: the show's places available after it, and its seq. */
export interface StandingChange {
  available: number;
  seq: number;
}

export type LockOutcome =
  | { outcome: 'OK'; seq: number | null; expiresAt: Date; newlyLocked: string[]; standing: StandingCounts; standingChange?: StandingChange }
  | { outcome: 'SHOW_NOT_FOUND' | 'SALES_CLOSED' }
  | { outcome: 'SEAT_NOT_FOUND'; unknown: string[] }
  | { outcome: 'SEAT_UNAVAILABLE'; unavailable: UnavailableSeat[] }
  | { outcome: 'STANDING_UNAVAILABLE'; details: { requested: StandingCounts; available: number } }
  | { outcome: 'LOCK_LIMIT_EXCEEDED'; details: { max: number; held: number; requested: number } };

/** A release's answer: the seats freed per previous holder, and the caller's standing places given back. */
export interface ReleaseOutcome {
  groups: ReleasedGroup[];
  /** the caller's unexpired standing holds on the show after the release */
  standing: StandingCounts;
  standingReleased: StandingCounts;
  standingChange?: StandingChange;
}

interface LockRow {
  outcome: string;
  seq: number | null;
  expires_at: Date | null;
  seats: string[] | null;
  problems: unknown;
  standing: { adult?: number; child?: number; available?: number; released?: StandingCounts } | null;
}

export interface ReleasedGroup {
  showDate: string;
  holderId: string;
  expiresAt: Date;
  seatIds: string[];
  seq: number;
}

const counts = (g: LockRow['standing'] | StandingCounts | undefined): StandingCounts => ({ adult: g?.adult ?? 0, child: g?.child ?? 0 });

function lockOutcome(r: LockRow): LockOutcome {
  switch (r.outcome) {
    case 'OK':
      return { outcome: 'OK', seq: r.seq, expiresAt: r.expires_at!, newlyLocked: r.seats ?? [], standing: counts(r.standing) };
    case 'SEAT_NOT_FOUND':
      return { outcome: 'SEAT_NOT_FOUND', unknown: r.seats ?? [] };
    case 'SEAT_UNAVAILABLE':
      return { outcome: 'SEAT_UNAVAILABLE', unavailable: r.problems as UnavailableSeat[] };
    case 'STANDING_UNAVAILABLE':
      return { outcome: 'STANDING_UNAVAILABLE', details: r.problems as { requested: StandingCounts; available: number } };
    case 'LOCK_LIMIT_EXCEEDED':
      return { outcome: 'LOCK_LIMIT_EXCEEDED', details: r.problems as { max: number; held: number; requested: number } };
    case 'SHOW_NOT_FOUND':
    case 'SALES_CLOSED':
      return { outcome: r.outcome };
    default:
      throw new Error(`the hold batch returned an unknown lock outcome ${r.outcome}`);
  }
}

/**
 * `adult` / `child`: standing places to hold (lock) or to give back from the caller's own holds (release).
 * A lock's `max` is its own cap on what the user holds on the show (else the batch's, MAX_SEATS_PER_USER).
 */
export type HoldOp =
  | { op: 'lock'; showDate: string; seatIds: string[]; adult?: number; child?: number; userId: string; now: Date; max?: number }
  | { op: 'release'; showDate: string; seatIds: string[]; adult?: number; child?: number; userId: string; any: boolean; now?: Date };

/** lock → its outcome; release → what it released, or undefined when there is no such show. */
export type HoldOpResult = LockOutcome | ReleaseOutcome | undefined;

interface BatchRow extends LockRow {
  idx: number;
  holder: string | null;
}

interface BatchOptions {
  ttlMs: number;
  /** the per-user cap of a lock that gives none of its own */
  max: number;
  asyncCommit?: boolean;
}

/**
 * True when bo_hold_seats may run the batch: seats only (no standing places), every operation names a seat, no
 * staff release of anyone's seats, and the operations are independent: no seat of a show named by two of them,
 * no two by one user on one show (the per-user cap reads all of a user's holds there). Then their order does
 * not matter (bo_hold_rounds puts such a batch in one round).
 */
export function independentSeatOps(ops: HoldOp[]): boolean {
  const keys = new Set<string>();
  for (const o of ops) {
    if ((o.adult ?? 0) + (o.child ?? 0) > 0 || o.seatIds.length === 0 || (o.op === 'release' && o.any)) return false;
    const user = `u|${o.showDate}|${o.userId}`;
    if (keys.has(user)) return false;
    keys.add(user);
    for (const seat of new Set(o.seatIds)) {
      const key = `s|${o.showDate}|${seat}`;
      if (keys.has(key)) return false;
      keys.add(key);
    }
  }
  return true;
}

/** Results in the order of ops from the rows of bo_hold_batch or bo_hold_seats (the same shape). */
function batchResults(ops: HoldOp[], rows: BatchRow[]): HoldOpResult[] {
  const released: ReleasedGroup[][] = ops.map(() => []);
  const changes: (StandingChange | undefined)[] = ops.map(() => undefined);
  const results: (HoldOpResult | null)[] = ops.map(() => null);
  for (const r of rows) {
    const i = r.idx - 1;
    const o = ops[i];
    if (!o) throw new Error(`the hold batch answered for an unknown operation ${r.idx}`);
    if (r.outcome === 'STANDING') changes[i] = { available: r.standing!.available!, seq: Number(r.seq) };
    else if (o.op === 'lock') results[i] = lockOutcome(r);
    else if (r.outcome === 'RELEASED') released[i].push({ showDate: o.showDate, holderId: r.holder!, expiresAt: r.expires_at!, seatIds: r.seats!, seq: r.seq! });
    else if (r.outcome === 'OK') results[i] = { groups: released[i], standing: counts(r.standing), standingReleased: counts(r.standing?.released) };
    else if (r.outcome === 'SHOW_NOT_FOUND') results[i] = undefined;
    else throw new Error(`the hold batch returned an unknown release outcome ${r.outcome}`);
  }
  results.forEach((r, i) => {
    if (r === null) throw new Error(`the hold batch gave no answer for operation ${i + 1}`);
    const change = changes[i];
    if (change && r && ('groups' in r || r.outcome === 'OK')) r.standingChange = change;
  });
  return results as HoldOpResult[];
}

export const holdsRepository = {
  /** One lock, all seats and standing places or none: a batch of one (holdsRepository.batch: the hot path or bo_hold_batch). */
  async lock(
    q: Queryable,
    a: { showDate: string; seatIds: string[]; adult?: number; child?: number; userId: string; now: Date; ttlMs: number; max: number },
  ): Promise<LockOutcome> {
    const [r] = await this.batch(q, [{ op: 'lock', ...a }], a);
    return r as LockOutcome;
  },

  /** One release, in one round trip; undefined when there is no such show (then nothing was released). */
  async release(
    q: Queryable,
    a: { showDate: string; seatIds: string[]; adult?: number; child?: number; userId: string; any: boolean; now?: Date },
  ): Promise<ReleaseOutcome | undefined> {
    // ttl and cap play no part in a release
    const [r] = await this.batch(q, [{ op: 'release', ...a }], { ttlMs: 0, max: 0 });
    return r as ReleaseOutcome | undefined;
  },

  /**
   * Several lock/release operations in ONE statement and one transaction; each operation is all or nothing on
   * its own, with the answer it would get run alone after the ones before it. Results in the order of ops.
   * A batch of independent seat-only operations (the usual one: different buyers, different seats) takes the
   * hot path, bo_hold_seats; anything else (standing places, a staff release of anyone's seats, two operations
   * on one seat or by one user on one show) bo_hold_batch, which runs such operations in rounds.
   * `asyncCommit` (only when q is the database, not a transaction): the batch commits asynchronously and the
   * caller MUST await `Db.durable()` before answering or publishing (bo_hold_batch).
   */
  batch(q: Queryable, ops: HoldOp[], a: BatchOptions): Promise<HoldOpResult[]> {
    return independentSeatOps(ops) ? this.seatBatch(q, ops, a) : this.roundsBatch(q, ops, a);
  },

  /** The general path for any batch (bo_hold_batch, src/db/functions/): operations run in rounds of independent ones. */
  async roundsBatch(q: Queryable, ops: HoldOp[], a: BatchOptions): Promise<HoldOpResult[]> {
    const payload = ops.map((o) =>
      o.op === 'lock'
        ? { op: 'lock', show: o.showDate, user: o.userId, seats: o.seatIds, adult: o.adult ?? 0, child: o.child ?? 0, now: o.now.toISOString(), ...(o.max === undefined ? {} : { max: o.max }) }
        : { op: 'release', show: o.showDate, user: o.userId, seats: o.seatIds, adult: o.adult ?? 0, child: o.child ?? 0, anyone: o.any, now: (o.now ?? new Date()).toISOString() },
    );
    const { rows } = await q.query<BatchRow>('SELECT * FROM bo_hold_batch($1::jsonb, $2, $3, $4)', [JSON.stringify(payload), a.ttlMs, a.max, a.asyncCommit ?? false], 'bo_hold_batch');
    return batchResults(ops, rows);
  },

  /**
   * The hot path (bo_hold_seats): a batch for which {@link independentSeatOps} holds, as arrays (no JSON), in a
   * fixed number of statements whatever its size. Answers exactly as {@link roundsBatch} would.
   */
  async seatBatch(q: Queryable, ops: HoldOp[], a: BatchOptions): Promise<HoldOpResult[]> {
    const seatOp: number[] = [];
    const seats: string[] = [];
    const requested: number[] = [];
    ops.forEach((o, i) => {
      const unique = new Set(o.seatIds);
      for (const seat of unique) {
        seatOp.push(i + 1);
        seats.push(seat);
      }
      requested.push(o.op === 'lock' ? unique.size : 0);
    });
    const { rows } = await q.query<BatchRow>(
      'SELECT * FROM bo_hold_seats($1::boolean[], $2::date[], $3::uuid[], $4::timestamptz[], $5::integer[], $6::integer[], $7::integer[], $8::text[], $9, $10)',
      [
        ops.map((o) => o.op === 'lock'),
        ops.map((o) => o.showDate),
        ops.map((o) => o.userId),
        ops.map((o) => o.now ?? new Date()),
        requested,
        ops.map((o) => (o.op === 'lock' ? (o.max ?? a.max) : 0)),
        seatOp,
        seats,
        a.ttlMs,
        a.asyncCommit ?? false,
      ],
      'bo_hold_seats',
    );
    return batchResults(ops, rows);
  },

  async expire(q: Queryable, now: Date, limit: number): Promise<ReleasedGroup[]> {
    const { rows } = await q.query<{ show_date: string; holder_id: string; expires_at: Date; seats: string[]; seq: number }>(
      'SELECT * FROM bo_expire_locks($1, $2)',
      [now, limit],
      'bo_expire_locks',
    );
    return rows.map((r) => ({ showDate: r.show_date, holderId: r.holder_id, expiresAt: r.expires_at, seatIds: r.seats, seq: r.seq }));
  },

  /** The sweeper's standing part (bo_expire_standing): per show whose expired standing holds it purged, the places available now and the event's seq. */
  async expireStanding(q: Queryable, now: Date): Promise<{ showDate: string; available: number; seq: number }[]> {
    const { rows } = await q.query<{ show_date: string; available: number; seq: number }>('SELECT * FROM bo_expire_standing($1)', [now], 'bo_expire_standing');
    return rows.map((r) => ({ showDate: r.show_date, available: r.available, seq: Number(r.seq) }));
  },
};
