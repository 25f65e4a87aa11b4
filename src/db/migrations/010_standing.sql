-- Standing (general admission) tickets (issue 14): one standing area per show, sold by count, never oversold.
--
-- The venue's standing area (its name, capacity and prices), written from the venue file at every start.
CREATE TABLE venue_standing (
  id          boolean PRIMARY KEY DEFAULT true CHECK (id),
  name_en     text NOT NULL,
  name_th     text NOT NULL,
  capacity    integer NOT NULL CHECK (capacity >= 0),
  price_adult integer NOT NULL CHECK (price_adult >= 0),
  price_child integer NOT NULL CHECK (price_child >= 0),
  currency    text NOT NULL
);

-- The guarded counter of one show's standing places: `taken` = places in holds (expired ones too until they are
-- purged, bo_standing_expire) + places of active order lines. Every change goes through a guarded UPDATE under
-- this row's lock (bo_standing_take), and the CHECK is the database's last word: never more than the capacity.
-- Lock order: after the seat rows, before the show row (bo_take_locks).
CREATE TABLE show_standing (
  show_date date PRIMARY KEY REFERENCES shows (show_date),
  capacity  integer NOT NULL CHECK (capacity >= 0),
  taken     integer NOT NULL DEFAULT 0 CHECK (taken >= 0),
  CHECK (taken <= capacity)
);

-- Standing holds: places held by a user for a while (SEAT_LOCK_TTL_MS), one row per lock and type.
CREATE TABLE standing_holds (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  show_date       date NOT NULL REFERENCES shows (show_date),
  holder_id       uuid NOT NULL,
  admission       text NOT NULL CHECK (admission IN ('adult', 'child')),
  quantity        integer NOT NULL CHECK (quantity > 0),
  hold_expires_at timestamptz NOT NULL
);
CREATE INDEX standing_holds_holder ON standing_holds (show_date, holder_id);
CREATE INDEX standing_holds_expiry ON standing_holds (hold_expires_at);

-- The standing places of an order, one row per place (numbered per order and type, as their tickets are), at the
-- price they were sold at. `active` as order_seats: true while the order is PENDING or PAID and the place was not
-- taken out by a partial cancel (`cancelled_at`).
CREATE TABLE order_standing (
  order_id     uuid NOT NULL REFERENCES orders (id),
  show_date    date NOT NULL REFERENCES shows (show_date),
  admission    text NOT NULL CHECK (admission IN ('adult', 'child')),
  place_no     integer NOT NULL CHECK (place_no > 0),
  price        integer NOT NULL CHECK (price >= 0),
  active       boolean NOT NULL DEFAULT true,
  cancelled_at timestamptz,
  PRIMARY KEY (order_id, admission, place_no)
);
CREATE INDEX order_standing_show ON order_standing (show_date) WHERE active;

-- bo_issue_tickets and bo_revoke_tickets move to src/db/functions/ (one file each), now covering standing places
DROP FUNCTION bo_issue_tickets(uuid);
DROP FUNCTION bo_revoke_tickets(uuid, timestamptz);
