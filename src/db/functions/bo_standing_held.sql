-- The standing places p_user holds, unexpired, on the show, by type: {"adult": n, "child": n}.
CREATE OR REPLACE FUNCTION bo_standing_held(p_user uuid, p_show date, p_now timestamptz)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
           'adult', coalesce(sum(h.quantity) FILTER (WHERE h.admission = 'adult'), 0),
           'child', coalesce(sum(h.quantity) FILTER (WHERE h.admission = 'child'), 0))
    FROM standing_holds h
   WHERE h.show_date = p_show AND h.holder_id = p_user AND h.hold_expires_at > p_now
$$;
