import { createHash, randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../db/driver.ts';
import type { Config } from '../../config.ts';
import type { CancelBody, CancelReason, CreateOrderBody, ListOrdersQuery, Order, OrderList, Refund, RefundBody } from '../../contract/orders.ts';
import type { BoxOfficeSaleBody } from '../../contract/boxoffice.ts';
import type { SeatEvent, OrderStatusChangedEvent, PaymentStatusChangedEvent, ReleaseReason } from '../../contract/events.ts';
import type { TokenClaims } from '../auth/service.ts';
import type { EventBus } from '../../realtime/bus.ts';
import type { Counters } from '../ops/counters.ts';
import { isStaff } from '../../plugins/auth.ts';
import { AppError } from '../../errors.ts';
import { isCalendarDate } from '../catalog/dates.ts';
import { ordersRepository, type CancelledOrders, type OrderCreateInput, type OrderRow, type RefundJson } from './repository.ts';
import { ticketsRepository } from '../tickets/repository.ts';
import { auditActor, recordAudit, type Actor } from '../audit/service.ts';
import { normaliseReferrerCode } from '../referrers/service.ts';
import { outboxRepository } from '../mail/outbox.ts';
import { requestItems } from '../holds/service.ts';
import { codePrefix } from './code.ts';

import { paymentsRepository, toPayment, type PaymentRow } from '../payments/repository.ts';

function toRefund(r: RefundJson): Refund {
  const out: Refund = {
    id: r.id,
    orderId: r.orderId,
    amount: r.amount,
    currency: r.currency,
    method: r.method,
    status: r.status,
    reason: r.reason,
    createdAt: new Date(r.createdAt).toISOString(),
    createdBy: r.createdBy,
  };
  if (r.reference) out.reference = r.reference;
  if (r.completedAt) out.completedAt = new Date(r.completedAt).toISOString();
  return out;
}

/**
 * Money still owed back to the buyer: what was paid, minus what was refunded, minus the price of what the
 * order still holds (nothing once it is cancelled). Never negative.
 */
export function refundDueAmount(r: { status: OrderRow['status']; total: number; amount_paid: number; amount_refunded: number }): number {
  const kept = r.status === 'CANCELLED' ? 0 : r.total;
  return Math.max(0, r.amount_paid - r.amount_refunded - kept);
}

export function toOrder(r: OrderRow): Order {
  const o: Order = {
    id: r.id,
    code: r.code,
    showDate: r.show_date,
    status: r.status,
    seats: r.seats,
    standing: r.standing,
    total: r.total,
    currency: r.currency,
    userId: r.user_id,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    channel: r.channel,
    amountPaid: 0,
    amountRefunded: 0,
    refundDueAmount: 0,
    payments: [],
    refunds: r.refunds.map(toRefund),
    cancelledItems: r.cancelled_items.map((c) => ({ ...c, cancelledAt: new Date(c.cancelledAt).toISOString() })),
    cancelledStanding: r.cancelled_standing.map((c) => ({ ...c, cancelledAt: new Date(c.cancelledAt).toISOString() })),
  };
  if (r.customer_name) o.customerName = r.customer_name;
  if (r.customer_phone) o.customerPhone = r.customer_phone;
  if (r.customer_email) o.customerEmail = r.customer_email;
  if (r.paid_at) o.paidAt = r.paid_at.toISOString();
  if (r.cancelled_at) o.cancelledAt = r.cancelled_at.toISOString();
  if (r.cancel_reason) o.cancelReason = r.cancel_reason;
  if (r.cancel_note) o.cancelNote = r.cancel_note;
  const payments = r.payments.map(toPayment);
  o.payments = payments;
  o.amountPaid = payments.filter((p) => p.status === 'SUCCEEDED').reduce((sum, p) => sum + p.amount, 0);
  o.amountRefunded = r.refunds_total + payments.filter((p) => p.status === 'REFUNDED').reduce((sum, p) => sum + p.amount, 0);
  o.refundDueAmount = refundDueAmount({ status: r.status, total: r.total, amount_paid: o.amountPaid, amount_refunded: r.refunds_total });
  if (r.refund_due || o.refundDueAmount > 0) o.refundDue = o.refundDueAmount > 0;
  // v1 field: the payment that paid the order
  const paid = payments.findLast((p) => p.status === 'SUCCEEDED');
  if (paid) o.payment = { method: paid.method, amount: paid.amount, reference: paid.reference ?? '' };
  if (r.sold_by) o.soldBy = r.sold_by;
  if (r.sold_by_name) o.soldByName = r.sold_by_name;
  if (r.referrer_code) o.referrerCode = r.referrer_code;
  return o;
}

/** What makes two order requests (or two counter sales) "the same request" for Idempotency-Key purposes. */
function requestHash(body: CreateOrderBody | BoxOfficeSaleBody): string {
  const canonical = JSON.stringify([
    body.showDate,
    [...new Set(body.seatIds ?? [])].sort(),
    [body.standing?.adult ?? 0, body.standing?.child ?? 0],
    body.customerName ?? null,
    body.customerPhone ?? null,
    body.customerEmail ?? null,
    body.referrerCode === undefined ? null : normaliseReferrerCode(body.referrerCode),
    'payment' in body ? [body.payment.method, body.payment.amount, body.payment.reference ?? null] : null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

const isUniqueViolation = (err: unknown, constraint: string) =>
  (err as { code?: string; constraint?: string })?.code === '23505' &&
  ((err as { constraint?: string }).constraint === constraint || String((err as Error).message).includes(constraint));

export interface CreateOrderResult {
  order: Order;
  replayed: boolean;
}

/** How an order is made: online by a customer (or staff for themselves), or sold at the counter. */
interface Sale {
  channel: 'ONLINE' | 'BOX_OFFICE';
  /** counter sales: the seller, who may sell past MAX_SEATS_PER_USER up to BOX_OFFICE_MAX_SEATS */
  seller?: Actor;
  payment?: BoxOfficeSaleBody['payment'];
}

/** What an order transaction decided, and the events to publish once it has committed. */
export interface Outcome<T> {
  value: T;
  seatEvents: SeatEvent[];
  orderEvent?: OrderStatusChangedEvent;
  paymentEvents?: PaymentStatusChangedEvent[];
  /** a mail was written to the outbox: wake the mail worker after COMMIT */
  mail?: boolean;
}

/** The payment-status-changed event of a payment row of `order`. */
export function paymentEvent(order: Pick<OrderRow, 'user_id'>, p: Pick<PaymentRow, 'id' | 'order_id' | 'status'>, at: Date): PaymentStatusChangedEvent {
  return { orderId: p.order_id, paymentId: p.id, status: p.status, timestamp: at.toISOString(), userId: order.user_id };
}

/** Orders: created atomically with their seats, cancelled, paid, expired. Owns the order transactions. */
export class OrdersService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly bus: EventBus,
    private readonly counters: Counters,
  ) {}

  /** Called after a transaction that wrote a mail to the outbox committed (the mail worker's nudge). */
  mailQueued?: () => void;

  /** Runs a transaction and publishes its events only after it committed. */
  private async commit<T>(fn: (q: Queryable) => Promise<Outcome<T>>): Promise<T> {
    const out = await this.db.tx(fn);
    this.publish(out);
    return out.value;
  }

  /** Publishes a committed outcome's events (also for other modules' transactions that used markPaid / markCancelled). */
  publish(out: Omit<Outcome<unknown>, 'value'>): void {
    if (out.seatEvents.length) this.bus.seat(out.seatEvents);
    if (out.orderEvent) this.bus.order(out.orderEvent);
    for (const e of out.paymentEvents ?? []) this.bus.payment(e);
    // PAID and CANCELLED wrote a mail to the outbox (markPaid / markCancelled): send it now, not at the next poll
    if (out.mail || (out.orderEvent && out.orderEvent.status !== 'PENDING')) this.mailQueued?.();
  }

  /** The order-status-changed event of an order (a row, an Order, or just its id, user and show). */
  statusEvent(o: Pick<OrderRow, 'id' | 'user_id' | 'show_date'> | Pick<Order, 'id' | 'userId' | 'showDate'>, status: Order['status'], at: Date): OrderStatusChangedEvent {
    const userId = 'userId' in o ? o.userId : o.user_id;
    const showDate = 'showDate' in o ? o.showDate : o.show_date;
    return { orderId: o.id, status, timestamp: at.toISOString(), userId, showDate };
  }

  /** `language`: the buyer's (Accept-Language), for the mails about this order. */
  async create(user: TokenClaims, body: CreateOrderBody, idempotencyKey?: string, language?: 'en' | 'th'): Promise<CreateOrderResult> {
    return this.make(user, body, { channel: 'ONLINE' }, idempotencyKey, language);
  }

  /**
   * Counter sale (API.md "Box office"): a PAID order in one step, channel BOX_OFFICE, sold by the staff member,
   * with its tickets. Not bound by MAX_SEATS_PER_USER but by BOX_OFFICE_MAX_SEATS; seats must be AVAILABLE or
   * held by the seller; a show whose sales are closed only by admin. The payment must equal the total
   * (422 PAYMENT_AMOUNT_MISMATCH). Idempotent by the seller's Idempotency-Key.
   */
  async sell(seller: Actor, body: BoxOfficeSaleBody, idempotencyKey?: string, language?: 'en' | 'th'): Promise<CreateOrderResult> {
    const { seatIds, adult, child } = requestItems(body);
    const items = seatIds.length + adult + child;
    if (items > this.config.boxOfficeMaxSeats) {
      throw new AppError('LOCK_LIMIT_EXCEEDED', { max: this.config.boxOfficeMaxSeats, held: 0, requested: items });
    }
    return this.make(seller, body, { channel: 'BOX_OFFICE', seller, payment: body.payment }, idempotencyKey, language);
  }

  /**
   * The order transaction, ONE statement (bo_order_create, src/db/functions/): an online order is that statement
   * alone, committed on its own, so creating an order is one database round trip. A counter sale runs the same
   * statement (seller, channel BOX_OFFICE, no per-user cap, the amount paid) inside a transaction that then records
   * the payment, marks the order paid and writes the audit entry (sellTx; not the hot path).
   */
  private async make(
    user: TokenClaims,
    body: CreateOrderBody | BoxOfficeSaleBody,
    sale: Sale,
    idempotencyKey?: string,
    language?: 'en' | 'th',
  ): Promise<CreateOrderResult> {
    if (!isCalendarDate(body.showDate)) throw new AppError('SHOW_NOT_FOUND', { showDate: body.showDate });
    const hash = requestHash(body);
    const { seatIds, adult, child } = requestItems(body);
    const input = (): OrderCreateInput => ({
      user: user.sub,
      show: body.showDate,
      seats: seatIds,
      adult,
      child,
      now: this.config.clock.now(),
      ttlMs: this.config.orderPaymentTtlMs,
      key: idempotencyKey ?? null,
      hash,
      max: sale.channel === 'ONLINE' ? this.config.maxSeatsPerUser : null,
      channel: sale.channel,
      soldBy: sale.seller?.sub ?? null,
      // an admin may still sell at the counter after sales closed (latecomers at the door)
      closedOk: sale.seller?.role === 'admin',
      referrer: body.referrerCode === undefined ? null : normaliseReferrerCode(body.referrerCode),
      referrerGiven: body.referrerCode ?? null,
      customerName: body.customerName ?? null,
      customerPhone: body.customerPhone ?? null,
      customerEmail: body.customerEmail ?? null,
      language: language ?? null,
      paid: sale.payment?.amount ?? null,
    });
    const attempt = async (): Promise<CreateOrderResult> => {
      const { seller, payment } = sale;
      if (seller && payment) return this.commit((q) => this.sellTx(q, input(), seller, payment));
      // its own transaction: committed asynchronously, answered and announced once on disk (Db.durable())
      const a = { ...input(), asyncCommit: this.db.asyncCommit };
      const r = await ordersRepository.create(this.db, a);
      await this.db.durable();
      const order = toOrder(r.order);
      if (!r.replayed) this.publish({ seatEvents: r.events, orderEvent: this.statusEvent(order, order.status, a.now) });
      return { order, replayed: r.replayed };
    };
    try {
      return await attempt();
    } catch (err) {
      // two orders drew the same new code at the same moment (about 1 in 10^12): the unique index let one in; draw again
      if (isUniqueViolation(err, 'orders_code_key')) return attempt();
      // two requests with one key raced past the lookup: the unique index let one in; answer as a replay
      if (idempotencyKey && isUniqueViolation(err, 'orders_idempotency_key')) {
        const existing = await ordersRepository.findByIdempotencyKey(this.db, user.sub, idempotencyKey);
        if (existing) return this.replay(existing, hash);
      }
      if (isUniqueViolation(err, 'order_seats_one_active_order')) throw new AppError('SEAT_UNAVAILABLE', { unavailable: [] });
      throw err;
    }
  }

  private replay(existing: OrderRow, hash: string): CreateOrderResult {
    if (existing.request_hash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    return { order: toOrder(existing), replayed: true };
  }

  /** A counter sale: the order (bo_order_create), then the seller's payment, PAID with its tickets, the audit entry. */
  private async sellTx(q: Queryable, input: OrderCreateInput, seller: Actor, paid: BoxOfficeSaleBody['payment']): Promise<Outcome<CreateOrderResult>> {
    const made = await ordersRepository.create(q, input);
    if (made.replayed) return { value: { order: toOrder(made.order), replayed: true }, seatEvents: [] };
    const { now } = input;
    const id = made.order.id;
    const reference = paid.reference ?? `BOX-${id.slice(0, 8).toUpperCase()}`;
    // the money taken at the counter: a manual payment by the seller (the day sheet counts drawers by it)
    const payment = await paymentsRepository.insert(q, {
      id: randomUUID(), order_id: id, method: paid.method, provider: 'manual', status: 'SUCCEEDED', amount: paid.amount,
      currency: made.order.currency, reference, created_by: seller.sub, succeeded_at: now, now,
    });
    await this.markPaid(q, made.order, payment, now);
    const order = toOrder((await ordersRepository.findById(q, id))!);
    await recordAudit(q, { ...auditActor(seller), at: now, action: 'order.box-office-sale', entityType: 'order', entityId: id, after: order });
    return { value: { order, replayed: false }, seatEvents: made.events, orderEvent: this.statusEvent(order, order.status, now) };
  }

  /** The owner, staff or admin; anyone else is told the order does not exist. */
  private visible(order: OrderRow | undefined, user: TokenClaims, id: string): OrderRow {
    if (!order || (!isStaff(user.role) && order.user_id !== user.sub)) throw new AppError('ORDER_NOT_FOUND', { orderId: id });
    return order;
  }

  async get(user: TokenClaims, id: string): Promise<Order> {
    return toOrder(this.visible(await ordersRepository.findById(this.db, id), user, id));
  }

  /**
   * Newest first, `limit` per page: by `cursor` (the previous page's `nextCursor`, keyset on the created_at
   * indexes) or by `page` (v1, an OFFSET). `nextCursor` is set when more follow. A customer sees their own.
   */
  async list(user: TokenClaims, query: ListOrdersQuery): Promise<OrderList> {
    const page = query.page ?? 1;
    const limit = query.limit ?? 20;
    if (query.seatId && !query.showDate) throw new AppError('VALIDATION_FAILED', { field: 'showDate', reason: 'seatId needs showDate' });
    const { rows, total } = await ordersRepository.list(this.db, {
      userId: isStaff(user.role) && !query.mine ? undefined : user.sub,
      status: query.status,
      showDate: query.showDate,
      text: query.q?.trim() || undefined,
      codePrefix: query.q ? codePrefix(query.q) : undefined,
      seatId: query.seatId,
      limit: limit + 1,
      offset: query.cursor ? 0 : (page - 1) * limit,
      after: query.cursor,
    });
    const items = rows.slice(0, limit).map(toOrder);
    return rows.length > limit ? { items, page, limit, total, nextCursor: items[items.length - 1].id } : { items, page, limit, total };
  }

  /**
   * Owner: a PENDING order. Staff/admin: also a PAID one (what was paid becomes refund due).
   * With `seatIds` and/or `standing` ({adult, child} places), only those items leave the order (partial cancel): a
   * PENDING order's total shrinks, a PAID order's cancelled items become refund due; seats not in the order, or more
   * standing places than it has → 400 VALIDATION_FAILED with `details.notInOrder`; cancelling every item cancels
   * the order. Staff actions are written to the audit log.
   */
  async cancel(user: Actor, id: string, body: CancelBody = {}): Promise<Order> {
    const staff = isStaff(user.role);
    if (body.seatIds === undefined && body.standing === undefined) {
      // the whole order: ONE statement (bo_order_cancel); staff add their audit entry in the same transaction
      if (!staff) {
        // its own transaction: committed asynchronously, answered and announced once on disk (Db.durable())
        const out = await this.cancelWhole(this.db, user, id, body.reason, this.db.asyncCommit);
        await this.db.durable();
        this.publish(out);
        return out.value;
      }
      return this.commit(async (q) => {
        const out = await this.cancelWhole(q, user, id, body.reason);
        await recordAudit(q, {
          ...auditActor(user), at: this.config.clock.now(), action: 'order.cancel', entityType: 'order', entityId: id,
          before: out.before, after: { ...out.value, reason: body.reason },
        });
        return out;
      });
    }
    return this.commit(async (q) => {
      const order = this.visible(await ordersRepository.findById(q, id, true), user, id);
      if (order.status === 'CANCELLED' || (order.status === 'PAID' && !staff)) {
        throw new AppError('ORDER_NOT_CANCELLABLE', { orderId: id, status: order.status });
      }
      const before = toOrder(order);
      const wanted = [...new Set(body.seatIds ?? [])].sort();
      const inOrder = new Set(order.seats.map((s) => s.seatId));
      if (wanted.some((s) => !inOrder.has(s))) {
        throw new AppError('VALIDATION_FAILED', { field: 'seatIds', notInOrder: wanted.filter((s) => !inOrder.has(s)) });
      }
      const has = (type: 'adult' | 'child') => order.standing.filter((l) => l.type === type).reduce((sum, l) => sum + l.quantity, 0);
      const places = { adult: body.standing?.adult ?? 0, child: body.standing?.child ?? 0 };
      if (places.adult > has('adult') || places.child > has('child')) {
        throw new AppError('VALIDATION_FAILED', { field: 'standing', notInOrder: { adult: Math.max(0, places.adult - has('adult')), child: Math.max(0, places.child - has('child')) }, inOrder: { adult: has('adult'), child: has('child') } });
      }
      if (wanted.length + places.adult + places.child === 0) {
        throw new AppError('VALIDATION_FAILED', { errors: [{ path: '/seatIds', message: 'name at least one seat or standing place to cancel, or send neither to cancel the whole order' }] });
      }
      const everything = wanted.length === inOrder.size && places.adult === has('adult') && places.child === has('child');
      // every item named: the whole order's cancel, the same statement as without items
      const out = everything ? await this.cancelWhole(q, user, id, body.reason) : await this.cancelItemsTx(q, order, wanted, places);
      if (staff) {
        await recordAudit(q, {
          ...auditActor(user),
          at: this.config.clock.now(),
          action: out.value.status === 'CANCELLED' ? 'order.cancel' : 'order.cancel-items',
          entityType: 'order',
          entityId: id,
          before,
          after: { ...out.value, reason: body.reason },
        });
      }
      return out;
    });
  }

  /**
   * The whole order cancelled by `user` in ONE statement (bo_order_cancel): a customer only their own PENDING
   * order, staff any order PENDING or PAID (reason STAFF when not their own, else USER; `note` is the reason
   * given). `before` is the order before, for staff's audit entry.
   */
  private async cancelWhole(q: Queryable, user: Actor, id: string, note?: string, asyncCommit = false): Promise<Outcome<Order> & { before?: Order }> {
    const staff = isStaff(user.role);
    const now = this.config.clock.now();
    const r = await ordersRepository.cancelOne(q, { orderId: id, owner: staff ? undefined : user.sub, staff, actor: user.sub, note, now, asyncCommit });
    const out = this.cancelledOutcome(r, now);
    return r.before ? { ...out, before: toOrder(r.before) } : out;
  }

  /** The outcome of one order cancelled by bo_orders_cancel (asked with the order's JSON): the order after, its events. */
  private cancelledOutcome(r: CancelledOrders, now: Date): Outcome<Order> {
    const [one] = r.orders;
    const order = toOrder(one.order!);
    return {
      value: order,
      seatEvents: r.events,
      orderEvent: this.statusEvent(order, 'CANCELLED', now),
      paymentEvents: r.payments.map((p) => paymentEvent({ user_id: one.userId }, { id: p.paymentId, order_id: p.orderId, status: p.status }, now)),
      mail: true,
    };
  }

  private async cancelItemsTx(q: Queryable, order: OrderRow, seatIds: string[], standing: { adult: number; child: number }): Promise<Outcome<Order>> {
    const now = this.config.clock.now();
    const freed = await ordersRepository.cancelItems(q, order, seatIds, standing, now);
    // the tickets of the items that left the order stop admitting anyone
    await ticketsRepository.revoke(q, order.id, now);
    const seatEvents = await this.freedEvents(q, order.show_date, freed, 'cancelled');
    const updated = toOrder((await ordersRepository.findById(q, order.id))!);
    return { value: updated, seatEvents, orderEvent: this.statusEvent(updated, updated.status, now) };
  }

  /**
   * Staff give money back (API.md "refunds"): a refund record with amount, method, reason, who and when.
   * The order's row lock makes two staff refunding at once take turns, so refunds never exceed what was paid
   * (422 REFUND_EXCEEDS_PAID with the amount still refundable); PENDING refunds count as given back.
   * Card and PromptPay refunds go back the way the money came: to a succeeded payment of that method. One paid
   * through the payment provider (`provider`, the configured adapter's name) is recorded PENDING with that payment
   * (the caller then refunds it through the provider after COMMIT, PaymentsService.refundOrder); a card or PromptPay
   * refund of an order that took no money that way (e.g. paid cash), or of a provider payment while no provider
   * is configured → 422 PAYMENT_METHOD_UNAVAILABLE. Cash, transfer and the counter's own card-terminal and
   * PromptPay refunds are DONE at once, and the buyer's refund notice ('order-refunded', with the amount) is
   * written to the outbox in the same transaction; a PENDING one is told when it is DONE (settleRefund).
   * `leaseMs`: how long the caller's first provider attempt keeps the refund retries away from it.
   */
  async refund(actor: Actor, id: string, body: RefundBody, provider?: string, leaseMs = 0): Promise<Refund> {
    return this.commit(async (q) => {
      const order = await ordersRepository.findById(q, id, true);
      if (!order) throw new AppError('ORDER_NOT_FOUND', { orderId: id });
      const money = toOrder(order);
      const refundable = money.amountPaid - money.amountRefunded;
      if (body.amount > refundable) {
        throw new AppError('REFUND_EXCEEDS_PAID', { paid: money.amountPaid, refunded: money.amountRefunded, refundable, requested: body.amount, currency: order.currency });
      }
      const through = this.refundPath(money, body.method, provider);
      const now = this.config.clock.now();
      const refundId = await ordersRepository.insertRefund(q, {
        orderId: id,
        amount: body.amount,
        currency: order.currency,
        method: body.method,
        reference: through ? undefined : body.reference,
        reason: body.reason,
        status: through ? 'PENDING' : 'DONE',
        createdAt: now,
        createdBy: actor.sub,
        paymentId: through?.id,
        retryAt: through ? new Date(now.getTime() + leaseMs) : undefined,
      });
      const updated = (await ordersRepository.findById(q, id))!;
      const refund = toRefund(updated.refunds.find((r) => r.id === refundId)!);
      // before and after are both the order (amountRefunded 0 → 3300 reads as a change), the refund its own field
      await recordAudit(q, { ...auditActor(actor), at: now, action: 'order.refund', entityType: 'order', entityId: id, before: toOrder(order), after: { ...toOrder(updated), refund } });
      // the buyer is told in the same transaction: recorded ⇔ announced (mail/render.ts order-refunded)
      if (!through) await outboxRepository.enqueue(q, 'order-refunded', id, { code: order.code, amount: body.amount, refundId });
      return { value: refund, seatEvents: [], orderEvent: this.statusEvent(updated, updated.status, now), mail: !through };
    });
  }

  /**
   * The provider payment a refund by `method` goes back through; undefined when it is done by hand (cash,
   * transfer, or a card/PromptPay payment taken without a provider). See refund() for the 422s.
   */
  private refundPath(order: Order, method: RefundBody['method'], provider?: string): Order['payments'][number] | undefined {
    if (method !== 'card' && method !== 'promptpay') return undefined;
    const paid = order.payments.filter((p) => p.status === 'SUCCEEDED' && p.method === method);
    if (paid.length === 0) {
      const paidWith = [...new Set(order.payments.filter((p) => p.status === 'SUCCEEDED').map((p) => p.method))];
      throw new AppError('PAYMENT_METHOD_UNAVAILABLE', { method, paidWith, reason: `no ${method} payment of this order to refund to; refund in cash or by transfer` });
    }
    const external = paid.find((p) => p.provider !== 'manual' && p.provider !== 'promptpay');
    if (!external) return undefined;
    if (external.provider !== provider) {
      throw new AppError('PAYMENT_METHOD_UNAVAILABLE', { method, provider: external.provider, reason: 'the payment provider that took this money is not configured; refund in cash or by transfer' });
    }
    return external;
  }

  /**
   * THE transition of a PENDING provider refund, inside the caller's transaction which holds the order row lock:
   * the provider's refund id becomes its reference; 'succeeded' → DONE and the buyer's refund notice goes to the
   * outbox; 'failed' → FAILED (it no longer counts as given back, so the money is refundable again); 'pending'
   * stays PENDING. A refund no longer PENDING does not change. Returns the events to publish after COMMIT.
   */
  async settleRefund(q: Queryable, order: OrderRow, refundId: string, outcome: { ref: string; status: 'succeeded' | 'pending' | 'failed' }): Promise<Omit<Outcome<unknown>, 'value'>> {
    const refund = await ordersRepository.findRefund(q, refundId, true);
    if (!refund || refund.order_id !== order.id || refund.status !== 'PENDING') return { seatEvents: [] };
    const now = this.config.clock.now();
    const status = outcome.status === 'succeeded' ? 'DONE' : outcome.status === 'failed' ? 'FAILED' : 'PENDING';
    await ordersRepository.settleRefund(q, refundId, status, outcome.ref || undefined, now);
    if (status === 'DONE') await outboxRepository.enqueue(q, 'order-refunded', order.id, { code: order.code, amount: refund.amount, refundId });
    return { seatEvents: [], orderEvent: this.statusEvent(order, order.status, now), mail: status === 'DONE' };
  }

  /**
   * Cancels an order inside the caller's transaction (the show's cancellation cancels each of its orders this
   * way): the order row is locked, PENDING and PAID orders become CANCELLED (PAID ones due a refund), their
   * seats AVAILABLE. Returns the events for the caller to publish after its COMMIT; undefined when the order
   * was no longer active.
   */
  async cancelWithin(q: Queryable, orderId: string, reason: CancelReason, note?: string): Promise<Outcome<Order> | undefined> {
    const order = await ordersRepository.findById(q, orderId, true);
    if (!order || order.status === 'CANCELLED') return undefined;
    return this.markCancelled(q, order, reason, note);
  }

  /**
   * Cancels an order inside the caller's transaction, which holds the order row lock (a show's cancellation
   * cancels each of its orders this way): THE transition to CANCELLED is bo_orders_cancel (src/db/functions/), one
   * statement that frees the seats (seat-released, reason 'cancelled', or 'expired' for an unpaid order that ran
   * out of time) and standing places, revokes the tickets, queues the 'order-cancelled' mail, expires the order's
   * open payments (money that still arrives for them is handled as a late payment by the payments module) and
   * numbers the events last. Returns the events to publish after COMMIT.
   */
  async markCancelled(q: Queryable, order: OrderRow, reason: CancelReason, note?: string): Promise<Outcome<Order>> {
    const now = this.config.clock.now();
    return this.cancelledOutcome(await ordersRepository.cancelMany(q, [order.id], { reason, note, now, json: true }), now);
  }

  /**
   * The events of items an order gave back, numbered last in the caller's transaction: seat-released for its seats
   * (no hold ended: lockedBy and expiresAt null), then standing-changed when standing places came free.
   */
  private async freedEvents(q: Queryable, showDate: string, freed: { seats: string[]; standingAvailable?: number }, reason: ReleaseReason): Promise<SeatEvent[]> {
    const events: SeatEvent[] = [];
    if (freed.seats.length) {
      events.push({ type: 'seat-released', seatIds: freed.seats, lockedBy: null, expiresAt: null, showDate, seq: await ordersRepository.nextSeq(q, showDate), reason });
    }
    if (freed.standingAvailable !== undefined) {
      events.push({ type: 'standing-changed', showDate, available: freed.standingAvailable, seq: await ordersRepository.nextSeq(q, showDate) });
    }
    return events;
  }

  /**
   * THE transition to PAID, inside the caller's transaction which holds the order row lock and has just made
   * `payment` SUCCEEDED so that the order's succeeded payments cover its total. Everything that must happen
   * when an order is paid (tickets, the confirmation mail in the outbox) belongs here, in this transaction.
   * Returns the order-status-changed event to publish after COMMIT.
   */
  async markPaid(q: Queryable, order: OrderRow, payment: PaymentRow, now: Date): Promise<OrderStatusChangedEvent> {
    if (payment.order_id !== order.id || payment.status !== 'SUCCEEDED') throw new Error(`markPaid: payment ${payment.id} is not a succeeded payment of order ${order.id}`);
    await ordersRepository.markPaid(q, order.id, now);
    // paid ⇔ tickets ⇔ the confirmation mail (durable outbox), never one without the others
    await ticketsRepository.issue(q, order.id);
    await outboxRepository.enqueue(q, 'order-paid', order.id, { code: order.code });
    return this.statusEvent(order, 'PAID', now);
  }

  /**
   * Money arrived for a CANCELLED order: books its seats again if every one is still free, in seat_id order, and
   * takes its standing places again if they still fit the capacity. Returns the seat-booked and standing-changed
   * events (the order is PENDING again; the caller marks it paid) or undefined when a seat is taken or the places
   * no longer fit, in which case no item changed (the caller refunds).
   */
  async rebook(q: Queryable, order: OrderRow, now: Date): Promise<SeatEvent[] | undefined> {
    if (!(await ordersRepository.rebook(q, order, now))) return undefined;
    const events: SeatEvent[] = [];
    if (order.seats.length) {
      events.push({ type: 'seat-booked', seatIds: order.seats.map((s) => s.seatId).sort(), showDate: order.show_date, seq: await ordersRepository.nextSeq(q, order.show_date) });
    }
    if (order.standing.length) {
      const available = await ordersRepository.standingAvailable(q, order.show_date, now);
      events.push({ type: 'standing-changed', showDate: order.show_date, available, seq: await ordersRepository.nextSeq(q, order.show_date) });
    }
    return events;
  }

  /**
   * The hold follows the payment: a PENDING order's deadline moves to `until`, never earlier than it was and never
   * past createdAt + ORDER_MAX_HOLD_MS. Returns the deadline now in force.
   */
  async extendHold(q: Queryable, order: OrderRow, until: Date): Promise<Date> {
    const cap = new Date(order.created_at.getTime() + this.config.orderMaxHoldMs);
    const target = until > cap ? cap : until;
    if (target <= order.expires_at) return order.expires_at;
    await ordersRepository.extendExpiry(q, order.id, target);
    return target;
  }

  /**
   * Cancels every PENDING order past its payment deadline, in batches of ORDER_EXPIRY_BATCH orders, each ONE
   * statement and one short transaction (bo_orders_expire: SKIP LOCKED, set-based, events numbered once per show),
   * until a batch comes back short: a wave of thousands of unpaid orders is a few dozen short transactions, not
   * thousands queued behind live buyers. Safe on several instances at once: an order is claimed by one of them only.
   * Returns how many orders this call cancelled.
   */
  async expireOrders(): Promise<number> {
    const limit = this.config.orderExpiryBatch;
    let n = 0;
    for (;;) {
      const now = this.config.clock.now();
      const r = await ordersRepository.expireBatch(this.db, now, limit);
      if (r.orders.length) {
        this.publish({
          seatEvents: r.events,
          paymentEvents: r.payments.map((p) => paymentEvent({ user_id: r.orders.find((o) => o.id === p.orderId)!.userId }, { id: p.paymentId, order_id: p.orderId, status: p.status }, now)),
          mail: true,
        });
        for (const o of r.orders) this.bus.order(this.statusEvent(o, 'CANCELLED', now));
      }
      n += r.orders.length;
      if (r.orders.length < limit) break;
    }
    if (n > 0) this.counters.inc('orders_expired', n);
    return n;
  }
}
