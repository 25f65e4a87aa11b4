import type { Queryable } from '../../db/driver.ts';
import type { SeatState } from '../../contract/common.ts';
import type { CancelReason, OrderStatus, StandingType } from '../../contract/orders.ts';
import type { ShowStatus } from '../../contract/catalog.ts';
import type { PaymentJson } from '../payments/repository.ts';

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

export interface InventoryRow {
  seat_id: string;
  state: SeatState;
  holder_id: string | null;
  hold_expires_at: Date | null;
  order_id: string | null;
}

export interface PricedSeat {
  seat_id: string;
  zone_id: string;
  price: number;
  currency: string;
}

/**
 * An order with its items, refunds and money. `seats` are the items the order holds (or held, once cancelled
 * whole); `cancelled_items` were taken out by a partial cancel. Paid = the recorded payment; refunded = refunds
 * that did not fail.
 */
const ORDER_SELECT = `
  SELECT o.*,
         coalesce((SELECT json_agg(json_build_object('seatId', os.seat_id, 'zoneId', os.zone_id, 'price', os.price) ORDER BY os.seat_id)
                     FROM order_seats os WHERE os.order_id = o.id AND os.cancelled_at IS NULL), '[]'::json) AS seats,
         coalesce((SELECT json_agg(json_build_object('type', g.admission, 'quantity', g.n, 'price', g.price) ORDER BY g.admission, g.price)
                     FROM (SELECT st.admission, st.price, count(*)::int AS n FROM order_standing st
                            WHERE st.order_id = o.id AND st.cancelled_at IS NULL GROUP BY 1, 2) g), '[]'::json) AS standing,
         coalesce((SELECT json_agg(json_build_object('type', g.admission, 'quantity', g.n, 'price', g.price, 'cancelledAt', g.cancelled_at)
                                   ORDER BY g.cancelled_at, g.admission, g.price)
                     FROM (SELECT st.admission, st.price, st.cancelled_at, count(*)::int AS n FROM order_standing st
                            WHERE st.order_id = o.id AND st.cancelled_at IS NOT NULL GROUP BY 1, 2, 3) g), '[]'::json) AS cancelled_standing,
         coalesce((SELECT json_agg(row_to_json(p) ORDER BY p.created_at, p.id) FROM payments p WHERE p.order_id = o.id), '[]'::json) AS payments,
         coalesce((SELECT json_agg(json_build_object('seatId', os.seat_id, 'zoneId', os.zone_id, 'price', os.price, 'cancelledAt', os.cancelled_at)
                                   ORDER BY os.cancelled_at, os.seat_id)
                     FROM order_seats os WHERE os.order_id = o.id AND os.cancelled_at IS NOT NULL), '[]'::json) AS cancelled_items,
         coalesce((SELECT json_agg(json_build_object('id', r.id, 'orderId', r.order_id, 'amount', r.amount, 'currency', r.currency,
                                                     'method', r.method, 'reference', r.reference, 'status', r.status, 'reason', r.reason,
                                                     'createdAt', r.created_at, 'createdBy', r.created_by, 'completedAt', r.completed_at)
                                   ORDER BY r.created_at, r.id)
                     FROM refunds r WHERE r.order_id = o.id), '[]'::json) AS refunds,
         coalesce((SELECT sum(r.amount) FROM refunds r WHERE r.order_id = o.id AND r.status <> 'FAILED'), 0)::int AS refunds_total
    FROM orders o`;

export const ordersRepository = {
  /** Serialises one user's lock and order requests for one show (bo_user_show_key, as holds). */
  async lockUserShow(q: Queryable, userId: string, showDate: string): Promise<void> {
    await q.query('SELECT pg_advisory_xact_lock(bo_user_show_key($1, $2))', [userId, showDate]);
  },

  async findById(q: Queryable, id: string, forUpdate = false): Promise<OrderRow | undefined> {
    if (forUpdate) await q.query('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [id]);
    const { rows } = await q.query<OrderRow>(`${ORDER_SELECT} WHERE o.id = $1`, [id]);
    return rows[0];
  },

  async findByIdempotencyKey(q: Queryable, userId: string, key: string): Promise<OrderRow | undefined> {
    const { rows } = await q.query<OrderRow>(`${ORDER_SELECT} WHERE o.user_id = $1 AND o.idempotency_key = $2`, [userId, key]);
    return rows[0];
  },

  /**
   * Newest first. `search`: part of the customer name or email (case-insensitive), or of the phone number
   * (digits only, so "081 234" finds "+66 81-234…"). `seatId` (with a show): orders that hold or held the seat.
   */
  async list(
    q: Queryable,
    f: { userId?: string; status?: OrderStatus; showDate?: string; text?: string; codePrefix?: string; seatId?: string; limit: number; offset: number; after?: string },
  ): Promise<{ rows: OrderRow[]; total: number }> {
    // text: a substring of name, phone or email (LIKE wildcards escaped), or of the phone's digits whatever the spacing;
    // codePrefix: the start of an order code; seatId: the order holds or held the seat (with showDate)
    const digits = f.text?.replace(/[^0-9]/g, '') ?? '';
    const where = `WHERE ($1::uuid IS NULL OR o.user_id = $1) AND ($2::text IS NULL OR o.status = $2) AND ($3::date IS NULL OR o.show_date = $3)
      AND ($4::text IS NULL OR o.code LIKE $5::text || '%'
           OR o.customer_name ILIKE '%' || $4 || '%' OR o.customer_phone ILIKE '%' || $4 || '%' OR o.customer_email ILIKE '%' || $4 || '%'
           OR ($6::text IS NOT NULL AND regexp_replace(o.customer_phone, '[^0-9]', '', 'g') LIKE '%' || $6 || '%'))
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
      q.query<OrderRow>(`${ORDER_SELECT} ${where} ${after} ORDER BY o.created_at DESC, o.id LIMIT $8 OFFSET $9`, [...params, f.limit, f.offset, ...(f.after ? [f.after] : [])]),
      q.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders o ${where}`, params),
    ]);
    return { rows, total: count.rows[0].n };
  },

  async showSales(q: Queryable, showDate: string): Promise<{ status: ShowStatus; sales_close_at: Date } | undefined> {
    const { rows } = await q.query<{ status: ShowStatus; sales_close_at: Date }>('SELECT status, sales_close_at FROM shows WHERE show_date = $1', [showDate]);
    return rows[0];
  },

  /** Row-locks the seats in seat_id order (the order every writer uses) and returns their state. */
  async lockInventory(q: Queryable, showDate: string, seatIds: string[]): Promise<InventoryRow[]> {
    const { rows } = await q.query<InventoryRow>(
      `SELECT seat_id, state, holder_id, hold_expires_at, order_id FROM seat_inventory
        WHERE show_date = $1 AND seat_id = ANY ($2) ORDER BY seat_id FOR UPDATE`,
      [showDate, seatIds],
    );
    return rows;
  },

  /**
   * The per-user cap (bo_seat_cap_exceeded, its one home) for an order of `seatIds` and `places` standing places:
   * undefined within MAX_SEATS_PER_USER, else LOCK_LIMIT_EXCEEDED's details. The caller gave back the standing
   * holds the order turns into booked places first (unholdStanding), so they are not counted twice.
   */
  async capExceeded(q: Queryable, a: { userId: string; showDate: string; now: Date; seatIds: string[]; places: number; max: number }) {
    const { rows } = await q.query<{ d: { max: number; held: number; requested: number } | null }>(
      'SELECT bo_seat_cap_exceeded($1, $2, $3, $4, $5, $6) AS d',
      [a.userId, a.showDate, a.now, a.seatIds, a.max, a.places],
    );
    return rows[0].d ?? undefined;
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

  /** Gives back up to adult/child of the user's unexpired standing holds (bo_standing_unhold); returns how many. */
  async unholdStanding(q: Queryable, showDate: string, userId: string, adult: number, child: number, now: Date): Promise<number> {
    const { rows } = await q.query<{ n: number }>(
      `SELECT bo_standing_unhold($1, $2, 'adult', $3, $5) + bo_standing_unhold($1, $2, 'child', $4, $5) AS n`,
      [showDate, userId, adult, child, now],
    );
    return rows[0].n;
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

  /** The show's standing prices now (its override, else the venue's) and the currency; undefined without a standing area. */
  async standingPrices(q: Queryable, showDate: string): Promise<{ adult: number; child: number; currency: string } | undefined> {
    const { rows } = await q.query<{ adult: number; child: number; currency: string }>(
      `SELECT coalesce((sh.prices ->> 'standing-adult')::int, v.price_adult) AS adult,
              coalesce((sh.prices ->> 'standing-child')::int, v.price_child) AS child, v.currency
         FROM venue_standing v JOIN shows sh ON sh.show_date = $1`,
      [showDate],
    );
    return rows[0];
  },

  /** The seats' prices for the show now: the show's own price for the zone where it has one, else the venue's. */
  async prices(q: Queryable, showDate: string, seatIds: string[]): Promise<PricedSeat[]> {
    const { rows } = await q.query<PricedSeat>(
      `SELECT s.id AS seat_id, s.zone_id, coalesce((sh.prices ->> s.zone_id)::int, z.price) AS price, z.currency
         FROM seats s JOIN venue_zones z ON z.id = s.zone_id JOIN shows sh ON sh.show_date = $1
        WHERE s.id = ANY ($2) ORDER BY s.id`,
      [showDate, seatIds],
    );
    return rows;
  },

  async insert(
    q: Queryable,
    o: {
      id: string;
      userId: string;
      showDate: string;
      total: number;
      currency: string;
      customerName?: string;
      customerPhone?: string;
      customerEmail?: string;
      idempotencyKey?: string;
      requestHash: string;
      language?: 'en' | 'th';
      createdAt: Date;
      expiresAt: Date;
      seats: PricedSeat[];
      /** one entry per standing place, numbered per type in order */
      standing: { type: StandingType; price: number }[];
      channel: 'ONLINE' | 'BOX_OFFICE';
      soldBy?: string;
      referrer?: { code: string; commission: number };
    },
  ): Promise<void> {
    await q.query(
      `INSERT INTO orders (id, user_id, show_date, status, total, currency, customer_name, customer_phone, customer_email,
                           idempotency_key, request_hash, created_at, expires_at, language, channel, sold_by, referrer_code, referrer_commission)
       VALUES ($1, $2, $3, 'PENDING', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [o.id, o.userId, o.showDate, o.total, o.currency, o.customerName ?? null, o.customerPhone ?? null, o.customerEmail ?? null,
        o.idempotencyKey ?? null, o.requestHash, o.createdAt, o.expiresAt, o.language ?? null, o.channel, o.soldBy ?? null, o.referrer?.code ?? null,
        o.referrer?.commission ?? null],
    );
    await q.query(
      `INSERT INTO order_seats (order_id, show_date, seat_id, zone_id, price)
       SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::int[])`,
      [o.id, o.showDate, o.seats.map((s) => s.seat_id), o.seats.map((s) => s.zone_id), o.seats.map((s) => s.price)],
    );
    await q.query(
      `UPDATE seat_inventory SET state = 'BOOKED', order_id = $1, holder_id = NULL, hold_expires_at = NULL
        WHERE show_date = $2 AND seat_id = ANY ($3)`,
      [o.id, o.showDate, o.seats.map((s) => s.seat_id)],
    );
    if (o.standing.length) {
      await q.query(
        `INSERT INTO order_standing (order_id, show_date, admission, place_no, price)
         SELECT $1, $2, t.admission, row_number() OVER (PARTITION BY t.admission ORDER BY t.ord), t.price
           FROM unnest($3::text[], $4::int[]) WITH ORDINALITY t(admission, price, ord)`,
        [o.id, o.showDate, o.standing.map((p) => p.type), o.standing.map((p) => p.price)],
      );
    }
  },

  /**
   * Cancels the order and frees its seats and standing places (row locks: seats, then the standing counter); the
   * caller holds the order row lock. Returns the freed seats, and the show's standing places available after when
   * the order had some.
   */
  async cancel(q: Queryable, order: OrderRow, c: { reason: CancelReason; note?: string; now: Date }): Promise<{ seats: string[]; standingAvailable?: number }> {
    await q.query(
      `UPDATE orders SET status = 'CANCELLED', cancelled_at = $2, cancel_reason = $3, cancel_note = $4, refund_due = (status = 'PAID')
        WHERE id = $1`,
      [order.id, c.now, c.reason, c.note ?? null],
    );
    await q.query('UPDATE order_seats SET active = false WHERE order_id = $1', [order.id]);
    await q.query('SELECT seat_id FROM seat_inventory WHERE show_date = $1 AND seat_id = ANY ($2) ORDER BY seat_id FOR UPDATE', [order.show_date, order.seats.map((s) => s.seatId)]);
    const { rows } = await q.query<{ seat_id: string }>(
      `UPDATE seat_inventory SET state = 'AVAILABLE', order_id = NULL WHERE show_date = $1 AND order_id = $2 RETURNING seat_id`,
      [order.show_date, order.id],
    );
    const seats = rows.map((r) => r.seat_id).sort();
    const places = await this.freeStanding(q, order, c.now, 'UPDATE order_standing SET active = false WHERE order_id = $1 AND active');
    return places === undefined ? { seats } : { seats, standingAvailable: places };
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

  /** Takes one expired PENDING order that no other sweeper holds, row-locked; undefined when none is left. */
  async claimExpired(q: Queryable, now: Date): Promise<string | undefined> {
    const { rows } = await q.query<{ id: string }>(
      `SELECT id FROM orders WHERE status = 'PENDING' AND expires_at <= $1 ORDER BY expires_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [now],
    );
    return rows[0]?.id;
  },

  /** The seq of one seat event (bo_next_seq): the last write of the transaction. */
  async nextSeq(q: Queryable, showDate: string): Promise<number> {
    const { rows } = await q.query<{ seq: number }>('SELECT bo_next_seq($1, 1) AS seq', [showDate]);
    return Number(rows[0].seq);
  },
};
