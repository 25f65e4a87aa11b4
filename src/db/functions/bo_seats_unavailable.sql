-- Which of the seats p_seats of show p_show a buyer p_user cannot have at p_now, its one home for orders: a seat is
-- unavailable unless free (bo_seat_free) or held by the buyer. Read as the calling statement sees the rows: under
-- their row locks in bo_order_create's judgement, without them in its fail-fast check (see there).
-- Returns one row:
--   found        how many of the seats exist in the show's inventory
--   unavailable  [{seatId, status}] by seat id, or NULL when every seat found is the buyer's to take
--   others       true when one of the unavailable seats is not in an order of the buyer (so no double-click replay
--                can answer for it: bo_order_create's step 2)
CREATE OR REPLACE FUNCTION bo_seats_unavailable(p_show date, p_seats text[], p_user uuid, p_now timestamptz)
RETURNS TABLE (found integer, unavailable jsonb, others boolean)
LANGUAGE sql STABLE AS $$
  SELECT count(*)::integer,
         jsonb_agg(jsonb_build_object('seatId', t.seat_id, 'status', t.state) ORDER BY t.seat_id) FILTER (WHERE t.taken),
         coalesce(bool_or(t.taken AND t.buyer IS DISTINCT FROM p_user), false)
    FROM (SELECT inv.seat_id, inv.state, o.user_id AS buyer,
                 NOT (bo_seat_free(inv.state, inv.hold_expires_at, p_now) OR (inv.state = 'LOCKED' AND inv.holder_id = p_user)) AS taken
            FROM seat_inventory inv LEFT JOIN orders o ON o.id = inv.order_id
           WHERE inv.show_date = p_show AND inv.seat_id = ANY (p_seats)) t
$$;
