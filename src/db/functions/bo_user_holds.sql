-- What users already have on shows, set-based, the one home of counting it: for each operation i (1-based,
-- one element of each array), what p_user[i] holds or has in PENDING orders on p_show[i] at p_now[i], and
-- whether p_requested[i] more (0: not asked) would go over the per-user cap p_max[i] (MAX_SEATS_PER_USER, or a staff
-- member's BOX_OFFICE_MAX_SEATS). Seats and standing places count alike; expired holds do not (bo_seat_free,
-- and a standing hold by its expiry); seats of the operation's own request that the user already holds
-- (p_seat where p_seat_op = i) count once, as requested. The caller holds the user's advisory key for the
-- show (bo_take_locks) when it acts on the answer, so nothing can change the count meanwhile.
-- Rows, one per operation:
--   over   NULL within the cap, else LOCK_LIMIT_EXCEEDED's details {max, held, requested}
--   adult, child  the user's unexpired standing holds on the show (bo_standing_held)
-- A plain SQL table function, so a caller's query inlines it and plans it with the rest of its statement.
CREATE OR REPLACE FUNCTION bo_user_holds(p_user uuid[], p_show date[], p_now timestamptz[], p_seat_op integer[], p_seat text[],
                                         p_requested integer[], p_max integer[])
RETURNS TABLE (i integer, over jsonb, adult integer, child integer)
LANGUAGE sql STABLE AS $$
  SELECT o.i::integer,
         CASE WHEN o.r > 0 AND h.held + o.r > o.m
              THEN jsonb_build_object('max', o.m, 'held', h.held, 'requested', o.r) END,
         g.adult, g.child
    FROM unnest(p_user, p_show, p_now, p_requested, p_max) WITH ORDINALITY o(u, d, t, r, m, i)
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(sh.quantity) FILTER (WHERE sh.admission = 'adult'), 0)::integer AS adult,
             coalesce(sum(sh.quantity) FILTER (WHERE sh.admission = 'child'), 0)::integer AS child
        FROM standing_holds sh
       WHERE sh.show_date = o.d AND sh.holder_id = o.u AND sh.hold_expires_at > o.t) g
    -- counted only for an operation that asks for something (a release asks for nothing); OFFSET 0 keeps it
    -- one subquery, counted once: pulled up, its counts were planned (and run) once for each use of `held` above
    CROSS JOIN LATERAL (
      SELECT CASE WHEN o.r > 0 THEN
               (SELECT count(*) FROM seat_inventory inv
                 WHERE inv.holder_id = o.u AND inv.show_date = o.d AND inv.state = 'LOCKED'
                   AND NOT bo_seat_free(inv.state, inv.hold_expires_at, o.t)
                   AND inv.seat_id NOT IN (SELECT s.sid FROM unnest(p_seat_op, p_seat) s(k, sid) WHERE s.k = o.i))
             + (SELECT count(*) FROM order_seats os JOIN orders od ON od.id = os.order_id
                 WHERE od.user_id = o.u AND od.show_date = o.d AND od.status = 'PENDING' AND os.active)
             + g.adult + g.child
             + (SELECT count(*) FROM order_standing st JOIN orders od ON od.id = st.order_id
                 WHERE od.user_id = o.u AND od.show_date = o.d AND od.status = 'PENDING' AND st.active)
             END AS held
      OFFSET 0) h
$$;
