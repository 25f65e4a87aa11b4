-- The advisory lock key of one user on one show, its one home. Every transaction that may change how
-- many seats a user holds or has ordered for a show (lock, order) takes this key first (bo_take_locks),
-- so one user's concurrent requests for one show queue and the per-user cap cannot be raced.
CREATE OR REPLACE FUNCTION bo_user_show_key(p_user uuid, p_show date)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  -- the show as days since 2000-01-01, not p_show::text: a date's text depends on the session's DateStyle, so
  -- that cast is only STABLE, which kept this IMMUTABLE function from being inlined (it was parsed and planned
  -- again in every statement calling it) and let two sessions with different DateStyles take different keys
  SELECT hashtextextended(p_user::text || (p_show - DATE '2000-01-01')::text, 0)
$$;
