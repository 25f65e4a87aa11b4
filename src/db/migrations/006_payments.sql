-- Payments as records (issue 15): an order has many payment attempts; its paid amount is the sum of the
-- SUCCEEDED ones. Staff-recorded money is provider 'manual', a PromptPay QR without a provider is 'promptpay',
-- a PaymentIntent is 'stripe'. Amounts are whole THB (the unit of orders.total).
CREATE TABLE payments (
  id              uuid PRIMARY KEY,
  order_id        uuid NOT NULL REFERENCES orders (id),
  method          text NOT NULL CHECK (method IN ('cash', 'card', 'transfer', 'promptpay')),
  provider        text NOT NULL CHECK (provider IN ('manual', 'promptpay', 'stripe')),
  -- the provider's id of the attempt (PaymentIntent id); NULL for manual and provider-less PromptPay
  provider_ref    text,
  status          text NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'REFUND_DUE', 'REFUNDED')),
  amount          integer NOT NULL CHECK (amount >= 0),
  currency        text NOT NULL,
  -- what people read: the staff's receipt number, a slip, a bank reference
  reference       text,
  -- EMVCo payload of a PromptPay QR (provider-less, or taken from the intent)
  qr_payload      text,
  client_secret   text,
  idempotency_key text,
  failure_reason  text,
  refund_ref      text,
  created_by      uuid REFERENCES users (id),
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  expires_at      timestamptz,
  succeeded_at    timestamptz,
  refunded_at     timestamptz,
  CHECK (status NOT IN ('SUCCEEDED', 'REFUND_DUE', 'REFUNDED') OR succeeded_at IS NOT NULL)
);
CREATE INDEX payments_order ON payments (order_id, created_at);
CREATE UNIQUE INDEX payments_provider_ref ON payments (provider, provider_ref) WHERE provider_ref IS NOT NULL;
CREATE UNIQUE INDEX payments_idempotency_key ON payments (order_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX payments_refund_due ON payments (created_at) WHERE status = 'REFUND_DUE';

-- Provider webhooks already acted on, so a delivery that comes twice changes nothing twice.
CREATE TABLE payment_webhook_events (
  provider    text NOT NULL,
  event_id    text NOT NULL,
  type        text NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (provider, event_id)
);

-- Transfer slips uploaded by buyers, kept in the database with the order (no file names from users on disk).
CREATE TABLE payment_slips (
  id            uuid PRIMARY KEY,
  order_id      uuid NOT NULL REFERENCES orders (id),
  user_id       uuid NOT NULL REFERENCES users (id),
  status        text NOT NULL CHECK (status IN ('SUBMITTED', 'APPROVED', 'REJECTED')),
  mime          text NOT NULL CHECK (mime IN ('image/png', 'image/jpeg')),
  size_bytes    integer NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 2097152),
  sha256        text NOT NULL,
  image         bytea NOT NULL,
  reject_reason text,
  payment_id    uuid REFERENCES payments (id),
  decided_by    uuid REFERENCES users (id),
  decided_at    timestamptz,
  created_at    timestamptz NOT NULL
);
CREATE INDEX payment_slips_status ON payment_slips (status, created_at);
CREATE INDEX payment_slips_order ON payment_slips (order_id, created_at);

-- The staff payments recorded on orders before v2 become manual payments; the columns go.
INSERT INTO payments (id, order_id, method, provider, status, amount, currency, reference, created_at, updated_at, succeeded_at)
SELECT gen_random_uuid(), o.id, o.payment_method, 'manual', 'SUCCEEDED', coalesce(o.payment_amount, o.total), o.currency,
       o.payment_reference, coalesce(o.paid_at, o.created_at), coalesce(o.paid_at, o.created_at), coalesce(o.paid_at, o.created_at)
  FROM orders o
 WHERE o.payment_method IS NOT NULL;
ALTER TABLE orders DROP COLUMN payment_method, DROP COLUMN payment_amount, DROP COLUMN payment_reference;
