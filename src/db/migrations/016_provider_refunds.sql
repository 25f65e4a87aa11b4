-- Issue 17: a staff refund of money that came through a payment provider goes back through that provider.
-- payment_id: the provider payment refunded (NULL for cash, card-terminal and transfer refunds, DONE at once).
-- Such a refund is PENDING until the provider confirms it (reference = the provider's refund id) and then DONE,
-- or FAILED when the provider fails it. A provider that could not be reached is tried again by the payments
-- service's refund retries (the same backoff as late payments, migration 014): attempts counts the failed
-- tries, retry_at is when the next is due (while an instance works on it, a lease in the future).
ALTER TABLE refunds ADD COLUMN payment_id uuid REFERENCES payments (id);
ALTER TABLE refunds ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN retry_at timestamptz;
CREATE INDEX refunds_provider_retry ON refunds (retry_at) WHERE status = 'PENDING' AND payment_id IS NOT NULL AND reference IS NULL;
CREATE INDEX refunds_payment ON refunds (payment_id) WHERE payment_id IS NOT NULL;
