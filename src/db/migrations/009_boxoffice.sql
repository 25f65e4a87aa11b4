-- Box office (issue 17): audit log, referrers, refunds, counter sales, partial cancel, order search.

-- Audit log: one row per staff or admin action, appended in the same transaction as the action.
-- The database itself refuses UPDATE, DELETE and TRUNCATE: a bug or a curious admin with SQL cannot rewrite history.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL,
  actor_id    uuid,
  actor_role  text NOT NULL,
  action      text NOT NULL,
  entity_type text NOT NULL,
  entity_id   text NOT NULL,
  before      jsonb,
  after       jsonb,
  request_id  text
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);

CREATE FUNCTION bo_audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION bo_audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION bo_audit_log_append_only();

-- Hotels and tour guides who bring customers, paid a commission per ticket sold through their code.
CREATE TABLE referrers (
  code                  text PRIMARY KEY CHECK (code ~ '^[A-Z0-9_-]{2,32}$'),
  name                  text NOT NULL,
  commission_per_ticket integer NOT NULL CHECK (commission_per_ticket >= 0),
  created_at            timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE orders
  ADD COLUMN channel text NOT NULL DEFAULT 'ONLINE' CHECK (channel IN ('ONLINE', 'BOX_OFFICE')),
  ADD COLUMN sold_by uuid REFERENCES users (id),
  ADD COLUMN referrer_code text REFERENCES referrers (code),
  -- the referrer's commission when the order was made: a later change of rate does not rewrite past reports
  ADD COLUMN referrer_commission integer CHECK (referrer_commission >= 0);
-- per-show order lists and the CSV export walk this in (created_at, id) order
CREATE INDEX orders_show_created ON orders (show_date, created_at, id);
CREATE INDEX orders_referrer ON orders (referrer_code, paid_at) WHERE referrer_code IS NOT NULL;
-- the day sheet: money staff took, per day
CREATE INDEX payments_taken ON payments (succeeded_at, created_by) WHERE created_by IS NOT NULL;

-- Partial cancel: an item taken out of an order that goes on keeps its row, inactive, with the time it left.
ALTER TABLE order_seats ADD COLUMN cancelled_at timestamptz;
-- staff look orders up by seat and show, active or not
CREATE INDEX order_seats_show_seat ON order_seats (show_date, seat_id);

-- Refunds as records: money given back, by whom, how and why. Never more than was paid (checked under the
-- order's row lock, so two staff refunding at once cannot both pass).
CREATE TABLE refunds (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id     uuid NOT NULL REFERENCES orders (id),
  amount       integer NOT NULL CHECK (amount > 0),
  currency     text NOT NULL,
  method       text NOT NULL,
  reference    text,
  reason       text NOT NULL,
  status       text NOT NULL CHECK (status IN ('PENDING', 'DONE', 'FAILED')),
  created_at   timestamptz NOT NULL,
  created_by   uuid NOT NULL REFERENCES users (id),
  completed_at timestamptz
);
CREATE INDEX refunds_order ON refunds (order_id, created_at);
CREATE INDEX refunds_created ON refunds (created_at);
