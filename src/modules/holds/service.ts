import type { Db } from '../../db/driver.ts';
import type { Config } from '../../config.ts';
import type { LockBody, LockResult, ReleaseBody, ReleaseResult, StandingRequest } from '../../contract/seats.ts';
import type { SeatEvent, ReleaseReason } from '../../contract/events.ts';
import type { TokenClaims } from '../auth/service.ts';
import type { EventBus } from '../../realtime/bus.ts';
import type { Counters } from '../ops/counters.ts';
import { isStaff } from '../../plugins/auth.ts';
import { AppError } from '../../errors.ts';
import { isCalendarDate } from '../catalog/dates.ts';
import { holdsRepository, type ReleasedGroup } from './repository.ts';
import { HoldBatcher } from './batcher.ts';

const SWEEP_BATCH = 500;
/**
 * Coalescing of concurrent lock/release requests (see HoldBatcher): at most HOLD_BATCH_MAX operations per
 * statement; up to HOLD_BATCHES_IN_FLIGHT statements at once on PostgreSQL, one on PGlite (one connection:
 * whatever waits forms the next batch). While HOLD_BATCHES_EAGER are in flight, the next batch waits for one
 * of them to finish, and so grows, unless its oldest request has waited HOLD_BATCH_STALL_MS: for load spread
 * over many shows one batch at a time was fastest on our 2 cores (100 shows at 16 / 64 connections, 1 in flight
 * 0.25 / 0.35 of the plain pgbench pair against 0.19 / 0.25 with 8, bench/RESULTS.md), and the stall limit
 * keeps shows apart: a batch stuck on a lock (a frozen show, up to the lock time limit) holds up the other
 * shows for HOLD_BATCH_STALL_MS, not for as long as it is stuck.
 * At most HOLD_BATCHES_PER_SHOW of them carry one show: since the hot path (bo_hold_seats) a second one in
 * flight no longer paid for itself — it split the show's requests into smaller batches that each paid the
 * statement's fixed cost, and waited on the show's seq row (bo_next_seq) anyway; one measured +18 % / +12 %
 * pairs/s on one show at 16 / 64 connections (bench/RESULTS.md).
 */
const HOLD_BATCH_MAX = 128;
const HOLD_BATCHES_IN_FLIGHT = 8;
const HOLD_BATCHES_EAGER = 1;
const HOLD_BATCH_STALL_MS = 5;
const HOLD_BATCHES_PER_SHOW = 1;

/**
 * The items of a lock, release, order or counter-sale body: its seat ids (unique, sorted) and standing places by
 * type. API.md v2 "Standing": at least one seat or one standing place, else 400 VALIDATION_FAILED naming both
 * fields (the schema already refuses negative and fractional counts).
 */
export function requestItems(body: { seatIds?: string[]; standing?: StandingRequest }): { seatIds: string[]; adult: number; child: number } {
  const seatIds = [...new Set(body.seatIds ?? [])].sort();
  const adult = body.standing?.adult ?? 0;
  const child = body.standing?.child ?? 0;
  if (seatIds.length + adult + child === 0) {
    throw new AppError('VALIDATION_FAILED', { errors: [{ path: '/seatIds', message: 'ask for at least one seat or one standing place (standing.adult, standing.child)' }] });
  }
  return { seatIds, adult, child };
}

export function releasedEvents(groups: ReleasedGroup[], reason: ReleaseReason): SeatEvent[] {
  return groups.map((g) => ({
    type: 'seat-released',
    seatIds: g.seatIds,
    lockedBy: g.holderId,
    expiresAt: g.expiresAt.toISOString(),
    showDate: g.showDate,
    seq: g.seq,
    reason,
  }));
}

/** Seat locks (holds): all-or-nothing locking, release, and the expiry sweep. */
export class HoldsService {
  private readonly batcher: HoldBatcher;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly bus: EventBus,
    private readonly counters: Counters,
  ) {
    this.batcher = new HoldBatcher(db, {
      ttlMs: config.seatLockTtlMs,
      max: config.maxSeatsPerUser,
      maxBatch: HOLD_BATCH_MAX,
      maxInFlight: db.kind === 'pglite' ? 1 : HOLD_BATCHES_IN_FLIGHT,
      eagerInFlight: HOLD_BATCHES_EAGER,
      stallMs: HOLD_BATCH_STALL_MS,
      maxInFlightPerShow: HOLD_BATCHES_PER_SHOW,
      // batches already share one flush per batch; asynchronous only when asked for (docs/ARCHITECTURE.md)
      asyncCommit: db.asyncCommit && config.databaseAsyncCommit === 'all',
    });
  }

  /**
   * Holds seats and standing places (API.md v2 "Standing"), all or nothing, for SEAT_LOCK_TTL_MS. Standing places
   * are added to what the caller already holds; the answer's `standing` is what they hold now. Errors:
   * SHOW_NOT_FOUND, SALES_CLOSED, SEAT_NOT_FOUND, SEAT_UNAVAILABLE, STANDING_UNAVAILABLE ({requested, available}),
   * LOCK_LIMIT_EXCEEDED (seats and standing places count alike; the cap is MAX_SEATS_PER_USER, or for staff and
   * admin, who hold for counter sales, BOX_OFFICE_MAX_SEATS), VALIDATION_FAILED (nothing asked for).
   */
  async lock(user: TokenClaims, body: LockBody): Promise<LockResult> {
    if (!isCalendarDate(body.showDate)) throw new AppError('SHOW_NOT_FOUND', { showDate: body.showDate });
    const { seatIds, adult, child } = requestItems(body);
    const now = this.config.clock.now();
    // staff and admin hold for a walk-in's counter sale: their cap is the sale's, BOX_OFFICE_MAX_SEATS
    const max = isStaff(user.role) ? this.config.boxOfficeMaxSeats : undefined;
    const r = await this.batcher.lock({ op: 'lock', showDate: body.showDate, seatIds, adult, child, userId: user.sub, now, max });
    switch (r.outcome) {
      case 'OK': {
        const events: SeatEvent[] = [];
        if (r.seq !== null) {
          // the seats this request took expire one TTL from now; r.expiresAt is the earliest of ALL requested
          // seats (the answer's), which is earlier when the caller already held some of them
          const lockedUntil = new Date(now.getTime() + this.config.seatLockTtlMs).toISOString();
          events.push({ type: 'seat-locked', seatIds: r.newlyLocked, lockedBy: user.sub, expiresAt: lockedUntil, showDate: body.showDate, seq: r.seq });
        }
        if (r.standingChange) events.push({ type: 'standing-changed', showDate: body.showDate, ...r.standingChange });
        if (events.length) this.bus.seat(events);
        const out: LockResult = { showDate: body.showDate, seatIds, lockedBy: user.sub, expiresAt: r.expiresAt.toISOString() };
        if (body.standing || r.standing.adult + r.standing.child > 0) out.standing = r.standing;
        return out;
      }
      case 'SEAT_UNAVAILABLE':
        this.counters.inc('lock_conflicts');
        throw new AppError('SEAT_UNAVAILABLE', { unavailable: r.unavailable });
      case 'STANDING_UNAVAILABLE':
        this.counters.inc('lock_conflicts');
        throw new AppError('STANDING_UNAVAILABLE', r.details);
      case 'SEAT_NOT_FOUND':
        throw new AppError('SEAT_NOT_FOUND', { seatIds: r.unknown });
      case 'LOCK_LIMIT_EXCEEDED':
        throw new AppError('LOCK_LIMIT_EXCEEDED', r.details);
      case 'SHOW_NOT_FOUND':
        throw new AppError('SHOW_NOT_FOUND', { showDate: body.showDate });
      case 'SALES_CLOSED':
        throw new AppError('SALES_CLOSED', { showDate: body.showDate });
    }
  }

  /**
   * Releases the caller's locks (staff: anyone's seats). Seats not held that way are listed in notHeld. Standing
   * places are given back from the caller's own holds (at most what they hold): `standingReleased`, and
   * `standing` what they still hold.
   */
  async release(user: TokenClaims, body: ReleaseBody): Promise<ReleaseResult> {
    if (!isCalendarDate(body.showDate)) throw new AppError('SHOW_NOT_FOUND', { showDate: body.showDate });
    const { seatIds, adult, child } = requestItems(body);
    const now = this.config.clock.now();
    // one round trip: the show check rides along with the release
    const r = await this.batcher.release({ op: 'release', showDate: body.showDate, seatIds, adult, child, userId: user.sub, any: isStaff(user.role), now });
    if (!r) throw new AppError('SHOW_NOT_FOUND', { showDate: body.showDate });
    const events = releasedEvents(r.groups, 'released');
    if (r.standingChange) events.push({ type: 'standing-changed', showDate: body.showDate, ...r.standingChange });
    this.bus.seat(events);
    const released = new Set(r.groups.flatMap((g) => g.seatIds));
    const out: ReleaseResult = { showDate: body.showDate, released: seatIds.filter((s) => released.has(s)), notHeld: seatIds.filter((s) => !released.has(s)) };
    if (body.standing) {
      out.standing = r.standing;
      out.standingReleased = r.standingReleased;
    }
    return out;
  }

  /** Releases every expired lock, seats (in batches) and standing places; safe to run on several instances at once. */
  async expireLocks(): Promise<number> {
    let total = 0;
    const standing = await holdsRepository.expireStanding(this.db, this.config.clock.now());
    this.bus.seat(standing.map((e) => ({ type: 'standing-changed' as const, ...e })));
    for (;;) {
      const groups = await holdsRepository.expire(this.db, this.config.clock.now(), SWEEP_BATCH);
      this.bus.seat(releasedEvents(groups, 'expired'));
      const n = groups.reduce((sum, g) => sum + g.seatIds.length, 0);
      total += n;
      if (n < SWEEP_BATCH) break;
    }
    if (total > 0) this.counters.inc('locks_expired', total);
    return total;
  }
}
