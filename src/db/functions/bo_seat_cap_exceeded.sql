-- The per-user cap (MAX_SEATS_PER_USER), its one home: what a user holds or has in PENDING orders for one
-- show, plus what they ask for now, may not exceed p_max. Seats of p_seats the user already holds count
-- once (as requested). Expired holds do not count (bo_seat_free). The caller holds the user's advisory
-- key for the show (bo_take_locks), so nothing can change the count meanwhile.
-- Returns NULL within the cap, else LOCK_LIMIT_EXCEEDED's details {max, held, requested}.
CREATE OR REPLACE FUNCTION bo_seat_cap_exceeded(p_user uuid, p_show date, p_now timestamptz, p_seats text[], p_max integer)
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_held integer;
BEGIN
  SELECT (SELECT count(*) FROM seat_inventory inv
           WHERE inv.holder_id = p_user AND inv.show_date = p_show AND inv.state = 'LOCKED'
             AND NOT bo_seat_free(inv.state, inv.hold_expires_at, p_now) AND inv.seat_id <> ALL (p_seats))
       + (SELECT count(*) FROM order_seats os JOIN orders o ON o.id = os.order_id
           WHERE o.user_id = p_user AND o.show_date = p_show AND o.status = 'PENDING' AND os.active)
    INTO v_held;
  IF v_held + cardinality(p_seats) <= p_max THEN RETURN NULL; END IF;
  RETURN jsonb_build_object('max', p_max, 'held', v_held, 'requested', cardinality(p_seats));
END;
$$;
