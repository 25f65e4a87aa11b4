import type { Queryable } from '../../db/driver.ts';

/** What a mail is about; the worker renders it from the order's state when it sends it. */
export type MailKind = 'order-paid' | 'order-cancelled' | 'order-refunded';

export interface OutboxRow {
  id: string;
  kind: MailKind;
  order_id: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
}

/** After this many failed attempts a mail is marked FAILED (kept, visible to operators) instead of retried. */
export const MAX_ATTEMPTS = 12;

/** Backoff before attempt n+1: 10 s, 20 s, 40 s … capped at one hour. */
export const backoffMs = (attempts: number): number => Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

/**
 * The durable outbox (table `outbox`). Rows are written in the transaction of the state change they announce,
 * so a mail exists exactly when the change committed. Workers claim a due row with SKIP LOCKED and a lease
 * (attempts + 1, leased_until): another instance skips it while the lease runs; a worker that died mid-send
 * leaves it to be claimed again when the lease ends. Only the holder of the current lease marks it SENT.
 */
export const outboxRepository = {
  async enqueue(q: Queryable, kind: MailKind, orderId: string, payload: Record<string, unknown> = {}): Promise<void> {
    await q.query('INSERT INTO outbox (kind, order_id, payload) VALUES ($1, $2, $3)', [kind, orderId, JSON.stringify(payload)]);
  },

  /** Claims the next due row for `leaseMs`; undefined when none is due. One statement, committed at once. */
  async claim(q: Queryable, leaseMs: number): Promise<OutboxRow | undefined> {
    const { rows } = await q.query<OutboxRow>(
      `UPDATE outbox SET attempts = attempts + 1, leased_until = now() + make_interval(secs => $1::double precision / 1000)
        WHERE id = (SELECT id FROM outbox
                     WHERE status = 'PENDING' AND next_attempt_at <= now() AND (leased_until IS NULL OR leased_until <= now())
                     ORDER BY next_attempt_at, created_at
                     LIMIT 1
                       FOR UPDATE SKIP LOCKED)
      RETURNING id, kind, order_id, payload, attempts, created_at`,
      [leaseMs],
      'bo_outbox_claim',
    );
    return rows[0];
  },

  /** Marks a claimed row SENT; false when the lease was lost (another worker claimed it since). */
  async markSent(q: Queryable, id: string, attempts: number): Promise<boolean> {
    const { rows } = await q.query(
      `UPDATE outbox SET status = 'SENT', sent_at = now(), leased_until = NULL, last_error = NULL
        WHERE id = $1 AND status = 'PENDING' AND attempts = $2 RETURNING 1`,
      [id, attempts],
      'bo_outbox_sent',
    );
    return rows.length === 1;
  },

  /** Gives a failed attempt back with a backoff, or marks the row FAILED after MAX_ATTEMPTS. */
  async markFailed(q: Queryable, id: string, attempts: number, error: string): Promise<void> {
    await q.query(
      `UPDATE outbox SET leased_until = NULL, last_error = $3,
              status = CASE WHEN $2 >= $4 THEN 'FAILED' ELSE 'PENDING' END,
              next_attempt_at = now() + make_interval(secs => $5::double precision / 1000)
        WHERE id = $1 AND status = 'PENDING' AND attempts = $2`,
      [id, attempts, error.slice(0, 1000), MAX_ATTEMPTS, backoffMs(attempts)],
      'bo_outbox_failed',
    );
  },

  /** Mails waiting, sent and failed (stats, tests). */
  async counts(q: Queryable): Promise<{ pending: number; sent: number; failed: number }> {
    const { rows } = await q.query<{ pending: number; sent: number; failed: number }>(
      `SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending, count(*) FILTER (WHERE status = 'SENT')::int AS sent,
              count(*) FILTER (WHERE status = 'FAILED')::int AS failed FROM outbox`,
    );
    return rows[0];
  },
};
