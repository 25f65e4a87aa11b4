-- Releases seats for several INDEPENDENT release operations at once (see bo_take_seats), set-based.
-- Customers release only their own holds; `anyone` (staff) releases anyone's. Takes no seq; the caller
-- took the seat row locks (bo_take_locks) and numbers the events last (bo_next_seq).
--
-- p_ops: [{i, show, user, seats: [...], anyone}]. One row per (operation, previous holder), by i then
-- holder: the seats freed from that holder and their latest expiry (one seat-released event each).
-- An operation that freed nothing has no row.
CREATE OR REPLACE FUNCTION bo_free_seats(p_ops jsonb)
RETURNS TABLE (idx integer, show_date date, holder uuid, expires_at timestamptz, seats text[])
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH op AS MATERIALIZED (
    SELECT (o->>'i')::integer AS i, (o->>'show')::date AS d, (o->>'user')::uuid AS u,
           coalesce((o->>'anyone')::boolean, false) AS anyone,
           ARRAY(SELECT DISTINCT x FROM jsonb_array_elements_text(o->'seats') x ORDER BY x) AS want
      FROM jsonb_array_elements(p_ops) o
  ), taken AS MATERIALIZED (
    SELECT op.i, op.d, w.sid, inv.holder_id, inv.hold_expires_at
      FROM op CROSS JOIN LATERAL unnest(op.want) w(sid)
      JOIN LATERAL (SELECT x.state, x.holder_id, x.hold_expires_at FROM seat_inventory x
                     WHERE x.show_date = op.d AND x.seat_id = w.sid LIMIT 1) inv ON true
     WHERE inv.state = 'LOCKED' AND (op.anyone OR inv.holder_id = op.u)
  ), freed AS (
    UPDATE seat_inventory inv
       SET state = 'AVAILABLE', holder_id = NULL, hold_expires_at = NULL
      FROM taken t
     WHERE inv.show_date = t.d AND inv.seat_id = t.sid
    RETURNING t.i, t.d, t.sid, t.holder_id, t.hold_expires_at
  )
  SELECT f.i, f.d, f.holder_id, max(f.hold_expires_at), array_agg(f.sid ORDER BY f.sid)
    FROM freed f
   GROUP BY f.i, f.d, f.holder_id
   ORDER BY f.i, f.holder_id;
END;
$$;
