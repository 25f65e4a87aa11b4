-- Locks (holds) seats and standing places for several INDEPENDENT lock operations at once, each all or nothing,
-- set-based (a few statements for the whole list instead of a few per operation). Independent: no seat, no
-- (user, show) and no show's standing counter appears in two of them (bo_hold_rounds forms such groups), so their
-- order does not matter. Takes no seq: the caller numbers the events last (bo_next_seq). The caller took the
-- locks (bo_take_locks: seat rows, and the standing row of a show asked standing places of).
--
-- p_ops: [{i, show, user, seats: [...], adult, child, now, max?}]. `max`: this operation's cap on what the user
-- holds on the show (staff and admin holding for a counter sale: BOX_OFFICE_MAX_SEATS); absent: p_max. One row
-- per operation, by i:
--   outcome  OK | SHOW_NOT_FOUND | SALES_CLOSED (status not ON_SALE, or now >= sales_close_at) | SEAT_NOT_FOUND
--            | SEAT_UNAVAILABLE | STANDING_UNAVAILABLE | LOCK_LIMIT_EXCEEDED
--   expires_at  on OK, the earliest expiry among the requested seats and places (seats the user already held
--               keep theirs: they are not extended and not announced again)
--   seats    on OK the newly locked seats; on SEAT_NOT_FOUND the unknown ones
--   problems on SEAT_UNAVAILABLE [{seatId, status}]; on STANDING_UNAVAILABLE {requested: {adult, child},
--            available}; on LOCK_LIMIT_EXCEEDED {max, held, requested}
--   event    true when the operation changed seats (one seat-locked event)
--   standing the user's unexpired standing holds on the show after the operation {adult, child}, and on OK with
--            places asked for, `available` after it (one standing-changed event)
CREATE OR REPLACE FUNCTION bo_take_seats(p_ops jsonb, p_ttl_ms integer, p_max integer)
RETURNS TABLE (idx integer, show_date date, outcome text, expires_at timestamptz, seats text[], problems jsonb, event boolean, standing jsonb)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_ttl interval := make_interval(secs => p_ttl_ms / 1000.0);
BEGIN
  -- lazy expiry of the standing holds of every show asked places of (one operation per show here), before judging
  PERFORM bo_standing_expire((o->>'show')::date, (o->>'now')::timestamptz)
     FROM jsonb_array_elements(p_ops) o
    WHERE coalesce((o->>'adult')::integer, 0) + coalesce((o->>'child')::integer, 0) > 0;

  RETURN QUERY
  WITH op AS MATERIALIZED (
    SELECT (o->>'i')::integer AS i, (o->>'show')::date AS d, (o->>'user')::uuid AS u, (o->>'now')::timestamptz AS t,
           ARRAY(SELECT DISTINCT x FROM jsonb_array_elements_text(coalesce(o->'seats', '[]')) x ORDER BY x) AS want,
           coalesce((o->>'adult')::integer, 0) AS a, coalesce((o->>'child')::integer, 0) AS c,
           coalesce((o->>'max')::integer, p_max) AS m
      FROM jsonb_array_elements(p_ops) o
  ), seat AS MATERIALIZED (
    SELECT op.i, w.sid, inv.state IS NOT NULL AS found, inv.state, inv.hold_expires_at,
           coalesce(bo_seat_free(inv.state, inv.hold_expires_at, op.t), false) AS free,
           coalesce(inv.state = 'LOCKED' AND inv.holder_id = op.u, false) AS mine
      FROM op CROSS JOIN LATERAL unnest(op.want) w(sid)
      -- LATERAL + LIMIT: one primary-key lookup per seat, whatever the planner guesses about the JSON
      LEFT JOIN LATERAL (SELECT x.state, x.holder_id, x.hold_expires_at FROM seat_inventory x
                          WHERE x.show_date = op.d AND x.seat_id = w.sid LIMIT 1) inv ON true
  ), judged AS (
    SELECT op.i, op.d, op.u, op.t, op.want, op.a, op.c, op.m, sh.status, sh.sales_close_at,
           (SELECT ss.capacity - ss.taken FROM show_standing ss WHERE ss.show_date = op.d) AS stock,
           bo_standing_held(op.u, op.d, op.t) AS held,
           ARRAY(SELECT s.sid FROM seat s WHERE s.i = op.i AND NOT s.found ORDER BY s.sid) AS unknown,
           (SELECT jsonb_agg(jsonb_build_object('seatId', s.sid, 'status', s.state) ORDER BY s.sid)
              FROM seat s WHERE s.i = op.i AND s.found AND NOT s.free AND NOT s.mine) AS unavailable,
           ARRAY(SELECT s.sid FROM seat s WHERE s.i = op.i AND s.free ORDER BY s.sid) AS fresh,
           (SELECT min(s.hold_expires_at) FROM seat s WHERE s.i = op.i AND NOT s.free AND s.mine) AS held_until
      FROM op LEFT JOIN shows sh ON sh.show_date = op.d
  ), decided AS (
    SELECT j.*,
           -- seats the user already holds do not need the cap checked again
           bo_lock_verdict(j.status, j.sales_close_at, j.t, cardinality(j.unknown) > 0, j.unavailable IS NOT NULL,
                           j.a + j.c > coalesce(j.stock, 0),
                           (cardinality(j.fresh) > 0 OR j.a + j.c > 0)
                           AND bo_seat_cap_exceeded(j.u, j.d, j.t, j.want, j.m, j.a + j.c) IS NOT NULL) AS verdict
      FROM judged j
  ), locked AS (
    UPDATE seat_inventory inv
       SET state = 'LOCKED', holder_id = d.u, hold_expires_at = d.t + v_ttl, order_id = NULL
      FROM decided d CROSS JOIN LATERAL unnest(d.fresh) f(sid)
     WHERE d.verdict = 'OK' AND inv.show_date = d.d AND inv.seat_id = f.sid
  ), placed AS (
    INSERT INTO standing_holds (show_date, holder_id, admission, quantity, hold_expires_at)
    SELECT d.d, d.u, x.adm, x.n, d.t + v_ttl
      FROM decided d CROSS JOIN LATERAL (VALUES ('adult', d.a), ('child', d.c)) x(adm, n)
     WHERE d.verdict = 'OK' AND x.n > 0
  ), counted AS (
    -- at most one operation per show here; the guard and the CHECK stand behind the verdict
    UPDATE show_standing ss SET taken = ss.taken + d.a + d.c
      FROM decided d
     WHERE d.verdict = 'OK' AND d.a + d.c > 0 AND ss.show_date = d.d AND ss.taken + d.a + d.c <= ss.capacity
  )
  SELECT d.i, d.d, d.verdict,
         CASE WHEN d.verdict = 'OK'
           THEN least(d.held_until, CASE WHEN cardinality(d.fresh) > 0 OR d.a + d.c > 0 THEN d.t + v_ttl END) END,
         CASE d.verdict WHEN 'OK' THEN d.fresh WHEN 'SEAT_NOT_FOUND' THEN d.unknown END,
         CASE d.verdict
           WHEN 'SEAT_UNAVAILABLE' THEN d.unavailable
           WHEN 'STANDING_UNAVAILABLE' THEN jsonb_build_object('requested', jsonb_build_object('adult', d.a, 'child', d.c),
                                                               'available', coalesce(d.stock, 0))
           WHEN 'LOCK_LIMIT_EXCEEDED' THEN bo_seat_cap_exceeded(d.u, d.d, d.t, d.want, d.m, d.a + d.c)
         END,
         d.verdict = 'OK' AND cardinality(d.fresh) > 0,
         CASE WHEN d.verdict = 'OK' AND d.a + d.c > 0
           THEN jsonb_build_object('adult', (d.held->>'adult')::integer + d.a, 'child', (d.held->>'child')::integer + d.c,
                                   'available', d.stock - d.a - d.c)
           ELSE d.held
         END
    FROM decided d
   ORDER BY d.i;
END;
$$;
