-- The per-user cap (MAX_SEATS_PER_USER), its one home: what a user holds or has in PENDING orders for one
-- show (seats and standing places alike), plus what they ask for now (p_seats and p_standing places), may not
-- exceed p_max. Seats of p_seats the user already holds count once (as requested). Expired holds do not count
-- (bo_seat_free, and standing holds by their expiry). The caller holds the user's advisory key for the show
-- (bo_take_locks), so nothing can change the count meanwhile. An order that turns the user's standing holds into
-- booked places gives them back (bo_standing_unhold) before asking, so they are not counted twice.
-- Returns NULL within the cap, else LOCK_LIMIT_EXCEEDED's details {max, held, requested}.
CREATE OR REPLACE FUNCTION bo_seat_cap_exceeded(p_user uuid, p_show date, p_now timestamptz, p_seats text[], p_max integer, p_standing integer DEFAULT 0)
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
       + (SELECT coalesce(sum(h.quantity), 0) FROM standing_holds h
           WHERE h.holder_id = p_user AND h.show_date = p_show AND h.hold_expires_at > p_now)
       + (SELECT count(*) FROM order_standing st JOIN orders o ON o.id = st.order_id
           WHERE o.user_id = p_user AND o.show_date = p_show AND o.status = 'PENDING' AND st.active)
    INTO v_held;
  IF v_held + cardinality(p_seats) + p_standing <= p_max THEN RETURN NULL; END IF;
  RETURN jsonb_build_object('max', p_max, 'held', v_held, 'requested', cardinality(p_seats) + p_standing);
END;
$$;
