-- The standing places p_user holds, unexpired, on the show, by type: {"adult": n, "child": n} (bo_user_holds).
CREATE OR REPLACE FUNCTION bo_standing_held(p_user uuid, p_show date, p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT jsonb_build_object('adult', h.adult, 'child', h.child)
            FROM bo_user_holds(ARRAY[p_user], ARRAY[p_show], ARRAY[p_now], '{}', '{}', ARRAY[0], ARRAY[0]) h);
END;
$$;
