import type { Db, Queryable } from '../../db/driver.ts';
import type { Config } from '../../config.ts';
import type { BlockSeatsResult, CancelShowResult, Show, UpdateShowBody } from '../../contract/catalog.ts';
import type { UnavailableSeat } from '../../contract/seats.ts';
import type { OrderStatusChangedEvent, SeatEvent } from '../../contract/events.ts';
import type { EventBus } from '../../realtime/bus.ts';
import { AppError } from '../../errors.ts';
import { auditActor, recordAudit, type Actor } from '../audit/service.ts';
import { isCalendarDate } from '../catalog/dates.ts';
import type { CatalogService } from '../catalog/service.ts';
import type { OrdersService } from '../orders/service.ts';
import { showsRepository } from './repository.ts';

/**
 * The show lifecycle an admin drives (API.md v2 "Shows: lifecycle, prices, blocked seats"): edit times,
 * prices and title, close and reopen sales, cancel the show with everything sold for it, and block seats.
 * Opening a show is CatalogService.createShow. Events leave only after COMMIT. With an `actor`, each change is
 * written to the audit log in its own transaction.
 */
export class ShowsService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly bus: EventBus,
    private readonly catalog: CatalogService,
    private readonly orders: OrdersService,
  ) {}

  private checkDate(showDate: string): void {
    if (!isCalendarDate(showDate)) throw new AppError('SHOW_NOT_FOUND', { showDate });
  }

  /**
   * PATCH a show. Moving `startsAt` moves `salesCloseAt` by as much unless it is given too. `prices` merge
   * into the overrides (`null` removes one); orders already made keep their prices. Errors: SHOW_NOT_FOUND;
   * SALES_CLOSED for a cancelled show (cancelling is final); NOT_FOUND for a price of an unknown zone;
   * VALIDATION_FAILED for a start off the show's night, or reopening while `salesCloseAt` is already past.
   */
  async update(showDate: string, body: UpdateShowBody, actor?: Actor): Promise<Show> {
    this.checkDate(showDate);
    if (body.prices) this.catalog.checkPriceKeys(body.prices);
    const startsAt = body.startsAt === undefined ? undefined : this.catalog.checkStart(showDate, body.startsAt);
    const closeAt = body.salesCloseAt === undefined ? undefined : new Date(body.salesCloseAt);
    if (closeAt && (Number.isNaN(closeAt.getTime()) || closeAt.getUTCFullYear() < 2000 || closeAt.getUTCFullYear() > 2999)) {
      throw new AppError('VALIDATION_FAILED', { errors: [{ path: '/salesCloseAt', message: 'not a supported date-time' }] });
    }
    await this.db.tx(async (q) => {
      const show = await showsRepository.lockShow(q, showDate);
      if (!show) throw new AppError('SHOW_NOT_FOUND', { showDate });
      if (show.status === 'CANCELLED') throw new AppError('SALES_CLOSED', { showDate, status: show.status });
      const newStart = startsAt ?? show.starts_at;
      const newClose = closeAt ?? new Date(show.sales_close_at.getTime() + (newStart.getTime() - show.starts_at.getTime()));
      const status = body.status ?? show.status;
      if (body.status === 'ON_SALE' && newClose <= this.config.clock.now()) {
        throw new AppError('VALIDATION_FAILED', {
          errors: [{ path: '/status', message: `sales closed by themselves at ${newClose.toISOString()}: set a later salesCloseAt to reopen` }],
        });
      }
      const prices = { ...show.prices };
      for (const [key, price] of Object.entries(body.prices ?? {})) {
        if (price === null) delete prices[key];
        else prices[key] = price;
      }
      await showsRepository.update(q, showDate, { title: body.title, status, startsAt: newStart, salesCloseAt: newClose, prices });
      if (actor) {
        const snapshot = (x: { title?: string; status: string; startsAt: Date; salesCloseAt: Date; prices: unknown }) => ({
          ...x,
          startsAt: x.startsAt.toISOString(),
          salesCloseAt: x.salesCloseAt.toISOString(),
        });
        await recordAudit(q, {
          ...auditActor(actor),
          at: this.config.clock.now(),
          action: 'show.update',
          entityType: 'show',
          entityId: showDate,
          before: snapshot({ status: show.status, startsAt: show.starts_at, salesCloseAt: show.sales_close_at, prices: show.prices }),
          after: snapshot({ title: body.title, status, startsAt: newStart, salesCloseAt: newClose, prices }),
        });
      }
    });
    return this.catalog.getShow(showDate);
  }

  /**
   * Cancels the show, for good: status CANCELLED, every PENDING order cancelled and every PAID one cancelled
   * with a refund due (through OrdersService.cancelWithin, the orders' own cancel, cancelReason
   * SHOW_CANCELLED; each buyer gets the cancel notice through the mail outbox, in this transaction), every hold
   * of seats and standing places released. One transaction; a second call changes nothing and answers
   * ordersCancelled 0. Events: seat-released (reason cancelled), standing-changed and order-status-changed, after COMMIT.
   */
  async cancel(showDate: string, reason: string, actor?: Actor): Promise<CancelShowResult> {
    this.checkDate(showDate);
    const now = this.config.clock.now();
    const out = await this.db.tx(async (q) => {
      const seatEvents: SeatEvent[] = [];
      const orderEvents: OrderStatusChangedEvent[] = [];
      // the global lock order of the booking core (bo_take_locks): order rows, then seat rows, then the standing
      // counter, then the show row — so a buyer's lock, order or payment running meanwhile waits, never deadlocks
      await showsRepository.lockActiveOrders(q, showDate);
      await showsRepository.lockAllSeats(q, showDate);
      await showsRepository.lockStanding(q, showDate);
      const show = await showsRepository.lockShow(q, showDate);
      if (!show) throw new AppError('SHOW_NOT_FOUND', { showDate });
      if (show.status === 'CANCELLED') return { ordersCancelled: 0, seatEvents, orderEvents };
      await showsRepository.markCancelled(q, showDate, reason, now);
      // read again under the seat locks: an order committed while we waited is in this list
      let ordersCancelled = 0;
      for (const id of await showsRepository.lockActiveOrders(q, showDate)) {
        const done = await this.orders.cancelWithin(q, id, 'SHOW_CANCELLED', reason);
        if (!done) continue;
        ordersCancelled++;
        seatEvents.push(...done.seatEvents);
        if (done.orderEvent) orderEvents.push(done.orderEvent);
      }
      for (const hold of await showsRepository.releaseAllHolds(q, showDate)) {
        const seq = await showsRepository.bumpSeq(q, showDate);
        seatEvents.push({ type: 'seat-released', seatIds: hold.seats, lockedBy: hold.holder_id, expiresAt: hold.expires_at.toISOString(), showDate, seq, reason: 'cancelled' });
      }
      const available = await showsRepository.releaseStandingHolds(q, showDate);
      if (available !== undefined) seatEvents.push({ type: 'standing-changed', showDate, available, seq: await showsRepository.bumpSeq(q, showDate) });
      if (actor) {
        await recordAudit(q, {
          ...auditActor(actor),
          at: now,
          action: 'show.cancel',
          entityType: 'show',
          entityId: showDate,
          before: { status: show.status },
          after: { status: 'CANCELLED', reason, ordersCancelled },
        });
      }
      return { ordersCancelled, seatEvents, orderEvents };
    });
    if (out.seatEvents.length) this.bus.seat(out.seatEvents);
    for (const e of out.orderEvents) this.bus.order(e);
    return { show: await this.catalog.getShow(showDate), ordersCancelled: out.ordersCancelled };
  }

  /**
   * AVAILABLE → BLOCKED with a reason (a seat whose hold ran out counts as AVAILABLE; one already BLOCKED
   * keeps its state and gets the new reason). All or nothing: a LOCKED or BOOKED seat → 409 SEAT_UNAVAILABLE
   * listing them. Event seat-blocked for the seats that changed.
   */
  async block(showDate: string, seatIds: string[], reason: string, actor?: Actor): Promise<BlockSeatsResult> {
    this.checkDate(showDate);
    const ids = [...new Set(seatIds)].sort();
    const now = this.config.clock.now();
    const event = await this.db.tx(async (q) => {
      const rows = await this.lockSeatsOf(q, showDate, ids);
      const unavailable: UnavailableSeat[] = rows
        .filter((r) => r.state === 'BOOKED' || (r.state === 'LOCKED' && r.hold_expires_at! > now))
        .map((r) => ({ seatId: r.seat_id, status: r.state }));
      if (unavailable.length) throw new AppError('SEAT_UNAVAILABLE', { unavailable });
      const changed = rows.filter((r) => r.state !== 'BLOCKED').map((r) => r.seat_id);
      await showsRepository.block(q, showDate, ids, reason);
      if (actor) {
        await recordAudit(q, { ...auditActor(actor), at: now, action: 'seats.block', entityType: 'show', entityId: showDate, after: { seatIds: ids, changed, reason } });
      }
      if (!changed.length) return undefined;
      const seq = await showsRepository.bumpSeq(q, showDate);
      return { type: 'seat-blocked' as const, seatIds: changed, showDate, seq };
    });
    if (event) this.bus.seat([event]);
    return { showDate, seatIds: ids };
  }

  /** BLOCKED → AVAILABLE. Answers the seats this call unblocked (seats not blocked are left as they are). Event seat-released, reason unblocked. */
  async unblock(showDate: string, seatIds: string[], actor?: Actor): Promise<BlockSeatsResult> {
    this.checkDate(showDate);
    const ids = [...new Set(seatIds)].sort();
    const out = await this.db.tx(async (q) => {
      await this.lockSeatsOf(q, showDate, ids);
      const freed = await showsRepository.unblock(q, showDate, ids);
      if (actor && freed.length) {
        await recordAudit(q, { ...auditActor(actor), at: this.config.clock.now(), action: 'seats.unblock', entityType: 'show', entityId: showDate, after: { seatIds: freed } });
      }
      if (!freed.length) return { freed, events: [] };
      const seq = await showsRepository.bumpSeq(q, showDate);
      const e: SeatEvent = { type: 'seat-released', seatIds: freed, lockedBy: null, expiresAt: null, showDate, seq, reason: 'unblocked' };
      return { freed, events: [e] };
    });
    this.bus.seat(out.events);
    return { showDate, seatIds: out.freed };
  }

  /** Locks the seats; SEAT_NOT_FOUND for ids that are no seat, SHOW_NOT_FOUND when the show does not exist. */
  private async lockSeatsOf(q: Queryable, showDate: string, ids: string[]) {
    const rows = await showsRepository.lockSeats(q, showDate, ids);
    if (rows.length === ids.length) return rows;
    const known = new Set(await showsRepository.knownSeats(q, ids));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) throw new AppError('SEAT_NOT_FOUND', { seatIds: unknown });
    throw new AppError('SHOW_NOT_FOUND', { showDate });
  }
}
