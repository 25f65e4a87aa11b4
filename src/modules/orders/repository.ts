import type { Queryable } from '../../db/driver.ts';
import type { CancelReason, OrderStatus, StandingType } from '../../contract/orders.ts';
import type { PaymentStatus } from '../../contract/payments.ts';
import type { SeatEvent } from '../../contract/events.ts';
import type { PaymentJson } from '../payments/repository.ts';
import { fromSqlError } from '../../errors.ts';
import { nationalDigits } from './phone.ts';

export interface OrderRow {
  id: string;
  code: string;
  language: 'en' | 'th' | null;
  user_id: string;
  show_date: string;
  status: OrderStatus;
  total: number;
  currency: string;
  customer_name: string | null;
  customer_phone: string | null;
  customer_email: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: Date;
  expires_at: Date;
  paid_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: CancelReason | null;
  cancel_note: string | null;
  refund_due: boolean;
  seats: { seatId: string; zoneId: string; price: number }[];
  /** standing places the order holds (or held, once cancelled whole), per type and price */
  standing: { type: StandingType; quantity: number; price: number }[];
  /** every payment attempt, oldest first (payments table rows as JSON) */
  payments: PaymentJson[];
  channel: 'ONLINE' | 'BOX_OFFICE';
  sold_by: string | null;
  /** the seller's name (users.name), for receipts printed later */
  sold_by_name: string | null;
  referrer_code: string | null;
  referrer_commission: number | null;
  cancelled_items: { seatId: string; zoneId: string; price: number; cancelledAt: string }[];
  cancelled_standing: { type: StandingType; quantity: number; price: number; cancelledAt: string }[];
  refunds: RefundJson[];
  /** staff refunds not FAILED (payments refunded through the provider are counted from `payments`) */
  refunds_total: number;
}

/** A refund row as the order query aggregates it (json_build_object, so dates are text). */
export interface RefundJson {
  id: string;
  orderId: string;
  amount: number;
  currency: string;
  method: 'cash' | 'card' | 'transfer' | 'promptpay';
  reference: string | null;
  status: 'PENDING' | 'DONE' | 'FAILED';
  reason: string;
  createdAt: string;
  createdBy: string;
  completedAt: string | null;
}

/** A refund record as the provider path reads it. */
export interface RefundRow {
  id: string;
  order_id: string;
  amount: number;
  status: 'PENDING' | 'DONE' | 'FAILED';
  reference: string | null;
  payment_id: string | null;
  provider: string | null;
  provider_ref: string | null;
}

/** Every order is read through bo_order_json (src/db/functions/), the one home of its shape, as `j`. */
const ORDER_SELECT = 'SELECT bo_order_json(o.id) AS j FROM orders o';

type OrderJson = Omit<OrderRow, 'created_at' | 'expires_at' | 'paid_at' | 'cancelled_at'> & {
  created_at: string;
  expires_at: string;
  paid_at: string | null;
  cancelled_at: string | null;
};

/** An order as bo_order_json returns it (timestamps as JSON text) → the row the service works with. */
export function orderRow(j: OrderJson): OrderRow {
  return {
    ...j,
    created_at: new Date(j.created_at),
    expires_at: new Date(j.expires_at),
    paid_at: j.paid_at === null ? null : new Date(j.paid_at),
    cancelled_at: j.cancelled_at === null ? null : new Date(j.cancelled_at),
  };
}

/** What bo_order_create is given (see its file for each field). */
export interface OrderCreateInput {
  user: string;
  show: string;
  seats: string[];
  adult: number;
  child: number;
  now: Date;
  ttlMs: number;
  key: string | null;
  hash: string;
  max: number | null;
  channel: 'ONLINE' | 'BOX_OFFICE';
  soldBy: string | null;
  closedOk: boolean;
  referrer: string | null;
  referrerGiven: string | null;
  customerName: string | null;
  customerPhone: string | null;
  customerEmail: string | null;
  language: 'en' | 'th' | null;
  paid: number | null;
  /** commit asynchronously: only when q is the database itself; the caller MUST await Db.durable() before telling anyone */
  asyncCommit?: boolean;
}

/** The seat events an order transaction numbered (API.md seat events, ready to publish). */
type NumberedEvents = SeatEvent[];

/** bo_orders_cancel's answer: the orders it cancelled, their events, the payments that expired with them. */
export interface CancelledOrders {
  orders: { id: string; userId: string; showDate: string; code: string; order?: OrderRow }[];
  events: NumberedEvents;
  payments: { orderId: string; paymentId: string; status: PaymentStatus }[];
}

type CancelledJson = Omit<CancelledOrders, 'orders'> & { orders: (Omit<CancelledOrders['orders'][number], 'order'> & { order?: OrderJson })[] };

const cancelled = (r: CancelledJson): CancelledOrders => ({ ...r, orders: r.orders.map((o) => (o.order ? { ...o, order: orderRow(o.order) } : o)) as CancelledOrders['orders'] });

/** Runs one booking-core SQL function call; an API error it raised becomes the AppError (fromSqlError). */
async function call<T>(q: Queryable, sql: string, params: unknown[], name: string): Promise<T> {
  try {
    const { rows } = await q.query<{ r: T }>(sql, params, name);
    return rows[0].r;
  } catch (err) {
    throw fromSqlError(err);
  }
}

export const ordersRepository = {
  /**
   * An order made in ONE statement (bo_order_create): a replay of an earlier request, or the new PENDING order with
   * its numbered events. API errors it raised become their AppError; unique violations are thrown as they are.
   */
  async create(q: Queryable, a: OrderCreateInput): Promise<{ replayed: boolean; order: OrderRow; events: NumberedEvents }> {
    const r = await call<{ replayed: boolean; order: OrderJson; events: NumberedEvents }>(
      q, 'SELECT bo_order_create($1::jsonb) AS r', [JSON.stringify({ ...a, now: a.now.toISOString() })], 'bo_order_create');
    return { replayed: r.replayed, order: orderRow(r.order), events: r.events };
  },

  /**
   * A whole order cancelled by its buyer or staff in ONE statement (bo_order_cancel): `owner` is the caller when
   * they may only see their own orders, undefined for staff; `before` is set for staff (their audit entry).
   * ORDER_NOT_FOUND / ORDER_NOT_CANCELLABLE as AppError.
   */
  async cancelOne(q: Queryable, a: { orderId: string; owner?: string; staff: boolean; actor: string; note?: string; now: Date; asyncCommit?: boolean }): Promise<CancelledOrders & { before?: OrderRow }> {
    const r = await call<CancelledJson & { before: OrderJson | null }>(
      q, 'SELECT bo_order_cancel($1, $2, $3, $4, $5, $6, $7) AS r', [a.orderId, a.owner ?? null, a.staff, a.actor, a.note ?? null, a.now, a.asyncCommit ?? false], 'bo_order_cancel');
    return { ...cancelled(r), before: r.before ? orderRow(r.before) : undefined };
  },

  /**
   * Cancels orders whose row locks the caller holds, set-based (bo_orders_cancel, THE transition to CANCELLED);
   * those already CANCELLED are left alone. `json`: answer each order as it is after.
   */
  async cancelMany(q: Queryable, ids: string[], c: { reason: CancelReason; note?: string; now: Date; json: boolean }): Promise<CancelledOrders> {
    return cancelled(await call<CancelledJson>(
      q, 'SELECT bo_orders_cancel($1, $2, $3, $4, $5) AS r', [ids, c.reason, c.note ?? null, c.now, c.json], 'bo_orders_cancel'));
  },

  /** One expiry batch in ONE statement (bo_orders_expire): up to `limit` expired PENDING orders no one else holds, cancelled. */
  async expireBatch(q: Queryable, now: Date, limit: number): Promise<CancelledOrders> {
    return cancelled(await call<CancelledJson>(q, 'SELECT bo_orders_expire($1, $2) AS r', [now, limit], 'bo_orders_expire'));
  },

  async findById(q: Queryable, id: string, forUpdate = false): Promise<OrderRow | undefined> {
    if (forUpdate) await q.query('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [id]);
    const { rows } = await q.query<{ j: OrderJson }>(`${ORDER_SELECT} WHERE o.id = $1`, [id]);
    return rows[0] && orderRow(rows[0].j);
  },

  async findByIdempotencyKey(q: Queryable, userId: string, key: string): Promise<OrderRow | undefined> {
    const { rows } = await q.query<{ j: OrderJson }>(`${ORDER_SELECT} WHERE o.user_id = $1 AND o.idempotency_key = $2`, [userId, key]);
    return rows[0] && orderRow(rows[0].j);
  },

  /**
   * Newest first. `search`: part of the customer name or email (case-insensitive), or of the phone number
   * (digits only, Thai numbers in their national form both sides: "089 111" and "0891112222" find "+66 89 111 2222",
   * "+66 89" finds "089-111…"; see phone.ts). `seatId` (with a show): orders that hold or held the seat.
   */
  async list(
    q: Queryable,
    f: { userId?: string; status?: OrderStatus; showDate?: string; text?: string; codePrefix?: string; seatId?: string; limit: number; offset: number; after?: string },
  ): Promise<{ rows: OrderRow[]; total: number }> {
    // text: a substring of name, phone or email (LIKE wildcards escaped), or of the phone's digits whatever the spacing;
    // codePrefix: the start of an order code; seatId: the order holds or held the seat (with showDate)
    const digits = f.text === undefined ? '' : nationalDigits(f.text);
    const where = `WHERE ($1::uuid IS NULL OR o.user_id = $1) AND ($2::text IS NULL OR o.status = $2) AND ($3::date IS NULL OR o.show_date = $3)
      AND ($4::text IS NULL OR o.code LIKE $5::text || '%'
           OR o.customer_name ILIKE '%' || $4 || '%' OR o.customer_phone ILIKE '%' || $4 || '%' OR o.customer_email ILIKE '%' || $4 || '%'
           OR ($6::text IS NOT NULL AND regexp_replace(regexp_replace(o.customer_phone, '^[^0-9+]*(\\+|00)66\\)?', '0'), '[^0-9]', '', 'g') LIKE '%' || $6 || '%'))
      AND ($7::text IS NULL OR EXISTS (SELECT 1 FROM order_seats os WHERE os.order_id = o.id AND os.show_date = o.show_date AND os.seat_id = $7))`;
    const text = f.text === undefined ? null : f.text.replace(/[\\%_]/g, (c) => `\\${c}`);
    const params = [f.userId ?? null, f.status ?? null, f.showDate ?? null, text, f.codePrefix ?? null, digits.length >= 3 ? digits : null, f.seatId ?? null];
    // keyset (`after`: the last order of the previous page): the (…, created_at) indexes are walked from its
    // created_at down, with no OFFSET scan; ties on created_at are broken by id as in the ORDER BY
    const after = f.after
      ? `AND o.created_at <= (SELECT created_at FROM orders WHERE id = $10)
         AND (o.created_at < (SELECT created_at FROM orders WHERE id = $10) OR o.id > $10)`
      : '';
    const [{ rows }, count] = await Promise.all([
      q.query<{ j: OrderJson }>(`${ORDER_SELECT} ${where} ${after} ORDER BY o.created_at DESC, o.id LIMIT $8 OFFSET $9`, [...params, f.limit, f.offset, ...(f.after ? [f.after] : [])]),
      q.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders o ${where}`, params),
    ]);
    return { rows: rows.map((r) => orderRow(r.j)), total: count.rows[0].n };
  },

  /**
   * Row-locks the show's standing counter (after the seat rows, bo_take_locks) and purges its expired holds
   * (bo_standing_expire). Undefined when the show has no standing area. Returns the places freed by the purge.
   */
  async lockStanding(q: Queryable, showDate: string, now: Date): Promise<{ freed: number } | undefined> {
    const { rows } = await q.query<{ show_date: string }>('SELECT show_date FROM show_standing WHERE show_date = $1 FOR UPDATE', [showDate]);
    if (!rows.length) return undefined;
    const freed = await q.query<{ n: number }>('SELECT bo_standing_expire($1, $2) AS n', [showDate, now]);
    return { freed: freed.rows[0].n };
  },

  /** Takes `places` of the show's standing capacity if they fit (bo_standing_take, the guarded counter). */
  async takeStanding(q: Queryable, showDate: string, places: number): Promise<boolean> {
    const { rows } = await q.query<{ ok: boolean }>('SELECT bo_standing_take($1, $2) AS ok', [showDate, places]);
    return rows[0].ok;
  },

  /** Gives `places` back to the show's standing capacity; the caller holds the standing row (lockStanding). */
  async returnStanding(q: Queryable, showDate: string, places: number): Promise<void> {
    if (places > 0) await q.query('UPDATE show_standing SET taken = taken - $2 WHERE show_date = $1', [showDate, places]);
  },

  /** Standing places anyone may take now (bo_standing_available); 0 for a show without a standing area. */
  async standingAvailable(q: Queryable, showDate: string, now: Date): Promise<number> {
    const { rows } = await q.query<{ n: number | null }>('SELECT bo_standing_available($1, $2) AS n', [showDate, now]);
    return rows[0].n ?? 0;
  },

  /**
   * Runs `deactivate` ($1 = the order id, $2 = now; an UPDATE of order_standing rows), and gives the places it
   * deactivated back to the show's counter under its row lock. Returns the places available after, or undefined
   * when none were deactivated.
   */
  async freeStanding(q: Queryable, order: OrderRow, now: Date, deactivate: string, params: unknown[] = []): Promise<number | undefined> {
    if (!order.standing.length) return undefined;
    await this.lockStanding(q, order.show_date, now);
    const res = await q.query(deactivate, [order.id, ...params]);
    const n = res.rowCount ?? 0;
    if (n === 0) return undefined;
    await this.returnStanding(q, order.show_date, n);
    return this.standingAvailable(q, order.show_date, now);
  },

  async markPaid(q: Queryable, id: string, now: Date): Promise<void> {
    await q.query(`UPDATE orders SET status = 'PAID', paid_at = $2 WHERE id = $1`, [id, now]);
  },

  /** Moves the payment deadline of a PENDING order later (never earlier). */
  async extendExpiry(q: Queryable, id: string, until: Date): Promise<void> {
    await q.query(`UPDATE orders SET expires_at = greatest(expires_at, $2) WHERE id = $1 AND status = 'PENDING'`, [id, until]);
  },

  /**
   * Books a CANCELLED order's live seats and standing places again (not those a partial cancel took out) if every
   * seat is free (bo_seat_free) and its places still fit the show's standing capacity (the guarded counter),
   * row-locking the seats in seat_id order, then the standing counter; the order becomes PENDING with its cancellation cleared (the caller
   * then marks it paid). Returns false, changing nothing, when any seat is taken.
   */
  async rebook(q: Queryable, order: OrderRow, now: Date): Promise<boolean> {
    // the order's live items only: seats a partial cancel took out stay out (and may belong to someone else now)
    const seatIds = order.seats.map((s) => s.seatId).sort();
    const places = order.standing.reduce((sum, l) => sum + l.quantity, 0);
    if (seatIds.length === 0 && places === 0) return false;
    // free = bo_seat_free, the one rule (an expired hold counts as free); rows locked in seat_id order
    const { rows } = await q.query<{ seat_id: string; free: boolean }>(
      `SELECT seat_id, bo_seat_free(state, hold_expires_at, $3) AS free FROM seat_inventory
        WHERE show_date = $1 AND seat_id = ANY ($2) ORDER BY seat_id FOR UPDATE`,
      [order.show_date, seatIds, now],
    );
    if (rows.length !== seatIds.length || !rows.every((r) => r.free)) return false;
    if (places > 0) {
      await this.lockStanding(q, order.show_date, now);
      if (!(await this.takeStanding(q, order.show_date, places))) return false;
      await q.query('UPDATE order_standing SET active = true WHERE order_id = $1 AND cancelled_at IS NULL', [order.id]);
    }
    await q.query(`UPDATE orders SET status = 'PENDING', cancelled_at = NULL, cancel_reason = NULL, cancel_note = NULL, refund_due = false WHERE id = $1`, [order.id]);
    await q.query('UPDATE order_seats SET active = true WHERE order_id = $1 AND cancelled_at IS NULL', [order.id]);
    await q.query(
      `UPDATE seat_inventory SET state = 'BOOKED', order_id = $1, holder_id = NULL, hold_expires_at = NULL WHERE show_date = $2 AND seat_id = ANY ($3)`,
      [order.id, order.show_date, seatIds],
    );
    return true;
  },

  /**
   * Takes some seats out of a live order (partial cancel); the caller holds the order row lock and has checked
   * the seats are in the order. The order's total becomes the price of what it still holds. Returns the freed seats.
   */
  async cancelItems(q: Queryable, order: OrderRow, seatIds: string[], standing: { adult: number; child: number }, now: Date): Promise<{ seats: string[]; standingAvailable?: number }> {
    await q.query(
      `UPDATE order_seats SET active = false, cancelled_at = $3 WHERE order_id = $1 AND seat_id = ANY ($2) AND cancelled_at IS NULL`,
      [order.id, seatIds, now],
    );
    await q.query('SELECT seat_id FROM seat_inventory WHERE show_date = $1 AND seat_id = ANY ($2) ORDER BY seat_id FOR UPDATE', [order.show_date, seatIds]);
    const { rows } = await q.query<{ seat_id: string }>(
      `UPDATE seat_inventory SET state = 'AVAILABLE', order_id = NULL WHERE show_date = $1 AND order_id = $2 AND seat_id = ANY ($3) RETURNING seat_id`,
      [order.show_date, order.id, seatIds],
    );
    // the places with the highest numbers of each type leave the order
    const standingAvailable = standing.adult + standing.child > 0
      ? await this.freeStanding(
          q, order, now,
          `UPDATE order_standing st SET active = false, cancelled_at = $2
             FROM (SELECT admission, place_no, row_number() OVER (PARTITION BY admission ORDER BY place_no DESC) AS k
                     FROM order_standing WHERE order_id = $1 AND cancelled_at IS NULL) pick
            WHERE st.order_id = $1 AND st.admission = pick.admission AND st.place_no = pick.place_no
              AND pick.k <= CASE pick.admission WHEN 'adult' THEN $3::int ELSE $4::int END`,
          [now, standing.adult, standing.child],
        )
      : undefined;
    await q.query(
      `UPDATE orders SET total = (SELECT coalesce(sum(price), 0) FROM order_seats WHERE order_id = $1 AND cancelled_at IS NULL)
                               + (SELECT coalesce(sum(price), 0) FROM order_standing WHERE order_id = $1 AND cancelled_at IS NULL) WHERE id = $1`,
      [order.id],
    );
    const seats = rows.map((r) => r.seat_id).sort();
    return standingAvailable === undefined ? { seats } : { seats, standingAvailable };
  },

  /**
   * A refund record. `paymentId`: the provider payment it goes back through (then PENDING, leased for the first
   * attempt until `retryAt`); without it the refund is DONE at once (completed_at = createdAt).
   */
  async insertRefund(
    q: Queryable,
    r: {
      orderId: string; amount: number; currency: string; method: string; reference?: string; reason: string; status: 'PENDING' | 'DONE';
      createdAt: Date; createdBy: string; paymentId?: string; retryAt?: Date;
    },
  ): Promise<string> {
    const { rows } = await q.query<{ id: string }>(
      `INSERT INTO refunds (order_id, amount, currency, method, reference, reason, status, created_at, created_by, completed_at, payment_id, retry_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $7 = 'DONE' THEN $8::timestamptz END, $10, $11) RETURNING id`,
      [r.orderId, r.amount, r.currency, r.method, r.reference ?? null, r.reason, r.status, r.createdAt, r.createdBy, r.paymentId ?? null, r.retryAt ?? null],
    );
    return rows[0].id;
  },

  /** One refund record with the provider payment it goes through (provider_ref: that payment's intent); row-locked when `forUpdate`. */
  async findRefund(q: Queryable, id: string, forUpdate = false): Promise<RefundRow | undefined> {
    const { rows } = await q.query<RefundRow>(
      `SELECT r.id, r.order_id, r.amount, r.status, r.reference, r.payment_id, p.provider, p.provider_ref
         FROM refunds r LEFT JOIN payments p ON p.id = r.payment_id WHERE r.id = $1${forUpdate ? ' FOR UPDATE OF r' : ''}`,
      [id],
    );
    return rows[0];
  },

  /** A PENDING refund the provider decided: DONE (completed_at = now) or FAILED; `reference` the provider's refund id. */
  async settleRefund(q: Queryable, id: string, status: 'PENDING' | 'DONE' | 'FAILED', reference: string | undefined, now: Date): Promise<void> {
    await q.query(
      `UPDATE refunds SET status = $2, reference = coalesce(reference, $3), completed_at = CASE WHEN $2 = 'DONE' THEN $4::timestamptz END
        WHERE id = $1 AND status = 'PENDING'`,
      [id, status, reference ?? null, now],
    );
  },

  /** The seq of one seat event (bo_next_seq): the last write of the transaction. */
  async nextSeq(q: Queryable, showDate: string): Promise<number> {
    const { rows } = await q.query<{ seq: number }>('SELECT bo_next_seq($1, 1) AS seq', [showDate]);
    return Number(rows[0].seq);
  },
};
