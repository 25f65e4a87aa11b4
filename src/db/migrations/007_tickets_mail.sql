-- Tickets and the door (issue 16): order codes, tickets with secrets, check-ins, the mail outbox, door accounts,
-- the buyer's language.

-- Roles: `door` may only check tickets in and read manifests.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('customer', 'staff', 'admin', 'door'));
-- The language mails to this user are written in (from Accept-Language at registration).
ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'th'));

-- Order codes: 8 characters of Crockford base32 (0-9 A-Z without I, L, O, U), 40 random bits, made by the
-- database as the column default so whatever inserts an order (a service, a SQL function) gets one. A code
-- already taken by a committed order is drawn again; two transactions drawing the same new code at the same
-- moment (about one chance in 10^12 per pair) meet the unique index, and the order insert is retried.
CREATE FUNCTION bo_order_code() RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  alphabet constant text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  v_bits bigint;
  v_code text;
  i integer;
BEGIN
  LOOP
    -- 40 bits from the random part of a v4 UUID (strong randomness on PostgreSQL and PGlite alike)
    v_bits := ('x' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 10))::bit(40)::bigint;
    v_code := '';
    FOR i IN 1 .. 8 LOOP
      v_code := v_code || substr(alphabet, (v_bits & 31)::integer + 1, 1);
      v_bits := v_bits >> 5;
    END LOOP;
    EXIT WHEN NOT EXISTS (SELECT 1 FROM orders o WHERE o.code = v_code);
  END LOOP;
  RETURN v_code;
END;
$$;

ALTER TABLE orders ADD COLUMN code text;
UPDATE orders SET code = bo_order_code();
ALTER TABLE orders ALTER COLUMN code SET NOT NULL;
ALTER TABLE orders ALTER COLUMN code SET DEFAULT bo_order_code();
CREATE UNIQUE INDEX orders_code_key ON orders (code);
-- The buyer's language at order time (Accept-Language); mails fall back to the account's language.
ALTER TABLE orders ADD COLUMN language text CHECK (language IN ('en', 'th'));

-- One ticket per seat and per standing place of a PAID order. The QR carries only `secret` (≥ 128 random bits,
-- base64url); scanners look tickets up by its SHA-256 (`secret_hash`, also what offline manifests carry).
CREATE TABLE tickets (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id    uuid NOT NULL REFERENCES orders (id),
  show_date   date NOT NULL REFERENCES shows (show_date),
  admission   text NOT NULL CHECK (admission IN ('seat', 'standing-adult', 'standing-child')),
  seat_id     text REFERENCES seats (id),
  zone_id     text,
  -- standing places: 1..quantity per order and type; seats: 1
  place_no    integer NOT NULL DEFAULT 1,
  secret      text NOT NULL,
  secret_hash text NOT NULL,
  status      text NOT NULL DEFAULT 'VALID' CHECK (status IN ('VALID', 'REVOKED')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  CHECK ((admission = 'seat') = (seat_id IS NOT NULL)),
  CHECK ((status = 'REVOKED') = (revoked_at IS NOT NULL))
);
CREATE UNIQUE INDEX tickets_secret_hash_key ON tickets (secret_hash);
-- exactly one ticket per item, however often the PAID transition's issuing runs
CREATE UNIQUE INDEX tickets_one_per_seat ON tickets (order_id, seat_id) WHERE admission = 'seat';
CREATE UNIQUE INDEX tickets_one_per_place ON tickets (order_id, admission, place_no) WHERE admission <> 'seat';
CREATE INDEX tickets_show ON tickets (show_date);

-- A random ticket secret: 32 bytes (244 random bits from two v4 UUIDs), base64url without padding (43 chars).
CREATE FUNCTION bo_ticket_secret() RETURNS text
LANGUAGE sql VOLATILE AS $$
  SELECT rtrim(translate(encode(decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'), 'base64'), '+/', '-_'), '=')
$$;

-- Issues the tickets of a PAID order: one per active seat (and, once standing lines exist, per standing place).
-- Idempotent: items that already have a ticket get none. Returns how many were created.
CREATE FUNCTION bo_issue_tickets(p_order uuid) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_n integer;
BEGIN
  WITH fresh AS (
    SELECT os.order_id, os.show_date, os.seat_id, os.zone_id, bo_ticket_secret() AS secret
      FROM order_seats os
      JOIN orders o ON o.id = os.order_id AND o.status = 'PAID'
     WHERE os.order_id = p_order AND os.active
  ), ins AS (
    INSERT INTO tickets (order_id, show_date, admission, seat_id, zone_id, secret, secret_hash)
    SELECT f.order_id, f.show_date, 'seat', f.seat_id, f.zone_id, f.secret, encode(sha256(convert_to(f.secret, 'UTF8')), 'hex')
      FROM fresh f
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT count(*) INTO v_n FROM ins;
  RETURN v_n;
END;
$$;

-- Revokes the tickets of an order's items that are no longer sold: all of them when the order is no longer PAID,
-- otherwise those whose seat left the order (partial cancel). Returns how many were revoked.
CREATE FUNCTION bo_revoke_tickets(p_order uuid, p_now timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_n integer;
BEGIN
  UPDATE tickets t SET status = 'REVOKED', revoked_at = p_now
   WHERE t.order_id = p_order AND t.status = 'VALID'
     AND (NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = p_order AND o.status = 'PAID')
          OR (t.admission = 'seat' AND NOT EXISTS (SELECT 1 FROM order_seats os WHERE os.order_id = p_order AND os.seat_id = t.seat_id AND os.active)));
  GET DIAGNOSTICS v_n = ROW_COUNT;
  RETURN v_n;
END;
$$;

-- A check-in: the one admission of a ticket. The unique index is the guarantee that a ticket is admitted at most once.
CREATE TABLE checkins (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id  uuid NOT NULL REFERENCES tickets (id),
  show_date  date NOT NULL,
  gate       text,
  -- when the scanner saw the ticket (offline scans upload later)
  scanned_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  user_id    uuid NOT NULL REFERENCES users (id),
  forced     boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX checkins_one_per_ticket ON checkins (ticket_id);
CREATE INDEX checkins_show ON checkins (show_date);

-- Every scan's answer by the scanner's nonce: the same nonce again gets the same answer.
CREATE TABLE checkin_scans (
  user_id    uuid NOT NULL REFERENCES users (id),
  nonce      text NOT NULL,
  answer     jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, nonce)
);

-- Durable outbox of everything that leaves the process (mails). Written in the transaction of the state change;
-- workers on every instance claim due rows with SKIP LOCKED and a lease, deliver, and mark them SENT once.
CREATE TABLE outbox (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind            text NOT NULL,
  order_id        uuid REFERENCES orders (id),
  payload         jsonb NOT NULL DEFAULT '{}',
  status          text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  leased_until    timestamptz,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'PENDING';
