-- The global lock order, its one home. Every booking transaction takes its locks in this order, so no two
-- of them (holds, batches, orders, the sweeper) can wait on each other in a cycle:
--   1. advisory keys of (user, show) (bo_user_show_key), in key order;
--   2. order rows (cancel, pay, expiry take the order first);
--   3. seat rows, by (show_date, seat_id);
--   3b. standing counter rows (show_standing), by show_date;
--   4. show rows, by show_date, last of all, through bo_next_seq.
-- This function takes 1, 3 and 3b for a list of operations p_ops = [{op, show, user, seats, adult, child}]: keys
-- for the operations that can add to a user's seats ('lock', 'order'), rows for every seat named, and the standing
-- row of every show an operation asks standing places of.
CREATE OR REPLACE FUNCTION bo_take_locks(p_ops jsonb)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_key bigint;
  v_show date;
  v_seats text[];
BEGIN
  FOR v_key IN
    SELECT DISTINCT bo_user_show_key((o.value->>'user')::uuid, (o.value->>'show')::date) AS k
      FROM jsonb_array_elements(p_ops) o
     WHERE o.value->>'op' IN ('lock', 'order')
     ORDER BY k
  LOOP
    PERFORM pg_advisory_xact_lock(v_key);
  END LOOP;
  -- one index lookup per show (the planner misjudges a join against JSON), shows in date order
  FOR v_show, v_seats IN
    SELECT (o.value->>'show')::date AS d, array_agg(DISTINCT s.value ORDER BY s.value)
      FROM jsonb_array_elements(p_ops) o, jsonb_array_elements_text(o.value->'seats') s
     GROUP BY 1
     ORDER BY 1
  LOOP
    PERFORM 1 FROM seat_inventory inv
     WHERE inv.show_date = v_show AND inv.seat_id = ANY (v_seats)
     ORDER BY inv.seat_id
       FOR UPDATE;
  END LOOP;
  PERFORM 1 FROM show_standing ss
   WHERE ss.show_date IN (SELECT (o.value->>'show')::date FROM jsonb_array_elements(p_ops) o
                           WHERE coalesce((o.value->>'adult')::integer, 0) + coalesce((o.value->>'child')::integer, 0) > 0)
   ORDER BY ss.show_date
     FOR UPDATE;
END;
$$;
