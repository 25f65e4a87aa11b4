-- Lazy expiry of standing holds, its one home (the standing twin of bo_seat_free): an expired standing hold is
-- gone for everyone. Deletes the show's holds that expired by p_now and gives their places back to the counter.
-- Every transaction that reads or changes a show's standing counter calls it first, holding the show_standing
-- row lock (bo_take_locks), so the sweeper's timing never decides who gets a place. Returns the places freed.
CREATE OR REPLACE FUNCTION bo_standing_expire(p_show date, p_now timestamptz)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_freed integer;
BEGIN
  WITH gone AS (
    DELETE FROM standing_holds h WHERE h.show_date = p_show AND h.hold_expires_at <= p_now RETURNING h.quantity
  )
  SELECT coalesce(sum(quantity), 0)::integer INTO v_freed FROM gone;
  IF v_freed > 0 THEN
    UPDATE show_standing SET taken = taken - v_freed WHERE show_date = p_show;
  END IF;
  RETURN v_freed;
END;
$$;
