import type { Db } from '../../db/driver.ts';
import type { Config } from '../../config.ts';
import type { LockBestBody, LockResult } from '../../contract/seats.ts';
import type { ShowStatus } from '../../contract/catalog.ts';
import type { TokenClaims } from '../auth/service.ts';
import type { EventBus } from '../../realtime/bus.ts';
import type { Counters } from '../ops/counters.ts';
import type { VenueLayout } from '../catalog/venue.ts';
import { AppError } from '../../errors.ts';
import { isCalendarDate } from '../catalog/dates.ts';
import { salesOpen } from '../catalog/service.ts';
import { holdsRepository, type LockOutcome } from './repository.ts';
import { chooseBestBlock, distanceToRing, type SeatLine } from './best-available.ts';

/**
 * `lock-best` (API.md v2 "Best available"): chooses `quantity` adjacent seats with chooseBestBlock and locks
 * them in the SAME transaction, so concurrent buyers never chase the same "best" seats: the seats of the
 * zone(s) are row-locked (in seat_id order, after the buyer's advisory key, as every booking transaction
 * does) before the choice, and the lock itself is the ordinary hold batch (bo_hold_batch) inside it.
 */
export class LockBestService {
  private readonly position = new Map<string, { x: number; y: number }>();

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly bus: EventBus,
    private readonly counters: Counters,
    private readonly venue: VenueLayout,
  ) {
    for (const s of venue.seats) this.position.set(s.id, { x: s.x, y: s.y });
  }

  /**
   * Errors: SHOW_NOT_FOUND; NOT_FOUND (unknown zone); SALES_CLOSED; LOCK_LIMIT_EXCEEDED (more than
   * MAX_SEATS_PER_USER, counting what the buyer already holds); NO_ADJACENT_SEATS (no row of the zone has
   * that many free seats side by side).
   */
  async lockBest(user: TokenClaims, body: LockBestBody): Promise<LockResult> {
    const { showDate, quantity, zoneId } = body;
    if (!isCalendarDate(showDate)) throw new AppError('SHOW_NOT_FOUND', { showDate });
    if (zoneId !== undefined && !this.venue.zones.some((z) => z.id === zoneId)) {
      throw new AppError('NOT_FOUND', { zoneId, zones: this.venue.zones.map((z) => z.id) });
    }
    const max = this.config.maxSeatsPerUser;
    if (quantity > max) throw new AppError('LOCK_LIMIT_EXCEEDED', { max, held: 0, requested: quantity });
    const lines: SeatLine[] = this.venue.lines.filter((l) => zoneId === undefined || l.zoneId === zoneId);
    const seatIds = lines.flatMap((l) => l.cells.filter((c): c is string => c !== null)).sort();
    const now = this.config.clock.now();

    const { outcome, chosen } = await this.db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock(bo_user_show_key($1, $2))', [user.sub, showDate]);
      const { rows: shows } = await q.query<{ status: ShowStatus; sales_close_at: Date }>('SELECT status, sales_close_at FROM shows WHERE show_date = $1', [showDate]);
      if (!shows[0]) throw new AppError('SHOW_NOT_FOUND', { showDate });
      if (!salesOpen(shows[0], now)) throw new AppError('SALES_CLOSED', { showDate, status: shows[0].status, salesCloseAt: shows[0].sales_close_at.toISOString() });
      const { rows } = await q.query<{ seat_id: string; state: string; hold_expires_at: Date | null }>(
        `SELECT seat_id, state, hold_expires_at FROM seat_inventory WHERE show_date = $1 AND seat_id = ANY ($2) ORDER BY seat_id FOR UPDATE`,
        [showDate, seatIds],
      );
      const free = new Set(rows.filter((r) => r.state === 'AVAILABLE' || (r.state === 'LOCKED' && r.hold_expires_at! <= now)).map((r) => r.seat_id));
      const pick = chooseBestBlock(lines, {
        quantity,
        isFree: (id) => free.has(id),
        distance: (ids) => ids.reduce((sum, id) => sum + distanceToRing(this.position.get(id)!, this.venue.ring), 0) / ids.length,
      });
      if (!pick) throw new AppError('NO_ADJACENT_SEATS', { quantity, zoneId: zoneId ?? null });
      const sorted = [...pick].sort();
      const [result] = await holdsRepository.batch(q, [{ op: 'lock', showDate, seatIds: sorted, userId: user.sub, now }], { ttlMs: this.config.seatLockTtlMs, max });
      return { outcome: result as LockOutcome, chosen: sorted };
    });

    switch (outcome.outcome) {
      case 'OK':
        if (outcome.seq !== null) {
          const lockedUntil = new Date(now.getTime() + this.config.seatLockTtlMs).toISOString();
          this.bus.seat([{ type: 'seat-locked', seatIds: outcome.newlyLocked, lockedBy: user.sub, expiresAt: lockedUntil, showDate, seq: outcome.seq }]);
        }
        return { showDate, seatIds: chosen, lockedBy: user.sub, expiresAt: outcome.expiresAt.toISOString() };
      case 'LOCK_LIMIT_EXCEEDED':
        throw new AppError('LOCK_LIMIT_EXCEEDED', outcome.details);
      case 'SALES_CLOSED':
        throw new AppError('SALES_CLOSED', { showDate });
      case 'SHOW_NOT_FOUND':
        throw new AppError('SHOW_NOT_FOUND', { showDate });
      default:
        // the seats were chosen free under their row locks: anything else is a bug, not the buyer's problem
        this.counters.inc('lock_conflicts');
        throw new Error(`lock-best: the chosen seats could not be locked (${outcome.outcome})`);
    }
  }
}
