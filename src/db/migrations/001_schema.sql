-- boxoffice schema: one venue per deployment, shows keyed by date, one inventory row per seat per show.

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL,
  password_hash text NOT NULL,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('customer', 'staff', 'admin')),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE venue_zones (
  id          text PRIMARY KEY,
  name_en     text NOT NULL,
  name_th     text NOT NULL,
  ticket_type text NOT NULL,
  price       integer NOT NULL CHECK (price >= 0),
  currency    text NOT NULL,
  sort_order  integer NOT NULL
);

CREATE TABLE seats (
  id          text PRIMARY KEY,
  zone_id     text NOT NULL REFERENCES venue_zones (id),
  row_label   text NOT NULL,
  seat_number integer NOT NULL,
  x           real NOT NULL,
  y           real NOT NULL,
  blocked     boolean NOT NULL DEFAULT false
);

CREATE TABLE shows (
  show_date  date PRIMARY KEY,
  title      text NOT NULL,
  status     text NOT NULL DEFAULT 'ON_SALE' CHECK (status IN ('ON_SALE', 'CLOSED')),
  -- realtime sequence: +1 per seat event, bumped in the same transaction as the seat change
  seq        bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id           uuid NOT NULL REFERENCES users (id),
  show_date         date NOT NULL REFERENCES shows (show_date),
  status            text NOT NULL CHECK (status IN ('PENDING', 'PAID', 'CANCELLED')),
  total             integer NOT NULL CHECK (total >= 0),
  currency          text NOT NULL,
  customer_name     text,
  customer_phone    text,
  customer_email    text,
  idempotency_key   text,
  request_hash      text,
  created_at        timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  paid_at           timestamptz,
  cancelled_at      timestamptz,
  cancel_reason     text CHECK (cancel_reason IN ('USER', 'STAFF', 'EXPIRED')),
  cancel_note       text,
  refund_due        boolean NOT NULL DEFAULT false,
  payment_method    text,
  payment_amount    integer,
  payment_reference text,
  CHECK (status <> 'PAID' OR paid_at IS NOT NULL),
  CHECK ((status = 'CANCELLED') = (cancelled_at IS NOT NULL AND cancel_reason IS NOT NULL))
);
CREATE UNIQUE INDEX orders_idempotency_key ON orders (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX orders_pending_expiry ON orders (expires_at) WHERE status = 'PENDING';
CREATE INDEX orders_user_created ON orders (user_id, created_at DESC);
CREATE INDEX orders_created ON orders (created_at DESC);

CREATE TABLE order_seats (
  order_id  uuid NOT NULL REFERENCES orders (id),
  show_date date NOT NULL,
  seat_id   text NOT NULL REFERENCES seats (id),
  zone_id   text NOT NULL,
  price     integer NOT NULL CHECK (price >= 0),
  -- true while the order is PENDING or PAID
  active    boolean NOT NULL DEFAULT true,
  PRIMARY KEY (order_id, seat_id)
);
-- The last line of defence against double booking: a seat is in at most one active order per show.
CREATE UNIQUE INDEX order_seats_one_active_order ON order_seats (show_date, seat_id) WHERE active;

CREATE TABLE seat_inventory (
  show_date       date NOT NULL REFERENCES shows (show_date),
  seat_id         text NOT NULL REFERENCES seats (id),
  state           text NOT NULL CHECK (state IN ('AVAILABLE', 'LOCKED', 'BOOKED', 'BLOCKED')),
  holder_id       uuid,
  hold_expires_at timestamptz,
  order_id        uuid REFERENCES orders (id),
  PRIMARY KEY (show_date, seat_id),
  CHECK ((state = 'LOCKED') = (holder_id IS NOT NULL AND hold_expires_at IS NOT NULL)),
  CHECK ((state = 'BOOKED') = (order_id IS NOT NULL))
);
CREATE INDEX seat_inventory_lock_expiry ON seat_inventory (hold_expires_at) WHERE state = 'LOCKED';
CREATE INDEX seat_inventory_holder ON seat_inventory (holder_id, show_date) WHERE state = 'LOCKED';
CREATE INDEX seat_inventory_order ON seat_inventory (order_id) WHERE order_id IS NOT NULL;

-- Counters summed over all instances (stats): lock_conflicts, locks_expired, orders_expired.
CREATE TABLE ops_counters (
  name  text PRIMARY KEY,
  value bigint NOT NULL DEFAULT 0
);
INSERT INTO ops_counters (name) VALUES ('lock_conflicts'), ('locks_expired'), ('orders_expired');
