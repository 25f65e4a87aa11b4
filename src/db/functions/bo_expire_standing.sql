-- The sweeper's part for standing holds: purges the expired holds of every show that has some (bo_standing_expire)
-- and numbers one standing-changed event per show whose availability it changed. The standing rows are taken
-- with SKIP LOCKED in date order (a show a request is working on is left to the next sweep, or to that request's
-- own lazy expiry), seq last (bo_next_seq). Rows: the show, its places available now and the event's seq.
CREATE OR REPLACE FUNCTION bo_expire_standing(p_now timestamptz)
RETURNS TABLE (show_date date, available integer, seq bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_show date;
  v_freed integer;
  v_done jsonb := '[]';
  v_row jsonb;
BEGIN
  FOR v_show IN
    SELECT ss.show_date FROM show_standing ss
     WHERE EXISTS (SELECT 1 FROM standing_holds h WHERE h.show_date = ss.show_date AND h.hold_expires_at <= p_now)
     ORDER BY ss.show_date
       FOR UPDATE SKIP LOCKED
  LOOP
    v_freed := bo_standing_expire(v_show, p_now);
    IF v_freed > 0 THEN
      v_done := v_done || jsonb_build_array(jsonb_build_object('d', v_show, 'a', bo_standing_available(v_show, p_now)));
    END IF;
  END LOOP;
  FOR v_row IN SELECT e FROM jsonb_array_elements(v_done) e LOOP
    show_date := (v_row->>'d')::date;
    available := (v_row->>'a')::integer;
    seq := bo_next_seq(show_date, 1);
    RETURN NEXT;
  END LOOP;
END;
$$;
