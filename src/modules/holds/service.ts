import type { Db } from '../../db/driver.ts';
import type { Config } from '../../config.ts';
import type { LockBody, LockResult, ReleaseBody, ReleaseResult } from '../../contract/seats.ts';
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
 * statement; up to HOLD_BATCHES_IN_FLIGHT statements at once on PostgreSQL (measured on 2 cores: 2 in
 * flight starves 16 connections, 8 was best at 16 and 64), one on PGlite (one connection: whatever waits
 * forms the next batch). At most HOLD_BATCHES_PER_SHOW of them carry one show: the second overlaps its
 * work with the first one's commit, more would only wait on the show's seq row (bo_next_seq).
 */
const HOLD_BATCH_MAX = 128;
const HOLD_BATCHES_IN_FLIGHT = 8;
const HOLD_BATCHES_PER_SHOW = 2;

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
      maxInFlightPerShow: HOLD_BATCHES_PER_SHOW,
    });
  }

  async lock(user: TokenClaims, body: LockBody): Promise<LockResult> {
    if (!isCalendarDate(body.showDate)) throw new AppError('SHOW_NOT_FOUND', { showDate: body.showDate });
    const seatIds = [...new Set(body.seatIds)].sort();
    const now = this.config.clock.now();
    const r = await this.batcher.lock({ op: 'lock', showDate: body.showDate, seatIds, userId: user.sub, now });
    switch (r.outcome) {
      case 'OK':
        if (r.seq !== null) {
          // the seats this request took expire one TTL from now; r.expiresAt is the earliest of ALL requested
          // seats (the answer's), which is earlier when the caller already held some of them
          const lockedUntil = new Date(now.getTime() + this.config.seatLockTtlMs).toISOString();
          this.bus.seat([{ type: 'seat-locked', seatIds: r.newlyLocked, lockedBy: user.sub, expiresAt: lockedUntil, showDate: body.showDate, seq: r.seq }]);
        }
        return { showDate: body.showDate, seatIds, lockedBy: user.sub, expiresAt: r.expiresAt.toISOString() };
      case 'SEAT_UNAVAILABLE':
        this.counters.inc('lock_conflicts');
        throw new AppError('SEAT_UNAVAILABLE', { unavailable: r.unavailable });
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

  /** Releases the caller's locks (staff: anyone's). Seats not held that way are listed in notHeld. */
  async release(user: TokenClaims, body: ReleaseBody): Promise<ReleaseResult> {
    if (!isCalendarDate(body.showDate)) throw new AppError('SHOW_NOT_FOUND', { showDate: body.showDate });
    const seatIds = [...new Set(body.seatIds)].sort();
    // one round trip: the show check rides along with the release
    const groups = await this.batcher.release({ op: 'release', showDate: body.showDate, seatIds, userId: user.sub, any: isStaff(user.role) });
    if (!groups) throw new AppError('SHOW_NOT_FOUND', { showDate: body.showDate });
    this.bus.seat(releasedEvents(groups, 'released'));
    const released = new Set(groups.flatMap((g) => g.seatIds));
    return { showDate: body.showDate, released: seatIds.filter((s) => released.has(s)), notHeld: seatIds.filter((s) => !released.has(s)) };
  }

  /** Releases every expired lock (in batches); safe to run on several instances at once. */
  async expireLocks(): Promise<number> {
    let total = 0;
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
