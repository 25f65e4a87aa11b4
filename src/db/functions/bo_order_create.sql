-- An order made in ONE statement and one transaction (the online order's whole transaction; a counter sale runs
-- it inside its own transaction, then adds the payment, marks the order paid and writes the audit entry). Each
-- rule it applies has its own home and is called, not copied: the (user, show) key and the global lock order
-- (bo_take_locks, bo_user_show_key), lazy expiry and who may take a seat (bo_seat_free, bo_seats_unavailable,
-- bo_standing_expire), the guarded standing counter (bo_standing_take, bo_standing_unhold, bo_standing_available),
-- the per-user cap (bo_seat_cap_exceeded), the order's shape (bo_order_json) and event numbering (bo_next_seq,
-- LAST, once for the show).
--
-- p: {"user": uuid, "show": "YYYY-MM-DD", "seats": [...] (distinct, sorted as the caller wants them reported),
--     "adult": n, "child": n, "now": timestamptz, "ttlMs": the payment deadline from now,
--     "key": Idempotency-Key | null, "hash": the request's hash,
--     "max": MAX_SEATS_PER_USER | null (no per-user cap: counter sales, bounded by the caller),
--     "channel": "ONLINE" | "BOX_OFFICE", "soldBy": uuid | null, "closedOk": true when sales closed do not stop
--     it (an admin at the counter; a CANCELLED show always does), "referrer": normalised code | null,
--     "referrerGiven": the code as the client sent it, "customerName", "customerPhone", "customerEmail",
--     "language": "en" | "th" | null, "paid": amount the payment must equal | null,
--     "asyncCommit": true to commit asynchronously (only when this statement is its own transaction; the caller
--     then MUST await Db.durable() before answering or publishing: docs/ARCHITECTURE.md "Holds commit
--     asynchronously")}
-- Steps, in the order of the service before it: the user's key; Idempotency-Key replay (same key and hash: the
-- existing order; another hash: IDEMPOTENCY_KEY_REUSED); the sales check; the referrer; a seat another buyer
-- holds or bought, seen without locks (fail fast); the seat rows, then the show's standing counter
-- (bo_take_locks); the sales check again under those locks (a show cancelled or closed while this order waited
-- for them); unknown seats; seats taken by others (a double click: every seat already in
-- ONE pending order of this user with exactly these seats, and no Idempotency-Key, answers that order as a
-- replay); standing places (the user's own holds become booked places, the rest must fit the counter); the cap;
-- prices (the show's price for a zone, else the venue's); the counter sale's amount; the insert; events.
--
-- Errors are raised (nothing is written): SQLSTATE BO001, message = the API error code, detail = its details as
-- JSON (or empty): IDEMPOTENCY_KEY_REUSED, SHOW_NOT_FOUND {showDate}, SALES_CLOSED {showDate, status,
-- salesCloseAt}, REFERRER_NOT_FOUND {referrerCode}, SEAT_NOT_FOUND {seatIds}, SEAT_UNAVAILABLE {unavailable:
-- [{seatId, status}]}, STANDING_UNAVAILABLE {requested: {adult, child}, available}, LOCK_LIMIT_EXCEEDED {max,
-- held, requested}, PAYMENT_AMOUNT_MISMATCH {expected, received, currency}. Unique violations (orders_code_key,
-- orders_idempotency_key, order_seats_one_active_order) reach the caller as they are, for it to retry or answer.
-- Returns {"replayed": bool, "order": bo_order_json, "events": [seat-booked {seatIds}, standing-changed
-- {available}] with showDate and seq (none on a replay)}.
CREATE OR REPLACE FUNCTION bo_order_create(p jsonb)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_user uuid := (p->>'user')::uuid;
  v_show date := (p->>'show')::date;
  v_now timestamptz := (p->>'now')::timestamptz;
  v_seats text[] := ARRAY(SELECT jsonb_array_elements_text(coalesce(p->'seats', '[]')));
  v_adult integer := coalesce((p->>'adult')::integer, 0);
  v_child integer := coalesce((p->>'child')::integer, 0);
  v_places integer := coalesce((p->>'adult')::integer, 0) + coalesce((p->>'child')::integer, 0);
  v_key text := p->>'key';
  v_found record;
  v_ref_code text;
  v_ref_commission integer;
  v_missing text[];
  v_unavailable jsonb;
  v_check record;
  v_same uuid;
  v_freed integer := 0;
  v_from_holds integer;
  v_available integer;
  v_over jsonb;
  v_seat_total integer;
  v_currency text;
  v_price_adult integer := 0;
  v_price_child integer := 0;
  v_standing_currency text;
  v_total integer;
  v_id uuid := gen_random_uuid();
  v_events jsonb := '[]';
  v_seq bigint;
  v_order jsonb;
BEGIN
  IF coalesce((p->>'asyncCommit')::boolean, false) THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  -- 1. the user's (user, show) key alone: the cap and the replay checks cannot be raced
  PERFORM bo_take_locks(jsonb_build_array(jsonb_build_object('op', 'order', 'show', v_show, 'user', v_user)));
  IF v_key IS NOT NULL THEN
    SELECT o.id, o.request_hash INTO v_found FROM orders o WHERE o.user_id = v_user AND o.idempotency_key = v_key;
    IF FOUND THEN
      IF v_found.request_hash IS DISTINCT FROM p->>'hash' THEN
        RAISE EXCEPTION USING ERRCODE = 'BO001', MESSAGE = 'IDEMPOTENCY_KEY_REUSED';
      END IF;
      RETURN jsonb_build_object('replayed', true, 'order', bo_order_json(v_found.id), 'events', '[]'::jsonb);
    END IF;
  END IF;
  PERFORM bo_order_sales_check(v_show, v_now, coalesce((p->>'closedOk')::boolean, false));
  IF p->>'referrer' IS NOT NULL THEN
    SELECT r.code, r.commission_per_ticket INTO v_ref_code, v_ref_commission FROM referrers r WHERE r.code = p->>'referrer';
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'BO001', MESSAGE = 'REFERRER_NOT_FOUND', DETAIL = jsonb_build_object('referrerCode', p->'referrerGiven')::text;
    END IF;
  END IF;

  -- 1b. Fail fast: a seat someone else holds or bought, as last committed, answers SEAT_UNAVAILABLE now, before
  --     queueing for its row lock. Otherwise every buyer of a seat just sold waits in turn on that row, each behind
  --     the one before it (a chain of transactions: 50 buyers of three seats took seconds on a busy machine and
  --     the last ones answered 503 at lock_timeout instead of 409). Safe: the answer was true at this statement's
  --     snapshot, during the request; a seat free here is judged again under its lock below. Unknown seats and a
  --     possible double-click replay (every taken seat in an order of this user) are left to the locked path.
  IF cardinality(v_seats) > 0 THEN
    SELECT * INTO v_check FROM bo_seats_unavailable(v_show, v_seats, v_user, v_now);
    IF v_check.found = cardinality(v_seats) AND v_check.others THEN
      RAISE EXCEPTION USING ERRCODE = 'BO001', MESSAGE = 'SEAT_UNAVAILABLE', DETAIL = jsonb_build_object('unavailable', v_check.unavailable)::text;
    END IF;
  END IF;

  -- 2. the seat rows, then the standing counter (an operation that is not a lock or an order takes no key)
  PERFORM bo_take_locks(jsonb_build_array(jsonb_build_object('op', 'order-items', 'show', v_show, 'user', v_user,
                                                             'seats', to_jsonb(v_seats), 'adult', v_adult, 'child', v_child)));
  PERFORM bo_order_sales_check(v_show, v_now, coalesce((p->>'closedOk')::boolean, false));

  v_missing := ARRAY(SELECT s.id FROM unnest(v_seats) WITH ORDINALITY s(id, ord)
                      WHERE NOT EXISTS (SELECT 1 FROM seat_inventory inv WHERE inv.show_date = v_show AND inv.seat_id = s.id)
                      ORDER BY s.ord);
  IF cardinality(v_missing) > 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'BO001', MESSAGE = 'SEAT_NOT_FOUND', DETAIL = jsonb_build_object('seatIds', to_jsonb(v_missing))::text;
  END IF;
  SELECT c.unavailable INTO v_unavailable FROM bo_seats_unavailable(v_show, v_seats, v_user, v_now) c;
  IF v_unavailable IS NOT NULL THEN
    -- a double click without Idempotency-Key: every seat already in one PENDING order of this user with exactly these seats
    IF v_places = 0 AND v_key IS NULL THEN
      SELECT CASE WHEN bool_and(inv.order_id IS NOT NULL) AND count(DISTINCT inv.order_id) = 1 THEN (array_agg(inv.order_id))[1] END
        INTO v_same
        FROM seat_inventory inv WHERE inv.show_date = v_show AND inv.seat_id = ANY (v_seats);
      IF v_same IS NOT NULL
         AND EXISTS (SELECT 1 FROM orders o WHERE o.id = v_same AND o.user_id = v_user AND o.status = 'PENDING')
         AND ARRAY(SELECT os.seat_id FROM order_seats os WHERE os.order_id = v_same AND os.cancelled_at IS NULL ORDER BY 1)
             = ARRAY(SELECT s FROM unnest(v_seats) s ORDER BY 1) THEN
        RETURN jsonb_build_object('replayed', true, 'order', bo_order_json(v_same), 'events', '[]'::jsonb);
      END IF;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'BO001', MESSAGE = 'SEAT_UNAVAILABLE', DETAIL = jsonb_build_object('unavailable', v_unavailable)::text;
  END IF;

  -- 3. standing places: the user's own holds become booked places, the rest must fit (the guarded counter)
  IF v_places > 0 THEN
    IF NOT EXISTS (SELECT 1 FROM show_standing ss WHERE ss.show_date = v_show) THEN
      RAISE EXCEPTION USING ERRCODE = 'BO001', MESSAGE = 'STANDING_UNAVAILABLE',
        DETAIL = jsonb_build_object('requested', jsonb_build_object('adult', v_adult, 'child', v_child), 'available', 0)::text;
    END IF;
    v_freed := bo_standing_expire(v_show, v_now);
    v_from_holds := bo_standing_unhold(v_show, v_user, 'adult', v_adult, v_now) + bo_standing_unhold(v_show, v_user, 'child', v_child, v_now);
    IF NOT bo_standing_take(v_show, v_places) THEN
      RAISE EXCEPTION USING ERRCODE = 'BO001', MESSAGE = 'STANDING_UNAVAILABLE',
        DETAIL = jsonb_build_object('requested', jsonb_build_object('adult', v_adult, 'child', v_child),
                                    'available', coalesce(bo_standing_available(v_show, v_now), 0))::text;
    END IF;
    -- announced when the places anyone may take changed: places not from the user's holds, or expired holds purged
    IF v_from_holds <> v_places OR v_freed > 0 THEN v_available := bo_standing_available(v_show, v_now); END IF;
  END IF;
  IF p->>'max' IS NOT NULL THEN
    v_over := bo_seat_cap_exceeded(v_user, v_show, v_now, v_seats, (p->>'max')::integer, v_places);
    IF v_over IS NOT NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'BO001', MESSAGE = 'LOCK_LIMIT_EXCEEDED', DETAIL = v_over::text;
    END IF;
  END IF;

  -- 4. prices now: the show's own price for a zone where it has one, else the venue's
  SELECT coalesce(sum(coalesce((sh.prices ->> s.zone_id)::int, z.price)), 0)::integer, (array_agg(z.currency ORDER BY s.id))[1]
    INTO v_seat_total, v_currency
    FROM seats s JOIN venue_zones z ON z.id = s.zone_id JOIN shows sh ON sh.show_date = v_show
   WHERE s.id = ANY (v_seats);
  IF v_places > 0 THEN
    SELECT coalesce((sh.prices ->> 'standing-adult')::int, v.price_adult), coalesce((sh.prices ->> 'standing-child')::int, v.price_child), v.currency
      INTO v_price_adult, v_price_child, v_standing_currency
      FROM venue_standing v JOIN shows sh ON sh.show_date = v_show;
  END IF;
  v_total := v_seat_total + v_adult * v_price_adult + v_child * v_price_child;
  v_currency := coalesce(v_currency, v_standing_currency);
  IF p->>'paid' IS NOT NULL AND (p->>'paid')::integer <> v_total THEN
    RAISE EXCEPTION USING ERRCODE = 'BO001', MESSAGE = 'PAYMENT_AMOUNT_MISMATCH',
      DETAIL = jsonb_build_object('expected', v_total, 'received', (p->>'paid')::integer, 'currency', v_currency)::text;
  END IF;

  -- 5. the order, its items, the seats BOOKED
  INSERT INTO orders (id, user_id, show_date, status, total, currency, customer_name, customer_phone, customer_email,
                      idempotency_key, request_hash, created_at, expires_at, language, channel, sold_by, referrer_code, referrer_commission)
  VALUES (v_id, v_user, v_show, 'PENDING', v_total, v_currency, p->>'customerName', p->>'customerPhone', p->>'customerEmail',
          v_key, p->>'hash', v_now, v_now + make_interval(secs => (p->>'ttlMs')::double precision / 1000), p->>'language',
          p->>'channel', (p->>'soldBy')::uuid, v_ref_code, v_ref_commission);
  INSERT INTO order_seats (order_id, show_date, seat_id, zone_id, price)
  SELECT v_id, v_show, s.id, s.zone_id, coalesce((sh.prices ->> s.zone_id)::int, z.price)
    FROM seats s JOIN venue_zones z ON z.id = s.zone_id JOIN shows sh ON sh.show_date = v_show
   WHERE s.id = ANY (v_seats);
  UPDATE seat_inventory SET state = 'BOOKED', order_id = v_id, holder_id = NULL, hold_expires_at = NULL
   WHERE show_date = v_show AND seat_id = ANY (v_seats);
  IF v_places > 0 THEN
    INSERT INTO order_standing (order_id, show_date, admission, place_no, price)
    SELECT v_id, v_show, 'adult', n, v_price_adult FROM generate_series(1, v_adult) n
    UNION ALL
    SELECT v_id, v_show, 'child', n, v_price_child FROM generate_series(1, v_child) n;
  END IF;

  -- the order's shape is read before the seq step: everything after bo_next_seq holds the show's row
  v_order := bo_order_json(v_id);

  -- 6. LAST: the events' numbers, one bo_next_seq call for the show
  IF cardinality(v_seats) > 0 THEN
    v_events := v_events || jsonb_build_array(jsonb_build_object('type', 'seat-booked', 'seatIds', to_jsonb(v_seats), 'showDate', v_show));
  END IF;
  IF v_available IS NOT NULL THEN
    v_events := v_events || jsonb_build_array(jsonb_build_object('type', 'standing-changed', 'showDate', v_show, 'available', v_available));
  END IF;
  IF jsonb_array_length(v_events) > 0 THEN
    v_seq := bo_next_seq(v_show, jsonb_array_length(v_events));
    SELECT jsonb_agg(t.e || jsonb_build_object('seq', v_seq + t.ord - 1) ORDER BY t.ord) INTO v_events
      FROM jsonb_array_elements(v_events) WITH ORDINALITY t(e, ord);
  END IF;
  RETURN jsonb_build_object('replayed', false, 'order', v_order, 'events', v_events);
END;
$$;
