-- Releases holds that expired, at most p_limit seats per call. SKIP LOCKED lets several instances sweep at
-- once without waiting on each other or on live requests (a seat a request has locked is skipped now and
-- found by the next sweep). One row per (show, holder): one seat-released event each, numbered last
-- (bo_next_seq, one call per show, shows in date order).
CREATE OR REPLACE FUNCTION bo_expire_locks(p_now timestamptz, p_limit integer)
RETURNS TABLE (show_date date, holder_id uuid, expires_at timestamptz, seats text[], seq bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_rows jsonb;
  v_first jsonb := '{}';
  v_show text;
  v_events integer;
BEGIN
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
  SELECT coalesce(jsonb_agg(jsonb_build_object('d', g.day, 'h', g.holder, 'x', g.expiry, 's', g.ids) ORDER BY g.day, g.holder), '[]')
    INTO v_rows
    FROM (SELECT f.show_date AS day, f.holder_id AS holder, max(f.hold_expires_at) AS expiry, array_agg(f.seat_id ORDER BY f.seat_id) AS ids
            FROM freed f GROUP BY f.show_date, f.holder_id) g;

  FOR v_show, v_events IN SELECT e->>'d', count(*)::integer FROM jsonb_array_elements(v_rows) e GROUP BY 1 ORDER BY 1 LOOP
    v_first := v_first || jsonb_build_object(v_show, bo_next_seq(v_show::date, v_events));
  END LOOP;

  RETURN QUERY
    SELECT (e->>'d')::date, (e->>'h')::uuid, (e->>'x')::timestamptz, ARRAY(SELECT jsonb_array_elements_text(e->'s')),
           (v_first->>(e->>'d'))::bigint - 1 + row_number() OVER (PARTITION BY e->>'d' ORDER BY t.ord)
      FROM jsonb_array_elements(v_rows) WITH ORDINALITY t(e, ord)
     ORDER BY t.ord;
END;
$$;
