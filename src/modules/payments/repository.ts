import type { Queryable } from '../../db/driver.ts';
import type { Payment, PaymentMethod, PaymentProvider, PaymentStatus, Slip, SlipStatus } from '../../contract/payments.ts';

/** One row of `payments` (migration 006). Amounts are whole THB. */
export interface PaymentRow {
  id: string;
  order_id: string;
  method: PaymentMethod;
  provider: PaymentProvider;
  provider_ref: string | null;
  status: PaymentStatus;
  amount: number;
  currency: string;
  reference: string | null;
  qr_payload: string | null;
  client_secret: string | null;
  idempotency_key: string | null;
  failure_reason: string | null;
  refund_ref: string | null;
  /** failed provider refund attempts of a REFUND_DUE payment, and when the next is due (migration 014) */
  refund_attempts: number;
  refund_retry_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  expires_at: Date | null;
  succeeded_at: Date | null;
  refunded_at: Date | null;
}

/** A payment row as JSON (as aggregated into an order's row): timestamps arrive as text. */
export type PaymentJson = Omit<PaymentRow, 'created_at' | 'updated_at' | 'expires_at' | 'succeeded_at' | 'refunded_at' | 'refund_retry_at'> & {
  refund_retry_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  expires_at: Date | string | null;
  succeeded_at: Date | string | null;
  refunded_at: Date | string | null;
};

const iso = (d: Date | string) => new Date(d).toISOString();

/** The public shape of a payment, without the QR and the client secret (those only go to the payer, see the service). */
export function toPayment(r: PaymentRow | PaymentJson): Payment {
  const p: Payment = {
    id: r.id,
    orderId: r.order_id,
    method: r.method,
    provider: r.provider,
    status: r.status,
    amount: r.amount,
    currency: r.currency,
    createdAt: iso(r.created_at),
  };
  if (r.expires_at) p.expiresAt = iso(r.expires_at);
  if (r.reference) p.reference = r.reference;
  else if (r.provider_ref) p.reference = r.provider_ref;
  if (r.failure_reason) p.failureReason = r.failure_reason;
  if (r.refunded_at) p.refundedAt = iso(r.refunded_at);
  return p;
}

/** The states a payment can move to from each state: only forward, and money that arrives always counts. */
export const NEXT_STATUS: Record<PaymentStatus, PaymentStatus[]> = {
  PENDING: ['SUCCEEDED', 'FAILED', 'EXPIRED', 'REFUND_DUE'],
  // a QR or an intent that failed or timed out can still be paid afterwards (a late transfer)
  FAILED: ['SUCCEEDED', 'REFUND_DUE', 'EXPIRED'],
  EXPIRED: ['SUCCEEDED', 'REFUND_DUE', 'FAILED'],
  SUCCEEDED: ['REFUND_DUE'],
  REFUND_DUE: ['REFUNDED'],
  REFUNDED: [],
};

export interface SlipRow {
  id: string;
  order_id: string;
  user_id: string;
  status: SlipStatus;
  mime: string;
  size_bytes: number;
  sha256: string;
  reject_reason: string | null;
  payment_id: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  created_at: Date;
  // joined for staff lists
  order_total?: number;
  order_currency?: string;
  order_status?: string;
  amount_paid?: number;
  customer_name?: string | null;
  show_date?: string;
}

export function toSlip(r: SlipRow): Slip {
  const s: Slip = { id: r.id, orderId: r.order_id, status: r.status, createdAt: r.created_at.toISOString(), mime: r.mime, sizeBytes: r.size_bytes };
  if (r.reject_reason) s.rejectReason = r.reject_reason;
  if (r.payment_id) s.paymentId = r.payment_id;
  if (r.decided_at) s.decidedAt = r.decided_at.toISOString();
  if (r.order_total !== undefined) {
    s.amountDue = Math.max(0, r.order_total - (r.amount_paid ?? 0));
    s.currency = r.order_currency;
    s.orderStatus = r.order_status;
    if (r.customer_name) s.customerName = r.customer_name;
    s.showDate = r.show_date;
  }
  return s;
}

const SLIP_COLUMNS = `s.id, s.order_id, s.user_id, s.status, s.mime, s.size_bytes, s.sha256, s.reject_reason, s.payment_id, s.decided_by, s.decided_at, s.created_at`;

/** SQL of payments, webhook events and slips. Callers hold the order row lock when they change a payment. */
export const paymentsRepository = {
  async findById(q: Queryable, id: string, forUpdate = false): Promise<PaymentRow | undefined> {
    const { rows } = await q.query<PaymentRow>(`SELECT * FROM payments WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0];
  },

  async findByProviderRef(q: Queryable, provider: PaymentProvider, ref: string): Promise<PaymentRow | undefined> {
    const { rows } = await q.query<PaymentRow>('SELECT * FROM payments WHERE provider = $1 AND provider_ref = $2', [provider, ref]);
    return rows[0];
  },

  async listForOrder(q: Queryable, orderId: string): Promise<PaymentRow[]> {
    const { rows } = await q.query<PaymentRow>('SELECT * FROM payments WHERE order_id = $1 ORDER BY created_at, id', [orderId]);
    return rows;
  },

  /** Open (PENDING, not past its expiry) payment of the order for this method and provider, newest first. */
  async findOpen(q: Queryable, orderId: string, method: PaymentMethod, provider: PaymentProvider, now: Date): Promise<PaymentRow | undefined> {
    const { rows } = await q.query<PaymentRow>(
      `SELECT * FROM payments WHERE order_id = $1 AND method = $2 AND provider = $3 AND status = 'PENDING'
          AND (expires_at IS NULL OR expires_at > $4) ORDER BY created_at DESC LIMIT 1`,
      [orderId, method, provider, now],
    );
    return rows[0];
  },

  async countForOrder(q: Queryable, orderId: string): Promise<number> {
    const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM payments WHERE order_id = $1', [orderId]);
    return rows[0].n;
  },

  async amountPaid(q: Queryable, orderId: string): Promise<number> {
    const { rows } = await q.query<{ n: number }>(`SELECT coalesce(sum(amount), 0)::int AS n FROM payments WHERE order_id = $1 AND status = 'SUCCEEDED'`, [orderId]);
    return rows[0].n;
  },

  /** Inserts a payment; an id that already exists (a retried request, a webhook first) leaves the row as it is. */
  async insert(
    q: Queryable,
    p: Pick<PaymentRow, 'id' | 'order_id' | 'method' | 'provider' | 'status' | 'amount' | 'currency'> &
      Partial<Pick<PaymentRow, 'provider_ref' | 'reference' | 'qr_payload' | 'client_secret' | 'idempotency_key' | 'created_by' | 'expires_at' | 'succeeded_at'>> & { now: Date },
  ): Promise<PaymentRow> {
    await q.query(
      `INSERT INTO payments (id, order_id, method, provider, provider_ref, status, amount, currency, reference, qr_payload, client_secret,
                             idempotency_key, created_by, created_at, updated_at, expires_at, succeeded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16)
       ON CONFLICT (id) DO NOTHING`,
      [p.id, p.order_id, p.method, p.provider, p.provider_ref ?? null, p.status, p.amount, p.currency, p.reference ?? null, p.qr_payload ?? null,
        p.client_secret ?? null, p.idempotency_key ?? null, p.created_by ?? null, p.now, p.expires_at ?? null, p.succeeded_at ?? null],
    );
    return (await this.findById(q, p.id))!;
  },

  /** Moves a payment to `status` (the caller checked NEXT_STATUS); stamps succeeded_at / refunded_at on the way. */
  async setStatus(
    q: Queryable,
    id: string,
    status: PaymentStatus,
    now: Date,
    extra: { reference?: string; failureReason?: string; refundRef?: string } = {},
  ): Promise<PaymentRow> {
    const { rows } = await q.query<PaymentRow>(
      `UPDATE payments SET status = $2, updated_at = $3,
              succeeded_at = CASE WHEN $2 IN ('SUCCEEDED', 'REFUND_DUE', 'REFUNDED') THEN coalesce(succeeded_at, $3) ELSE succeeded_at END,
              refunded_at = CASE WHEN $2 = 'REFUNDED' THEN $3 ELSE refunded_at END,
              reference = coalesce($4, reference), failure_reason = coalesce($5, failure_reason), refund_ref = coalesce($6, refund_ref)
        WHERE id = $1 RETURNING *`,
      [id, status, now, extra.reference ?? null, extra.failureReason ?? null, extra.refundRef ?? null],
    );
    return rows[0];
  },

  /** PENDING payments of an order that was just cancelled: they expire with it (money arriving later is handled as late). */
  async expireOpen(q: Queryable, orderId: string, now: Date): Promise<PaymentRow[]> {
    const { rows } = await q.query<PaymentRow>(
      `UPDATE payments SET status = 'EXPIRED', updated_at = $2 WHERE order_id = $1 AND status = 'PENDING' RETURNING *`,
      [orderId, now],
    );
    return rows;
  },

  /**
   * Claims up to `limit` REFUND_DUE payments of `provider` whose refund attempt is due at `now` (never tried,
   * or their backoff is over) and leases them until `leaseUntil`, so other instances skip them meanwhile.
   * Returns their ids, oldest first.
   */
  async claimDueRefunds(q: Queryable, provider: string, now: Date, leaseUntil: Date, limit: number): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>(
      `UPDATE payments SET refund_retry_at = $3
        WHERE id IN (SELECT id FROM payments
                      WHERE status = 'REFUND_DUE' AND provider = $1 AND provider_ref IS NOT NULL
                        AND (refund_retry_at IS NULL OR refund_retry_at <= $2)
                      ORDER BY created_at LIMIT $4 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [provider, now, leaseUntil, limit],
    );
    return rows.map((r) => r.id);
  },

  /**
   * Claims up to `limit` staff refunds through `provider` that never reached it (PENDING, no provider refund id
   * yet: the provider was down, or the process stopped between COMMIT and the call) whose attempt is due at
   * `now`, and leases them until `leaseUntil`, as claimDueRefunds does for payments. Returns their ids, oldest first.
   */
  async claimDueRefundRecords(q: Queryable, provider: string, now: Date, leaseUntil: Date, limit: number): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>(
      `UPDATE refunds SET retry_at = $3
        WHERE id IN (SELECT r.id FROM refunds r JOIN payments p ON p.id = r.payment_id
                      WHERE r.status = 'PENDING' AND r.payment_id IS NOT NULL AND r.reference IS NULL AND p.provider = $1
                        AND (r.retry_at IS NULL OR r.retry_at <= $2)
                      ORDER BY r.created_at LIMIT $4 FOR UPDATE OF r SKIP LOCKED)
        RETURNING id`,
      [provider, now, leaseUntil, limit],
    );
    return rows.map((r) => r.id);
  },

  /**
   * A provider refund attempt failed at `now` (of a REFUND_DUE payment, or of a staff refund record): one more
   * attempt counted, the next one due after `baseMs` · 2^(attempts before this one), at most `capMs`.
   */
  async noteRefundFailure(q: Queryable, of: 'payment' | 'refund', id: string, now: Date, baseMs: number, capMs: number): Promise<void> {
    const sql =
      of === 'payment'
        ? `UPDATE payments SET refund_attempts = refund_attempts + 1,
                  refund_retry_at = $2::timestamptz + make_interval(secs => least($4::float8, $3::float8 * power(2, refund_attempts)) / 1000)
            WHERE id = $1`
        : `UPDATE refunds SET attempts = attempts + 1,
                  retry_at = $2::timestamptz + make_interval(secs => least($4::float8, $3::float8 * power(2, attempts)) / 1000)
            WHERE id = $1`;
    await q.query(sql, [id, now, baseMs, capMs]);
  },

  /** The provider refund ids of staff refunds still PENDING at the provider for the payment of intent `providerRef`. */
  async pendingProviderRefunds(q: Queryable, provider: string, providerRef: string): Promise<{ id: string; reference: string }[]> {
    const { rows } = await q.query<{ id: string; reference: string }>(
      `SELECT r.id, r.reference FROM refunds r JOIN payments p ON p.id = r.payment_id
        WHERE p.provider = $1 AND p.provider_ref = $2 AND r.status = 'PENDING' AND r.reference IS NOT NULL
        ORDER BY r.created_at`,
      [provider, providerRef],
    );
    return rows;
  },

  async refundQueue(q: Queryable): Promise<(PaymentRow & { o_show_date: string; o_status: string; o_user_id: string; o_customer_name: string | null })[]> {
    const { rows } = await q.query<PaymentRow & { o_show_date: string; o_status: string; o_user_id: string; o_customer_name: string | null }>(
      `SELECT p.*, o.show_date AS o_show_date, o.status AS o_status, o.user_id AS o_user_id, o.customer_name AS o_customer_name
         FROM payments p JOIN orders o ON o.id = p.order_id
        WHERE p.status = 'REFUND_DUE' OR (p.status = 'REFUNDED' AND p.refunded_at > now() - interval '7 days')
        ORDER BY p.status DESC, p.updated_at DESC LIMIT 200`,
    );
    return rows;
  },

  /** Records a webhook event id; false when it was recorded before (a duplicate delivery). */
  async recordWebhookEvent(q: Queryable, provider: string, eventId: string, type: string, now: Date): Promise<boolean> {
    const { rowCount } = await q.query(
      'INSERT INTO payment_webhook_events (provider, event_id, type, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [provider, eventId, type, now],
    );
    return rowCount === 1;
  },

  async insertSlip(
    q: Queryable,
    s: { id: string; orderId: string; userId: string; mime: string; image: Buffer; sha256: string; now: Date },
  ): Promise<SlipRow> {
    const { rows } = await q.query<SlipRow>(
      `INSERT INTO payment_slips (id, order_id, user_id, status, mime, size_bytes, sha256, image, created_at)
       VALUES ($1, $2, $3, 'SUBMITTED', $4, $5, $6, $7, $8)
       RETURNING id, order_id, user_id, status, mime, size_bytes, sha256, reject_reason, payment_id, decided_by, decided_at, created_at`,
      [s.id, s.orderId, s.userId, s.mime, s.image.length, s.sha256, s.image, s.now],
    );
    return rows[0];
  },

  async findSlip(q: Queryable, id: string, forUpdate = false): Promise<SlipRow | undefined> {
    const { rows } = await q.query<SlipRow>(`SELECT ${SLIP_COLUMNS} FROM payment_slips s WHERE s.id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0];
  },

  async slipImage(q: Queryable, id: string): Promise<{ mime: string; image: Buffer; order_id: string; user_id: string } | undefined> {
    const { rows } = await q.query<{ mime: string; image: Buffer | Uint8Array; order_id: string; user_id: string }>(
      'SELECT mime, image, order_id, user_id FROM payment_slips WHERE id = $1',
      [id],
    );
    return rows[0] && { ...rows[0], image: Buffer.from(rows[0].image) };
  },

  async listSlips(q: Queryable, f: { status?: SlipStatus; orderId?: string }): Promise<SlipRow[]> {
    const { rows } = await q.query<SlipRow>(
      `SELECT ${SLIP_COLUMNS}, o.total AS order_total, o.currency AS order_currency, o.status AS order_status, o.customer_name, o.show_date,
              (SELECT coalesce(sum(p.amount), 0)::int FROM payments p WHERE p.order_id = o.id AND p.status = 'SUCCEEDED') AS amount_paid
         FROM payment_slips s JOIN orders o ON o.id = s.order_id
        WHERE ($1::text IS NULL OR s.status = $1) AND ($2::uuid IS NULL OR s.order_id = $2)
        ORDER BY s.created_at LIMIT 200`,
      [f.status ?? null, f.orderId ?? null],
    );
    return rows;
  },

  async decideSlip(q: Queryable, id: string, d: { status: 'APPROVED' | 'REJECTED'; by: string; now: Date; reason?: string; paymentId?: string }): Promise<void> {
    await q.query(
      `UPDATE payment_slips SET status = $2, decided_by = $3, decided_at = $4, reject_reason = $5, payment_id = $6 WHERE id = $1`,
      [id, d.status, d.by, d.now, d.reason ?? null, d.paymentId ?? null],
    );
  },
};
