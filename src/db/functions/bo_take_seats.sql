-- Locks (holds) seats for several INDEPENDENT lock operations at once, each all or nothing, set-based (a
-- few statements for the whole list instead of a few per operation). Independent: no seat and no
-- (user, show) appears in two of them (bo_hold_rounds forms such groups), so their order does not matter.
-- Takes no seq: the caller numbers the events last (bo_next_seq). The caller took the locks (bo_take_locks).
--
-- p_ops: [{i, show, user, seats: [...], now}]. One row per operation, by i:
--   outcome  OK | SHOW_NOT_FOUND | SALES_CLOSED | SEAT_NOT_FOUND | SEAT_UNAVAILABLE | LOCK_LIMIT_EXCEEDED
--   expires_at  on OK, the earliest expiry among the requested seats (seats the user already held keep
--               theirs: they are not extended and not announced again)
--   seats    on OK the newly locked seats; on SEAT_NOT_FOUND the unknown ones
--   problems on SEAT_UNAVAILABLE [{seatId, status}]; on LOCK_LIMIT_EXCEEDED {max, held, requested}
--   event    true when the operation changed seats (one seat-locked event)
CREATE OR REPLACE FUNCTION bo_take_seats(p_ops jsonb, p_ttl_ms integer, p_max integer)
RETURNS TABLE (idx integer, show_date date, outcome text, expires_at timestamptz, seats text[], problems jsonb, event boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_ttl interval := make_interval(secs => p_ttl_ms / 1000.0);
BEGIN
  RETURN QUERY
  WITH op AS MATERIALIZED (
    SELECT (o->>'i')::integer AS i, (o->>'show')::date AS d, (o->>'user')::uuid AS u, (o->>'now')::timestamptz AS t,
           ARRAY(SELECT DISTINCT x FROM jsonb_array_elements_text(o->'seats') x ORDER BY x) AS want
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
    SELECT op.i, op.d, op.u, op.t, op.want, sh.status,
           ARRAY(SELECT s.sid FROM seat s WHERE s.i = op.i AND NOT s.found ORDER BY s.sid) AS unknown,
           (SELECT jsonb_agg(jsonb_build_object('seatId', s.sid, 'status', s.state) ORDER BY s.sid)
              FROM seat s WHERE s.i = op.i AND s.found AND NOT s.free AND NOT s.mine) AS unavailable,
           ARRAY(SELECT s.sid FROM seat s WHERE s.i = op.i AND s.free ORDER BY s.sid) AS fresh,
           (SELECT min(s.hold_expires_at) FROM seat s WHERE s.i = op.i AND NOT s.free AND s.mine) AS held_until
      FROM op LEFT JOIN shows sh ON sh.show_date = op.d
  ), decided AS (
    SELECT j.*,
           CASE
             WHEN j.status IS NULL THEN 'SHOW_NOT_FOUND'
             WHEN j.status <> 'ON_SALE' THEN 'SALES_CLOSED'
             WHEN cardinality(j.unknown) > 0 THEN 'SEAT_NOT_FOUND'
             WHEN j.unavailable IS NOT NULL THEN 'SEAT_UNAVAILABLE'
             -- seats the user already holds do not need the cap checked again
             WHEN cardinality(j.fresh) > 0 AND bo_seat_cap_exceeded(j.u, j.d, j.t, j.want, p_max) IS NOT NULL THEN 'LOCK_LIMIT_EXCEEDED'
             ELSE 'OK'
           END AS verdict
      FROM judged j
  ), locked AS (
    UPDATE seat_inventory inv
       SET state = 'LOCKED', holder_id = d.u, hold_expires_at = d.t + v_ttl, order_id = NULL
      FROM decided d CROSS JOIN LATERAL unnest(d.fresh) f(sid)
     WHERE d.verdict = 'OK' AND inv.show_date = d.d AND inv.seat_id = f.sid
  )
  SELECT d.i, d.d, d.verdict,
         CASE WHEN d.verdict = 'OK' THEN least(d.held_until, CASE WHEN cardinality(d.fresh) > 0 THEN d.t + v_ttl END) END,
         CASE d.verdict WHEN 'OK' THEN d.fresh WHEN 'SEAT_NOT_FOUND' THEN d.unknown END,
         CASE d.verdict
           WHEN 'SEAT_UNAVAILABLE' THEN d.unavailable
           WHEN 'LOCK_LIMIT_EXCEEDED' THEN bo_seat_cap_exceeded(d.u, d.d, d.t, d.want, p_max)
         END,
         d.verdict = 'OK' AND cardinality(d.fresh) > 0
    FROM decided d
   ORDER BY d.i;
END;
$$;
