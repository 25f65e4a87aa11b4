-- The guarded standing counter, its one home: takes p_places of the show's standing capacity if they fit and
-- answers true, else changes nothing and answers false. The UPDATE's guard is evaluated on the latest committed
-- row under its row lock (concurrent takers queue on it), and show_standing's CHECK (taken <= capacity) backs
-- it: the database decides, so standing places are never oversold under any concurrency. The caller purged
-- expired holds first (bo_standing_expire). A show without a standing area has no row: false.
CREATE OR REPLACE FUNCTION bo_standing_take(p_show date, p_places integer)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF p_places <= 0 THEN RETURN true; END IF;
  UPDATE show_standing SET taken = taken + p_places WHERE show_date = p_show AND taken + p_places <= capacity;
  RETURN FOUND;
END;
$$;
