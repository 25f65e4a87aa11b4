-- Gives back up to p_quantity of the places of one type (adult | child) that p_user holds, unexpired, on the show
-- (newest hold first), to the counter. Releases and orders (which turn held places into booked ones) use it.
-- The caller holds the show_standing row lock. Returns how many places were given back.
CREATE OR REPLACE FUNCTION bo_standing_unhold(p_show date, p_user uuid, p_admission text, p_quantity integer, p_now timestamptz)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_left integer := p_quantity;
  v_hold record;
BEGIN
  IF p_quantity <= 0 THEN RETURN 0; END IF;
  FOR v_hold IN
    SELECT h.id, h.quantity FROM standing_holds h
     WHERE h.show_date = p_show AND h.holder_id = p_user AND h.admission = p_admission AND h.hold_expires_at > p_now
     ORDER BY h.hold_expires_at DESC, h.id
  LOOP
    EXIT WHEN v_left = 0;
    IF v_hold.quantity <= v_left THEN
      DELETE FROM standing_holds WHERE id = v_hold.id;
      v_left := v_left - v_hold.quantity;
    ELSE
      UPDATE standing_holds SET quantity = quantity - v_left WHERE id = v_hold.id;
      v_left := 0;
    END IF;
  END LOOP;
  IF v_left < p_quantity THEN
    UPDATE show_standing SET taken = taken - (p_quantity - v_left) WHERE show_date = p_show;
  END IF;
  RETURN p_quantity - v_left;
END;
$$;
