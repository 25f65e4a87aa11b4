-- Coalesced holds: several lock / release requests that reach one server instance at the same moment run
-- as ONE statement (one round trip, one commit) instead of one each, while every request keeps its own
-- all-or-nothing answer. Each operation is exactly the single-request function (bo_lock_seats /
-- bo_release_seats, which write nothing unless they succeed), run one after another in arrival order, so
-- the per-user cap, lazy expiry and seq numbering are the same as for single requests.
--
-- Deadlocks: before running any operation the batch takes every lock it can need, in the global order all
-- booking code follows — advisory (user, show) keys in key order, then seat rows by (show_date, seat_id),
-- then show rows by show_date — so two batches, or a batch and any single request, order or sweep, cannot
-- wait on each other in a cycle. (Single functions take the same kinds in the same order: advisory key,
-- then seat rows sorted, then the show row.)
--
-- p_ops: [{"op":"lock","show":"YYYY-MM-DD","user":uuid,"seats":[...],"now":timestamptz},
--         {"op":"release","show":"YYYY-MM-DD","user":uuid,"seats":[...],"any":bool}, ...]
-- Rows: idx is the 1-based position of the operation.
--   lock:    one row, outcome and columns as bo_lock_seats.
--   release: outcome SHOW_NOT_FOUND (nothing done), or one RELEASED row per previous holder (as
--            bo_release_seats) followed by one row with outcome OK (so every operation answers).
CREATE FUNCTION bo_hold_batch(p_ops jsonb, p_ttl_ms integer, p_max integer)
RETURNS TABLE (idx integer, outcome text, seq bigint, expires_at timestamptz, seats text[], problems jsonb, holder uuid)
LANGUAGE plpgsql AS $$
DECLARE
  v_key bigint;
  v_op jsonb;
  v_i integer;
  v_show date;
  v_seats text[];
  v_shows date[] := '{}';
BEGIN
  FOR v_key IN
    SELECT DISTINCT hashtextextended((o.value->>'user')::uuid::text || (o.value->>'show')::date::text, 0) AS k
      FROM jsonb_array_elements(p_ops) o
     WHERE o.value->>'op' = 'lock'
     ORDER BY k
  LOOP
    PERFORM pg_advisory_xact_lock(v_key);
  END LOOP;

  -- one index lookup per show, seats in seat_id order (as the single functions do); shows in date order
  FOR v_show, v_seats IN
    SELECT w.d, array_agg(DISTINCT w.sid ORDER BY w.sid)
      FROM (SELECT (o.value->>'show')::date AS d, s.value AS sid
              FROM jsonb_array_elements(p_ops) o, jsonb_array_elements_text(o.value->'seats') s) w
     GROUP BY w.d
     ORDER BY w.d
  LOOP
    PERFORM 1 FROM seat_inventory inv
     WHERE inv.show_date = v_show AND inv.seat_id = ANY (v_seats)
     ORDER BY inv.seat_id
       FOR UPDATE;
    v_shows := v_shows || v_show;
  END LOOP;

  -- the same lock strength an UPDATE of seq takes (does not block foreign-key checks)
  PERFORM 1 FROM shows sh WHERE sh.show_date = ANY (v_shows) ORDER BY sh.show_date FOR NO KEY UPDATE;

  FOR v_op, v_i IN SELECT o.value, o.ordinality::integer FROM jsonb_array_elements(p_ops) WITH ORDINALITY o LOOP
    v_show := (v_op->>'show')::date;
    v_seats := ARRAY(SELECT jsonb_array_elements_text(v_op->'seats'));
    IF v_op->>'op' = 'lock' THEN
      RETURN QUERY
        SELECT v_i, l.outcome, l.seq, l.expires_at, l.seats, l.problems, NULL::uuid
          FROM bo_lock_seats(v_show, v_seats, (v_op->>'user')::uuid, (v_op->>'now')::timestamptz, p_ttl_ms, p_max) l;
    ELSIF NOT EXISTS (SELECT 1 FROM shows sh WHERE sh.show_date = v_show) THEN
      RETURN QUERY SELECT v_i, 'SHOW_NOT_FOUND'::text, NULL::bigint, NULL::timestamptz, NULL::text[], NULL::jsonb, NULL::uuid;
    ELSE
      RETURN QUERY
        SELECT v_i, 'RELEASED'::text, r.seq, r.expires_at, r.seats, NULL::jsonb, r.holder_id
          FROM bo_release_seats(v_show, v_seats, (v_op->>'user')::uuid, coalesce((v_op->>'any')::boolean, false)) r;
      RETURN QUERY SELECT v_i, 'OK'::text, NULL::bigint, NULL::timestamptz, NULL::text[], NULL::jsonb, NULL::uuid;
    END IF;
  END LOOP;
END;
$$;
