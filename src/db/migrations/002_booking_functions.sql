-- The hot paths of the booking core as functions, so each lock or release is ONE round trip and ONE
-- transaction. Seat rows are always locked in seat_id order, then the show row (seq) last: no deadlocks.
-- Time comes in as a parameter (p_now) so that the application's clock is the only clock.

-- Lock seats for a user, all or nothing.
-- outcome: OK | SHOW_NOT_FOUND | SALES_CLOSED | SEAT_NOT_FOUND | SEAT_UNAVAILABLE | LOCK_LIMIT_EXCEEDED
-- seats: on OK the newly locked seat ids (already-held ones are not extended and not re-announced);
--        on SEAT_NOT_FOUND the unknown ids; on SEAT_UNAVAILABLE [{seatId, status}] as JSON in problems.
CREATE FUNCTION bo_lock_seats(p_show date, p_seats text[], p_user uuid, p_now timestamptz, p_ttl_ms integer, p_max integer)
RETURNS TABLE (outcome text, seq bigint, expires_at timestamptz, seats text[], problems jsonb)
LANGUAGE plpgsql AS $$
DECLARE
  v_status text;
  v_ids text[];
  v_states text[];
  v_holders uuid[];
  v_expiries timestamptz[];
  v_new text[] := '{}';
  v_unavailable jsonb := '[]';
  v_held_expiry timestamptz;
  v_other_holds integer;
  v_pending integer;
  v_expires timestamptz := p_now + make_interval(secs => p_ttl_ms / 1000.0);
  v_seq bigint;
  i integer;
BEGIN
  SELECT s.status INTO v_status FROM shows s WHERE s.show_date = p_show;
  IF NOT FOUND THEN RETURN QUERY SELECT 'SHOW_NOT_FOUND', NULL::bigint, NULL::timestamptz, NULL::text[], NULL::jsonb; RETURN; END IF;
  IF v_status <> 'ON_SALE' THEN RETURN QUERY SELECT 'SALES_CLOSED', NULL::bigint, NULL::timestamptz, NULL::text[], NULL::jsonb; RETURN; END IF;

  -- one user's concurrent requests for one show queue here, so the per-user cap cannot be raced
  PERFORM pg_advisory_xact_lock(hashtextextended(p_user::text || p_show::text, 0));

  SELECT array_agg(r.seat_id), array_agg(r.state), array_agg(r.holder_id), array_agg(r.hold_expires_at)
    INTO v_ids, v_states, v_holders, v_expiries
    FROM (SELECT inv.seat_id, inv.state, inv.holder_id, inv.hold_expires_at
            FROM seat_inventory inv
           WHERE inv.show_date = p_show AND inv.seat_id = ANY (p_seats)
           ORDER BY inv.seat_id
             FOR UPDATE) r;

  IF coalesce(array_length(v_ids, 1), 0) < array_length(p_seats, 1) THEN
    RETURN QUERY SELECT 'SEAT_NOT_FOUND', NULL::bigint, NULL::timestamptz,
      ARRAY(SELECT u FROM unnest(p_seats) u WHERE u <> ALL (coalesce(v_ids, '{}')) ORDER BY u), NULL::jsonb;
    RETURN;
  END IF;

  FOR i IN 1 .. array_length(v_ids, 1) LOOP
    IF v_states[i] = 'AVAILABLE' OR (v_states[i] = 'LOCKED' AND v_expiries[i] <= p_now) THEN
      v_new := v_new || v_ids[i];
    ELSIF v_states[i] = 'LOCKED' AND v_holders[i] = p_user THEN
      v_held_expiry := least(v_held_expiry, v_expiries[i]);
      IF v_held_expiry IS NULL THEN v_held_expiry := v_expiries[i]; END IF;
    ELSE
      v_unavailable := v_unavailable || jsonb_build_object('seatId', v_ids[i], 'status', v_states[i]);
    END IF;
  END LOOP;

  IF jsonb_array_length(v_unavailable) > 0 THEN
    RETURN QUERY SELECT 'SEAT_UNAVAILABLE', NULL::bigint, NULL::timestamptz, NULL::text[], v_unavailable;
    RETURN;
  END IF;

  IF array_length(v_new, 1) > 0 THEN
    SELECT count(*) INTO v_other_holds FROM seat_inventory inv
     WHERE inv.holder_id = p_user AND inv.show_date = p_show AND inv.state = 'LOCKED'
       AND inv.hold_expires_at > p_now AND inv.seat_id <> ALL (p_seats);
    SELECT count(*) INTO v_pending FROM order_seats os JOIN orders o ON o.id = os.order_id
     WHERE o.user_id = p_user AND o.show_date = p_show AND o.status = 'PENDING' AND os.active;
    IF v_other_holds + v_pending + array_length(p_seats, 1) > p_max THEN
      RETURN QUERY SELECT 'LOCK_LIMIT_EXCEEDED', NULL::bigint, NULL::timestamptz, NULL::text[],
        jsonb_build_object('max', p_max, 'held', v_other_holds + v_pending, 'requested', array_length(p_seats, 1));
      RETURN;
    END IF;

    UPDATE seat_inventory inv
       SET state = 'LOCKED', holder_id = p_user, hold_expires_at = v_expires, order_id = NULL
     WHERE inv.show_date = p_show AND inv.seat_id = ANY (v_new);
    UPDATE shows s SET seq = s.seq + 1 WHERE s.show_date = p_show RETURNING s.seq INTO v_seq;
    v_held_expiry := least(v_held_expiry, v_expires);
    IF v_held_expiry IS NULL THEN v_held_expiry := v_expires; END IF;
  END IF;

  RETURN QUERY SELECT 'OK', v_seq, v_held_expiry, v_new, NULL::jsonb;
END;
$$;

-- Release locks. Customers release only their own; p_any (staff) releases anyone's.
-- One row per previous holder, each with its own seq (one seat-released event each).
CREATE FUNCTION bo_release_seats(p_show date, p_seats text[], p_user uuid, p_any boolean)
RETURNS TABLE (holder_id uuid, expires_at timestamptz, seats text[], seq bigint)
LANGUAGE plpgsql AS $$
DECLARE
  g record;
  v_seq bigint;
BEGIN
  FOR g IN
    WITH taken AS (
      SELECT inv.seat_id, inv.holder_id, inv.hold_expires_at
        FROM seat_inventory inv
       WHERE inv.show_date = p_show AND inv.seat_id = ANY (p_seats) AND inv.state = 'LOCKED'
         AND (p_any OR inv.holder_id = p_user)
       ORDER BY inv.seat_id
         FOR UPDATE
    ), freed AS (
      UPDATE seat_inventory inv
         SET state = 'AVAILABLE', holder_id = NULL, hold_expires_at = NULL
        FROM taken
       WHERE inv.show_date = p_show AND inv.seat_id = taken.seat_id
      RETURNING taken.seat_id, taken.holder_id, taken.hold_expires_at
    )
    SELECT f.holder_id AS holder, max(f.hold_expires_at) AS expiry, array_agg(f.seat_id ORDER BY f.seat_id) AS ids
      FROM freed f GROUP BY f.holder_id ORDER BY f.holder_id
  LOOP
    UPDATE shows s SET seq = s.seq + 1 WHERE s.show_date = p_show RETURNING s.seq INTO v_seq;
    RETURN QUERY SELECT g.holder, g.expiry, g.ids, v_seq;
  END LOOP;
END;
$$;

-- Release locks that expired, at most p_limit seats per call. SKIP LOCKED lets several instances sweep at
-- once without waiting on each other or on live requests. One row per (show, holder): one event each.
CREATE FUNCTION bo_expire_locks(p_now timestamptz, p_limit integer)
RETURNS TABLE (show_date date, holder_id uuid, expires_at timestamptz, seats text[], seq bigint)
LANGUAGE plpgsql AS $$
DECLARE
  g record;
  v_seq bigint;
BEGIN
  FOR g IN
    WITH expired AS (
      SELECT inv.show_date, inv.seat_id, inv.holder_id, inv.hold_expires_at
        FROM seat_inventory inv
       WHERE inv.state = 'LOCKED' AND inv.hold_expires_at <= p_now
       ORDER BY inv.show_date, inv.seat_id
       LIMIT p_limit
         FOR UPDATE SKIP LOCKED
    ), freed AS (
      UPDATE seat_inventory inv
         SET state = 'AVAILABLE', holder_id = NULL, hold_expires_at = NULL
        FROM expired
       WHERE inv.show_date = expired.show_date AND inv.seat_id = expired.seat_id
      RETURNING expired.show_date, expired.seat_id, expired.holder_id, expired.hold_expires_at
    )
    SELECT f.show_date AS day, f.holder_id AS holder, max(f.hold_expires_at) AS expiry,
           array_agg(f.seat_id ORDER BY f.seat_id) AS ids
      FROM freed f GROUP BY f.show_date, f.holder_id ORDER BY f.show_date, f.holder_id
  LOOP
    UPDATE shows s SET seq = s.seq + 1 WHERE s.show_date = g.day RETURNING s.seq INTO v_seq;
    RETURN QUERY SELECT g.day, g.holder, g.expiry, g.ids, v_seq;
  END LOOP;
END;
$$;
