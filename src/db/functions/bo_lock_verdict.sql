-- A lock's answer, its one home (bo_take_seats, bo_hold_seats): the first reason that refuses it, in this order,
-- else OK. Sales close by themselves at sales_close_at (API.md v2 "Shows"): no job has to flip the status.
-- p_status / p_sales_close_at: the show's (NULL status: no such show); p_now: the request's time; then whether
-- a named seat is unknown, one is taken by someone else, the standing places asked for are not there, and the
-- per-user cap would be exceeded (pass an expression: inlined, it is only evaluated when the checks before it
-- pass). Plain SQL, inlined into the caller's statement.
CREATE OR REPLACE FUNCTION bo_lock_verdict(p_status text, p_sales_close_at timestamptz, p_now timestamptz, p_unknown boolean,
                                           p_unavailable boolean, p_standing_short boolean, p_over_cap boolean)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
           WHEN p_status IS NULL THEN 'SHOW_NOT_FOUND'
           WHEN p_status <> 'ON_SALE' OR p_now >= p_sales_close_at THEN 'SALES_CLOSED'
           WHEN p_unknown THEN 'SEAT_NOT_FOUND'
           WHEN p_unavailable THEN 'SEAT_UNAVAILABLE'
           WHEN p_standing_short THEN 'STANDING_UNAVAILABLE'
           WHEN p_over_cap THEN 'LOCK_LIMIT_EXCEEDED'
           ELSE 'OK'
         END
$$;
