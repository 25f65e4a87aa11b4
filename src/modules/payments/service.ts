import { createHash, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import type { Db, Queryable } from '../../db/driver.ts';
import { browserCard, type Config } from '../../config.ts';
import type { Order, PaymentBody, Refund, RefundBody } from '../../contract/orders.ts';
import type { OnlineMethod, Payment, PaymentMethods, PaymentStatus, RefundQueue, Slip, SlipStatus } from '../../contract/payments.ts';
import type { SeatEvent, OrderStatusChangedEvent, PaymentStatusChangedEvent } from '../../contract/events.ts';
import type { TokenClaims } from '../auth/service.ts';
import { isStaff } from '../../plugins/auth.ts';
import { auditActor, recordAudit, type Actor } from '../audit/service.ts';
import { AppError } from '../../errors.ts';
import { outboxRepository } from '../mail/outbox.ts';
import { ordersRepository, type OrderRow } from '../orders/repository.ts';
import { paymentEvent, toOrder, type OrdersService } from '../orders/service.ts';
import { paymentsRepository, toPayment, toSlip, NEXT_STATUS, type PaymentRow } from './repository.ts';
import { promptpayPayload, qrSvg } from './promptpay.ts';
import { ProviderRefusedError, ProviderUnavailableError, WebhookSignatureError, type PaymentProviderAdapter, type ProviderIntent, type ProviderRefund } from './providers/provider.ts';

/** How long a started payment (a QR, an intent) holds the order, before the ORDER_MAX_HOLD_MS cap. */
export const PAYMENT_TTL_MS = 15 * 60_000;
/** Largest slip image accepted (API.md: PNG or JPEG ≤ 2 MB). */
export const SLIP_MAX_BYTES = 2 * 1024 * 1024;
/**
 * Outside production, without PROMPTPAY_ID, the QR pays to an all-zero tax id that no bank accepts: `npm start`
 * shows a real, scannable QR, and no demo can move real money to a stranger.
 */
export const DEMO_PROMPTPAY_ID = '0000000000000';
/** Backoff of automatic provider refunds that failed: 30 s, doubling, at most an hour apart. */
export const REFUND_RETRY_BASE_MS = 30_000;
export const REFUND_RETRY_CAP_MS = 3_600_000;
/** How long an instance may work on a claimed refund (or a staff refund it just recorded) before another instance may try it. */
const REFUND_LEASE_MS = 5 * 60_000;
/** Slips one order may carry, so an upload loop cannot fill the database. */
const SLIPS_PER_ORDER = 10;
const SLIP_MIMES = new Set(['image/png', 'image/jpeg']);

/** Events of one transaction, published after COMMIT; `refunds` are payments to refund through their provider then. */
interface Effects {
  seat: SeatEvent[];
  order: OrderStatusChangedEvent[];
  payment: PaymentStatusChangedEvent[];
  refunds: string[];
  /** a mail was written to the outbox (a refund notice): wake the mail worker after COMMIT */
  mail: boolean;
}
const noEffects = (): Effects => ({ seat: [], order: [], payment: [], refunds: [], mail: false });

/** A stable UUID for an idempotency key: the same attempt always gets the same payment id (and provider key). */
function uuidFromKey(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Payments: attempts with their own states (API.md "Payments", ARCHITECTURE.md "v2: after the hold").
 * Every change locks the order row first, then its payment, in one transaction; events leave after COMMIT.
 * The order's PAID and CANCELLED transitions are the orders module's markPaid / markCancelled; this module only
 * decides when money counts. Money is never dropped: a success that cannot pay its order becomes REFUND_DUE.
 */
export class PaymentsService {
  /** the automatic refund retries (startRefundRetries): the next round, and the one running */
  private refundTimer?: NodeJS.Timeout;
  private refundRound?: Promise<void>;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly orders: OrdersService,
    private readonly log: FastifyBaseLogger,
    private readonly provider?: PaymentProviderAdapter,
  ) {}

  private now(): Date {
    return this.config.clock.now();
  }

  /** Where provider-less QR payments go: PROMPTPAY_ID, or the demo id outside production; undefined: no QR. */
  private get promptpayId(): string | undefined {
    return this.config.promptpayId ?? (this.config.env === 'production' ? undefined : DEMO_PROMPTPAY_ID);
  }

  /** Whether the counter can show a PromptPay QR (a PromptPay id is configured, or the demo id outside production). */
  get counterPromptpay(): boolean {
    return this.promptpayId !== undefined;
  }

  /**
   * The PromptPay QR of a counter sale before the order exists: `amount` THB to the venue's PromptPay id, for
   * the buyer to scan at the counter; staff sell (method promptpay) once their banking app shows the money
   * arrived. No payment row: the sale records it. 422 PAYMENT_METHOD_UNAVAILABLE without a PromptPay id.
   */
  async counterQr(amount: number): Promise<{ amount: number; payload: string; qrSvg: string }> {
    if (!this.promptpayId) throw new AppError('PAYMENT_METHOD_UNAVAILABLE', { method: 'promptpay' });
    const payload = promptpayPayload(this.promptpayId, amount);
    return { amount, payload, qrSvg: await qrSvg(payload) };
  }

  /** Runs fn in a transaction, then publishes its events and starts its provider refunds. */
  private async run<T>(fn: (q: Queryable, fx: Effects) => Promise<T>): Promise<T> {
    const fx = noEffects();
    const value = await this.db.tx((q) => fn(q, fx));
    this.orders.publish({ seatEvents: fx.seat, paymentEvents: fx.payment, mail: fx.mail });
    for (const e of fx.order) this.orders.publish({ seatEvents: [], orderEvent: e });
    for (const id of fx.refunds) await this.refundThroughProvider(id);
    return value;
  }

  private async lockOrder(q: Queryable, id: string): Promise<OrderRow> {
    const order = await ordersRepository.findById(q, id, true);
    if (!order) throw new AppError('ORDER_NOT_FOUND', { orderId: id });
    return order;
  }

  /**
   * Moves a payment to `status` when NEXT_STATUS allows it, inside the caller's transaction. REFUNDED also writes
   * the buyer's refund notice ('order-refunded', the payment's amount) to the outbox: refunded ⇔ announced.
   */
  private async move(q: Queryable, fx: Effects, order: OrderRow, p: PaymentRow, status: PaymentStatus, extra: Parameters<typeof paymentsRepository.setStatus>[4] = {}): Promise<PaymentRow> {
    if (!NEXT_STATUS[p.status].includes(status)) return p;
    const now = this.now();
    const row = await paymentsRepository.setStatus(q, p.id, status, now, extra);
    fx.payment.push(paymentEvent(order, row, now));
    if (status === 'REFUND_DUE' && row.provider === 'stripe') fx.refunds.push(row.id);
    if (status === 'REFUNDED') {
      await outboxRepository.enqueue(q, 'order-refunded', order.id, { code: order.code, amount: row.amount, paymentId: row.id });
      fx.mail = true;
    }
    return row;
  }

  /** The payment as its payer sees it: with the QR (from its payload) and the card client secret. */
  private async forPayer(p: PaymentRow): Promise<Payment> {
    const out = toPayment(p);
    if (p.qr_payload) out.promptpay = { payload: p.qr_payload, qrSvg: await qrSvg(p.qr_payload) };
    if (p.client_secret) out.clientSecret = p.client_secret;
    return out;
  }

  /**
   * Money arrived for `payment` (received: what the provider or staff say was paid). Inside the caller's
   * transaction, holding the order row lock. Decides, once: the payment SUCCEEDED and pays the order (re-booking
   * a cancelled order whose seats are all still free), or it is REFUND_DUE (wrong amount or currency, order
   * already paid, seats taken). A payment that already succeeded or is being refunded does not change again.
   */
  private async settleSuccess(q: Queryable, fx: Effects, order: OrderRow, payment: PaymentRow, received: { amount: number; currency: string }, reference?: string): Promise<PaymentRow> {
    if (payment.status === 'SUCCEEDED' || payment.status === 'REFUND_DUE' || payment.status === 'REFUNDED') return payment;
    const now = this.now();
    const due = order.total - (await paymentsRepository.amountPaid(q, order.id));
    const refund = (why: string) => this.move(q, fx, order, payment, 'REFUND_DUE', { failureReason: why, reference });
    if (received.amount !== payment.amount || received.currency !== payment.currency || payment.currency !== order.currency) {
      this.log.warn({ paymentId: payment.id, orderId: order.id, received, expected: { amount: payment.amount, currency: payment.currency } }, 'payment amount or currency does not match; refunding');
      return refund(`received ${received.amount} ${received.currency}, expected ${payment.amount} ${payment.currency}`);
    }
    if (order.status === 'PAID') return refund('the order was already paid');
    if (order.status === 'CANCELLED') {
      if (order.refund_due) return refund('the order was cancelled after it was paid');
      const booked = await this.orders.rebook(q, order, now);
      if (!booked) return refund('the order was cancelled and its seats or standing places were taken meanwhile');
      fx.seat.push(...booked);
      order = (await ordersRepository.findById(q, order.id))!;
    }
    if (payment.amount !== due) return refund(`the order owes ${due} ${order.currency}`);
    const paid = await this.move(q, fx, order, payment, 'SUCCEEDED', { reference });
    fx.order.push(await this.orders.markPaid(q, order, paid, now));
    return paid;
  }

  // ---------------------------------------------------------------- buyer: start a payment

  /**
   * The online methods buyers are offered (GET /api/v1/payments/methods), PromptPay first: without a provider a
   * PromptPay QR when there is a PromptPay id; with Stripe its PromptPay, and card when STRIPE_PUBLISHABLE_KEY is set
   * (Stripe.js needs it in the browser), with what the pay page needs to load Stripe.js.
   */
  paymentMethods(): PaymentMethods {
    if (!this.provider) return { methods: this.promptpayId ? ['promptpay'] : [] };
    const card = browserCard(this.config);
    const methods = this.provider.methods.filter((m) => m !== 'card' || card);
    return { methods, ...(card ? { stripe: { publishableKey: card.publishableKey, jsUrl: card.jsUrl } } : {}) };
  }

  /**
   * Starts (or returns the open) payment of the caller's order: a PromptPay QR for PROMPTPAY_ID without a
   * provider, or a provider PaymentIntent. The order's deadline moves to the payment's expiry (capped by
   * ORDER_MAX_HOLD_MS after creation). Errors: ORDER_NOT_FOUND (not the owner), ORDER_NOT_PAYABLE (not PENDING or
   * past its deadline), PAYMENT_METHOD_UNAVAILABLE, PAYMENT_PROVIDER_UNAVAILABLE (nothing is recorded then).
   */
  async createIntent(user: TokenClaims, orderId: string, method: OnlineMethod): Promise<Payment> {
    const provider = this.provider;
    if (!provider) {
      if (method !== 'promptpay' || !this.promptpayId) {
        throw new AppError('PAYMENT_METHOD_UNAVAILABLE', { method, reason: method === 'card' ? 'no card payment provider is configured' : 'PROMPTPAY_ID is not configured' });
      }
      return this.run(async (q, fx) => {
        const order = await this.payableOrder(q, user, orderId, true);
        const now = this.now();
        const open = await paymentsRepository.findOpen(q, order.id, 'promptpay', 'promptpay', now);
        if (open) return this.forPayer(open);
        const expiresAt = await this.orders.extendHold(q, order, new Date(now.getTime() + PAYMENT_TTL_MS));
        const p = await paymentsRepository.insert(q, {
          id: randomUUID(), order_id: order.id, method: 'promptpay', provider: 'promptpay', status: 'PENDING', amount: order.total,
          currency: order.currency, qr_payload: promptpayPayload(this.promptpayId!, order.total), created_by: user.sub, expires_at: expiresAt, now,
        });
        fx.payment.push(paymentEvent(order, p, now));
        return this.forPayer(p);
      });
    }
    if (!this.paymentMethods().methods.includes(method)) {
      throw new AppError('PAYMENT_METHOD_UNAVAILABLE', { method, ...(method === 'card' && provider.methods.includes('card') ? { reason: 'STRIPE_PUBLISHABLE_KEY is not configured' } : {}) });
    }

    // 1. what to ask for (no lock held while the provider is called)
    const { order, attempt, open } = await this.db.tx(async (q) => {
      const o = await this.payableOrder(q, user, orderId, false);
      const now = this.now();
      return {
        order: o,
        attempt: await paymentsRepository.countForOrder(q, o.id),
        open: await paymentsRepository.findOpen(q, o.id, method, provider.name, now),
      };
    });
    if (open) return this.forPayer(open);
    // the same attempt (double click, retry) gets the same payment id and the same provider idempotency key
    const key = `${order.id}:${method}:${attempt}`;
    const paymentId = uuidFromKey(key);
    const intent = await this.providerCall(() =>
      provider.createIntent({ paymentId, orderId: order.id, amount: order.total, currency: order.currency, method, idempotencyKey: `boxoffice-${paymentId}`, email: order.customer_email ?? user.email }),
    );
    // 2. record it; a webhook may have recorded it already (then the row stays as the webhook left it)
    return this.run(async (q, fx) => {
      await ordersRepository.findById(q, orderId, true);
      const before = await paymentsRepository.findById(q, paymentId);
      // a webhook beat this answer and recorded (maybe already settled) the payment: that is the truth
      if (before) return this.forPayer(before);
      const o = await this.payableOrder(q, user, orderId, true);
      const now = this.now();
      const expiresAt = await this.orders.extendHold(q, o, intent.expiresAt ?? new Date(now.getTime() + PAYMENT_TTL_MS));
      const p = await paymentsRepository.insert(q, {
        id: paymentId, order_id: o.id, method, provider: provider.name, provider_ref: intent.ref, status: 'PENDING', amount: o.total, currency: o.currency,
        qr_payload: intent.promptpayPayload, client_secret: intent.clientSecret, idempotency_key: key, created_by: user.sub, expires_at: expiresAt, now,
      });
      fx.payment.push(paymentEvent(o, p, now));
      return this.forPayer(p);
    });
  }

  /** The caller's own order, PENDING and within its deadline; row-locked when `lock`. */
  private async payableOrder(q: Queryable, user: TokenClaims, orderId: string, lock: boolean): Promise<OrderRow> {
    const order = await ordersRepository.findById(q, orderId, lock);
    if (!order || order.user_id !== user.sub) throw new AppError('ORDER_NOT_FOUND', { orderId });
    if (order.status !== 'PENDING') throw new AppError('ORDER_NOT_PAYABLE', { orderId, status: order.status });
    if (order.expires_at <= this.now()) throw new AppError('ORDER_NOT_PAYABLE', { orderId, status: order.status, expiredAt: order.expires_at.toISOString() });
    return order;
  }

  private async providerCall<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ProviderUnavailableError) {
        this.log.warn({ err: err.message }, 'payment provider unavailable');
        throw new AppError('PAYMENT_PROVIDER_UNAVAILABLE');
      }
      throw err;
    }
  }

  // ---------------------------------------------------------------- staff: money taken by hand (v1 route)

  /**
   * Staff record money for an order (cash, card terminal, transfer, or a PromptPay QR they saw paid): a
   * `manual` payment, or the order's open PromptPay QR payment when the method is promptpay. The amount must be
   * what the order owes (422 PAYMENT_AMOUNT_MISMATCH); an expired or cancelled order → 409 ORDER_NOT_PAYABLE.
   * The same payment recorded again answers the paid order.
   */
  async recordManual(user: Actor, orderId: string, body: PaymentBody): Promise<Order> {
    return this.run(async (q, fx) => {
      const order = await this.lockOrder(q, orderId);
      const same = order.payments.find((p) => p.status === 'SUCCEEDED' && p.method === body.method && p.amount === body.amount && p.reference === body.reference);
      if (order.status === 'PAID' && same) return toOrder(order);
      const now = this.now();
      if (order.status !== 'PENDING') throw new AppError('ORDER_NOT_PAYABLE', { orderId, status: order.status });
      if (order.expires_at <= now) throw new AppError('ORDER_NOT_PAYABLE', { orderId, status: order.status, expiredAt: order.expires_at.toISOString() });
      const due = order.total - (await paymentsRepository.amountPaid(q, order.id));
      if (body.amount !== due) throw new AppError('PAYMENT_AMOUNT_MISMATCH', { expected: due, received: body.amount, currency: order.currency });
      let payment = body.method === 'promptpay' ? await paymentsRepository.findOpen(q, order.id, 'promptpay', 'promptpay', now) : undefined;
      if (!payment || payment.amount !== body.amount) {
        payment = await paymentsRepository.insert(q, {
          id: randomUUID(), order_id: order.id, method: body.method, provider: 'manual', status: 'PENDING', amount: body.amount,
          currency: order.currency, reference: body.reference, created_by: user.sub, now,
        });
      }
      await this.settleSuccess(q, fx, order, payment, { amount: body.amount, currency: order.currency }, body.reference);
      const after = toOrder((await ordersRepository.findById(q, order.id))!);
      await recordAudit(q, { ...auditActor(user), at: now, action: 'order.payment', entityType: 'order', entityId: order.id, before: toOrder(order), after });
      return after;
    });
  }

  // ---------------------------------------------------------------- provider webhooks

  /**
   * A provider webhook: signature checked on the raw body (WebhookSignatureError → 400), then the intent is read
   * back from the provider (503 while it is unreachable, so the provider retries) and applied in one transaction
   * that also records the event id: a duplicate delivery changes nothing. Order of arrival does not matter: the
   * intent's current state decides, and payment states only move forward.
   */
  async handleWebhook(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<{ duplicate: boolean }> {
    const provider = this.provider;
    if (!provider) throw new AppError('NOT_FOUND');
    let event;
    try {
      event = provider.verifyWebhook(rawBody, headers);
    } catch (err) {
      if (err instanceof WebhookSignatureError) throw new AppError('VALIDATION_FAILED', { reason: 'webhook signature does not verify' }, err.message);
      throw err;
    }
    const intent = event.intentRef ? await this.providerCall(() => provider.readIntent(event.intentRef!)) : undefined;
    // staff refunds of this intent still PENDING at the provider: read back too (charge.refunded, refund.updated)
    const refunds: { id: string; refund: ProviderRefund }[] = [];
    if (intent) {
      for (const r of await paymentsRepository.pendingProviderRefunds(this.db, provider.name, intent.ref)) {
        refunds.push({ id: r.id, refund: await this.providerCall(() => provider.readRefund(r.reference)) });
      }
    }
    return this.run(async (q, fx) => {
      if (!(await paymentsRepository.recordWebhookEvent(q, provider.name, event.id, event.type, this.now()))) return { duplicate: true };
      if (intent) await this.applyIntent(q, fx, intent);
      for (const r of refunds) await this.applyRefund(q, fx, r.id, r.refund);
      return { duplicate: false };
    });
  }

  /** A staff refund record in line with the provider's refund (OrdersService.settleRefund), inside the caller's transaction. */
  private async applyRefund(q: Queryable, fx: Effects, refundId: string, refund: ProviderRefund): Promise<void> {
    const row = await ordersRepository.findRefund(q, refundId);
    if (!row) return;
    const order = await this.lockOrder(q, row.order_id);
    const out = await this.orders.settleRefund(q, order, refundId, refund);
    if (out.orderEvent) fx.order.push(out.orderEvent);
    if (out.mail) fx.mail = true;
  }

  /** Brings our payment in line with the provider's intent (creating the row if the webhook came before our answer). */
  private async applyIntent(q: Queryable, fx: Effects, intent: ProviderIntent): Promise<void> {
    const provider = this.provider!;
    const known = await paymentsRepository.findByProviderRef(q, provider.name, intent.ref);
    const orderId = known?.order_id ?? intent.metadata.orderId;
    if (!orderId || !/^[0-9a-f-]{36}$/i.test(orderId)) {
      this.log.warn({ intent: intent.ref }, 'webhook for an intent of no order of ours; ignored');
      return;
    }
    const order = await ordersRepository.findById(q, orderId, true);
    if (!order) {
      this.log.warn({ intent: intent.ref, orderId }, 'webhook for an unknown order; ignored');
      return;
    }
    const now = this.now();
    let payment = known && (await paymentsRepository.findById(q, known.id, true));
    if (!payment) {
      // the webhook beat the HTTP answer of createIntent: record the attempt as the intent describes it
      const paymentId = intent.metadata.paymentId && /^[0-9a-f-]{36}$/i.test(intent.metadata.paymentId) ? intent.metadata.paymentId : randomUUID();
      payment = await paymentsRepository.insert(q, {
        id: paymentId, order_id: order.id, method: intent.method ?? 'card', provider: provider.name, provider_ref: intent.ref, status: 'PENDING',
        amount: order.total, currency: order.currency, qr_payload: intent.promptpayPayload, client_secret: intent.clientSecret, now,
      });
    }
    if (intent.status === 'succeeded') {
      payment = await this.settleSuccess(q, fx, order, payment, { amount: intent.amount, currency: intent.currency }, intent.ref);
      if (intent.refunded && payment.status === 'REFUND_DUE') await this.move(q, fx, order, payment, 'REFUNDED');
    } else if (intent.status === 'failed' && payment.status === 'PENDING') {
      await this.move(q, fx, order, payment, 'FAILED', { failureReason: intent.failureReason ?? 'payment failed' });
    } else if (intent.status === 'canceled' && payment.status === 'PENDING') {
      await this.move(q, fx, order, payment, 'EXPIRED');
    }
  }

  // ---------------------------------------------------------------- refunds of late payments

  /**
   * Refunds a REFUND_DUE provider payment through its provider (idempotency key per payment, so retries refund
   * once); REFUNDED when the provider says it succeeded, else it stays REFUND_DUE (a later charge.refunded webhook
   * or a staff retry finishes it; a failure is retried by retryDueRefunds with backoff). After a webhook it never throws (an unreachable provider is logged and the
   * staff page offers the retry); `strict` (the staff retry) answers 503 PAYMENT_PROVIDER_UNAVAILABLE instead.
   */
  private async refundThroughProvider(paymentId: string, strict = false): Promise<void> {
    const provider = this.provider;
    const p = await paymentsRepository.findById(this.db, paymentId);
    if (!provider || !p || p.status !== 'REFUND_DUE' || p.provider !== provider.name || !p.provider_ref) return;
    try {
      const r = await provider.refund(p.provider_ref, `boxoffice-refund-${p.id}`);
      const fx = noEffects();
      await this.db.tx(async (q) => {
        const order = await this.lockOrder(q, p.order_id);
        const fresh = (await paymentsRepository.findById(q, p.id, true))!;
        if (r.status === 'succeeded') await this.move(q, fx, order, fresh, 'REFUNDED', { refundRef: r.ref });
        else await paymentsRepository.setStatus(q, p.id, fresh.status, this.now(), { refundRef: r.ref });
      });
      this.orders.publish({ seatEvents: [], paymentEvents: fx.payment, mail: fx.mail });
    } catch (err) {
      this.log.warn({ err: (err as Error).message, paymentId }, 'refund through the provider failed; it stays REFUND_DUE and is retried');
      await paymentsRepository.noteRefundFailure(this.db, 'payment', p.id, this.now(), REFUND_RETRY_BASE_MS, REFUND_RETRY_CAP_MS).catch(() => undefined);
      if (strict) throw err instanceof ProviderUnavailableError ? new AppError('PAYMENT_PROVIDER_UNAVAILABLE') : err;
    }
  }

  /**
   * Staff refund money of an order (POST /api/v1/orders/:id/refunds): the record is made by OrdersService.refund
   * (the rules, REFUND_EXCEEDS_PAID, PAYMENT_METHOD_UNAVAILABLE); one that goes back through the provider is then
   * sent to it (sendRefund) and answered as it stands after that: DONE when the provider refunded at once, PENDING
   * until its webhook confirms, FAILED when it refused. An unreachable provider leaves it PENDING, retried by the
   * refund retries with backoff.
   */
  async refundOrder(actor: Actor, orderId: string, body: RefundBody): Promise<Refund> {
    const refund = await this.orders.refund(actor, orderId, body, this.provider?.name, REFUND_LEASE_MS);
    if (refund.status !== 'PENDING') return refund;
    await this.sendRefund(refund.id);
    const order = (await ordersRepository.findById(this.db, orderId))!;
    return toOrder(order).refunds.find((r) => r.id === refund.id)!;
  }

  /**
   * Sends a PENDING staff refund that has no provider refund yet to the provider: its amount of the payment's
   * intent, with the idempotency key of the refund record (a retry, or two instances, refund once), then applies
   * the answer (OrdersService.settleRefund). Unreachable: it stays PENDING and its next attempt waits the backoff.
   * Refused by the provider (e.g. more than the charge has left): FAILED. Never throws.
   */
  private async sendRefund(refundId: string): Promise<void> {
    const provider = this.provider;
    const row = await ordersRepository.findRefund(this.db, refundId);
    if (!provider || !row || row.status !== 'PENDING' || row.reference || row.provider !== provider.name || !row.provider_ref) return;
    let answer: ProviderRefund;
    try {
      answer = await provider.refund(row.provider_ref, `boxoffice-refund-${row.id}`, row.amount);
    } catch (err) {
      if (!(err instanceof ProviderRefusedError)) {
        this.log.warn({ err: (err as Error).message, refundId }, 'refund through the provider failed; it stays PENDING and is retried');
        await paymentsRepository.noteRefundFailure(this.db, 'refund', row.id, this.now(), REFUND_RETRY_BASE_MS, REFUND_RETRY_CAP_MS).catch(() => undefined);
        return;
      }
      this.log.warn({ err: err.message, refundId }, 'the provider refused the refund; it is FAILED');
      answer = { ref: '', status: 'failed' };
    }
    const fx = noEffects();
    await this.db.tx(async (q) => {
      const order = await this.lockOrder(q, row.order_id);
      const out = await this.orders.settleRefund(q, order, row.id, answer);
      if (out.orderEvent) fx.order.push(out.orderEvent);
      fx.mail ||= out.mail === true;
    });
    this.orders.publish({ seatEvents: [], mail: fx.mail });
    for (const e of fx.order) this.orders.publish({ seatEvents: [], orderEvent: e });
  }

  /**
   * Retries the provider refunds that are due: REFUND_DUE provider payments never tried (the process stopped
   * between COMMIT and the attempt) or whose backoff is over (REFUND_RETRY_BASE_MS doubling, at most
   * REFUND_RETRY_CAP_MS). Each is leased while it is tried, so several instances never try one at once, and
   * the provider call carries the payment's idempotency key, so money goes back once. Returns how many it tried.
   */
  async retryDueRefunds(limit = 20): Promise<number> {
    if (!this.provider) return 0;
    const now = this.now();
    const lease = new Date(now.getTime() + REFUND_LEASE_MS);
    const ids = await paymentsRepository.claimDueRefunds(this.db, this.provider.name, now, lease, limit);
    for (const id of ids) await this.refundThroughProvider(id);
    const records = await paymentsRepository.claimDueRefundRecords(this.db, this.provider.name, now, lease, limit);
    for (const id of records) await this.sendRefund(id);
    return ids.length + records.length;
  }

  /** Runs retryDueRefunds every `intervalMs` until stop(); a failing round is logged and the next one runs. */
  startRefundRetries(intervalMs: number): void {
    if (!this.provider) return;
    const tick = async () => {
      this.refundRound = this.retryDueRefunds().then(
        () => undefined,
        (err: unknown) => this.log.warn({ err }, 'refund retry round failed; will retry'),
      );
      await this.refundRound;
      if (this.refundTimer) this.refundTimer = setTimeout(tick, intervalMs).unref();
    };
    this.refundTimer = setTimeout(tick, intervalMs).unref();
  }

  async stopRefundRetries(): Promise<void> {
    clearTimeout(this.refundTimer);
    this.refundTimer = undefined;
    await this.refundRound;
  }

  /** Late payments to refund (and those refunded this week), for the staff page. */
  async refundQueue(): Promise<RefundQueue> {
    const rows = await paymentsRepository.refundQueue(this.db);
    return {
      items: rows.map((r) => ({
        payment: toPayment(r),
        order: { id: r.order_id, showDate: r.o_show_date, status: r.o_status, userId: r.o_user_id, ...(r.o_customer_name ? { customerName: r.o_customer_name } : {}) },
      })),
    };
  }

  /**
   * Staff finish a REFUND_DUE payment: through the provider when it has one (503 while unreachable), or, for
   * money taken without a provider, by recording the reference of the transfer they made back. Already REFUNDED →
   * answered as it is; another state → 400 VALIDATION_FAILED; an unknown id → 404 PAYMENT_NOT_FOUND.
   */
  async refundPayment(user: TokenClaims, paymentId: string, reference?: string): Promise<Payment> {
    const p = await paymentsRepository.findById(this.db, paymentId);
    if (!p) throw new AppError('PAYMENT_NOT_FOUND', { paymentId });
    if (p.status === 'REFUNDED') return toPayment(p);
    if (p.status !== 'REFUND_DUE') throw new AppError('VALIDATION_FAILED', { reason: 'only a payment with status REFUND_DUE can be refunded here', status: p.status });
    if (p.provider === 'stripe' && this.provider) {
      await this.refundThroughProvider(p.id, true);
      return toPayment((await paymentsRepository.findById(this.db, p.id))!);
    }
    if (!reference) throw new AppError('VALIDATION_FAILED', { reason: 'reference (of the transfer back) is required for a payment without a provider' });
    return this.run(async (q, fx) => {
      const order = await this.lockOrder(q, p.order_id);
      const fresh = (await paymentsRepository.findById(q, p.id, true))!;
      this.log.info({ paymentId, by: user.sub, reference }, 'refund recorded by staff');
      return toPayment(await this.move(q, fx, order, fresh, 'REFUNDED', { refundRef: reference }));
    });
  }

  // ---------------------------------------------------------------- transfer slips

  /**
   * The buyer uploads the slip of a transfer for their order (PENDING, or cancelled/expired: money sent late is
   * still looked at). Checked by content: a PNG or JPEG of at most 2 MB, else 400 SLIP_INVALID. Kept in the
   * database with the order. A slip for a PENDING order extends its hold like a started payment.
   */
  async submitSlip(user: TokenClaims, orderId: string, image: Buffer): Promise<Slip> {
    if (image.length === 0) throw new AppError('SLIP_INVALID', { reason: 'empty file' });
    if (image.length > SLIP_MAX_BYTES) throw new AppError('SLIP_INVALID', { reason: 'larger than 2 MB', maxBytes: SLIP_MAX_BYTES });
    const type = await fileTypeFromBuffer(image);
    if (!type || !SLIP_MIMES.has(type.mime)) throw new AppError('SLIP_INVALID', { reason: 'not a PNG or JPEG image', detected: type?.mime ?? null });
    return this.run(async (q) => {
      const order = await ordersRepository.findById(q, orderId, true);
      if (!order || order.user_id !== user.sub) throw new AppError('ORDER_NOT_FOUND', { orderId });
      if (order.status === 'PAID') throw new AppError('ORDER_NOT_PAYABLE', { orderId, status: order.status });
      const existing = await paymentsRepository.listSlips(q, { orderId });
      if (existing.length >= SLIPS_PER_ORDER) throw new AppError('SLIP_INVALID', { reason: `at most ${SLIPS_PER_ORDER} slips per order` });
      const now = this.now();
      if (order.status === 'PENDING' && order.expires_at > now) await this.orders.extendHold(q, order, new Date(now.getTime() + PAYMENT_TTL_MS));
      const row = await paymentsRepository.insertSlip(q, {
        id: randomUUID(), orderId, userId: user.sub, mime: type.mime, image, sha256: createHash('sha256').update(image).digest('hex'), now,
      });
      return toSlip(row);
    });
  }

  /** Slips of one order (its owner, staff). */
  async orderSlips(user: TokenClaims, orderId: string): Promise<Slip[]> {
    const order = await ordersRepository.findById(this.db, orderId);
    if (!order || (!isStaff(user.role) && order.user_id !== user.sub)) throw new AppError('ORDER_NOT_FOUND', { orderId });
    return (await paymentsRepository.listSlips(this.db, { orderId })).map(toSlip);
  }

  async listSlips(status?: SlipStatus): Promise<Slip[]> {
    return (await paymentsRepository.listSlips(this.db, { status })).map(toSlip);
  }

  /** The slip image (staff, or the order's owner). */
  async slipImage(user: TokenClaims, id: string): Promise<{ mime: string; image: Buffer }> {
    const s = await paymentsRepository.slipImage(this.db, id);
    if (!s || (!isStaff(user.role) && s.user_id !== user.sub)) throw new AppError('SLIP_NOT_FOUND', { slipId: id });
    return s;
  }

  /**
   * Staff approve a slip: the order's open PromptPay QR payment (or a new provider-less promptpay payment) of the
   * amount due succeeds, through the same rules as any money arriving (a late one re-books or becomes
   * REFUND_DUE). Approving twice answers the approved slip; an approved slip cannot be rejected.
   */
  async approveSlip(user: Actor, id: string): Promise<Slip> {
    return this.run(async (q, fx) => {
      const slip = await this.lockSlip(q, id);
      if (slip.status === 'APPROVED') return this.slipView(q, id);
      const order = await this.lockOrder(q, slip.order_id);
      const now = this.now();
      const paid = await paymentsRepository.amountPaid(q, order.id);
      const amount = order.status === 'PAID' ? order.total : order.total - paid;
      let payment = await paymentsRepository.findOpen(q, order.id, 'promptpay', 'promptpay', new Date(0));
      if (!payment || payment.amount !== amount || order.status !== 'PENDING') {
        payment = (await paymentsRepository.listForOrder(q, order.id)).find((p) => p.provider === 'promptpay' && (p.status === 'EXPIRED' || p.status === 'PENDING') && p.amount === amount);
      }
      payment ??= await paymentsRepository.insert(q, {
        id: randomUUID(), order_id: order.id, method: 'promptpay', provider: 'promptpay', status: 'PENDING', amount, currency: order.currency, created_by: user.sub, now,
      });
      payment = await this.settleSuccess(q, fx, order, payment, { amount, currency: order.currency }, `slip ${id.slice(0, 8)}`);
      await paymentsRepository.decideSlip(q, id, { status: 'APPROVED', by: user.sub, now, paymentId: payment.id });
      const view = await this.slipView(q, id);
      await recordAudit(q, { ...auditActor(user), at: now, action: 'slip.approve', entityType: 'slip', entityId: id, before: { status: slip.status }, after: view });
      return view;
    });
  }

  /** Staff reject a slip with a reason the buyer sees. Rejecting twice answers the rejected slip. */
  async rejectSlip(user: Actor, id: string, reason: string): Promise<Slip> {
    return this.run(async (q) => {
      const slip = await this.lockSlip(q, id);
      if (slip.status === 'APPROVED') throw new AppError('VALIDATION_FAILED', { reason: 'the slip was already approved' });
      if (slip.status !== 'SUBMITTED') return this.slipView(q, id);
      await paymentsRepository.decideSlip(q, id, { status: 'REJECTED', by: user.sub, now: this.now(), reason });
      const view = await this.slipView(q, id);
      await recordAudit(q, { ...auditActor(user), at: this.now(), action: 'slip.reject', entityType: 'slip', entityId: id, before: { status: slip.status }, after: view });
      return view;
    });
  }

  private async lockSlip(q: Queryable, id: string) {
    const slip = await paymentsRepository.findSlip(q, id, true);
    if (!slip) throw new AppError('SLIP_NOT_FOUND', { slipId: id });
    return slip;
  }

  private async slipView(q: Queryable, id: string): Promise<Slip> {
    const slip = (await paymentsRepository.findSlip(q, id))!;
    return toSlip(slip);
  }
}
