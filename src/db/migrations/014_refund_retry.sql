-- Issue 15: a late payment that must go back (REFUND_DUE) is refunded through its provider by itself, also
-- when the provider was down at first: the payments service retries with backoff. refund_retry_at is when
-- the next attempt is due (NULL: at once; while an instance works on it, a lease in the future) and
-- refund_attempts how many failed so far (the backoff doubles with each).
ALTER TABLE payments ADD COLUMN refund_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN refund_retry_at timestamptz;
CREATE INDEX payments_refund_retry ON payments (refund_retry_at) WHERE status = 'REFUND_DUE';
