-- The per-user cap (MAX_SEATS_PER_USER) for one request: what p_user holds or has in PENDING orders for the
-- show, plus p_seats and p_standing places asked for now, may not exceed p_max (counted by bo_user_holds, the
-- rule's one home). An order that turns the user's standing holds into booked places gives them back
-- (bo_standing_unhold) before asking, so they are not counted twice. The caller holds the user's advisory key
-- for the show (bo_take_locks). Returns NULL within the cap, else LOCK_LIMIT_EXCEEDED's details {max, held, requested}.
CREATE OR REPLACE FUNCTION bo_seat_cap_exceeded(p_user uuid, p_show date, p_now timestamptz, p_seats text[], p_max integer, p_standing integer DEFAULT 0)
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT h.over
            FROM bo_user_holds(ARRAY[p_user], ARRAY[p_show], ARRAY[p_now], array_fill(1, ARRAY[cardinality(p_seats)]), p_seats,
                               ARRAY[cardinality(p_seats) + p_standing], ARRAY[p_max]) h);
END;
$$;
