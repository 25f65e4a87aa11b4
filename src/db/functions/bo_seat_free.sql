-- Lazy expiry, its one home: a seat is free for anyone when it is AVAILABLE, or LOCKED with a hold that
-- has expired. An expired hold counts as AVAILABLE everywhere (locks, orders, counts, the seat map) before
-- the sweeper (bo_expire_locks) flips it back, so the sweeper's timing never decides who gets a seat.
-- NULL for a NULL state (no such seat). Simple enough for the planner to inline into queries.
CREATE OR REPLACE FUNCTION bo_seat_free(p_state text, p_expires timestamptz, p_now timestamptz)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT p_state = 'AVAILABLE' OR (p_state = 'LOCKED' AND p_expires <= p_now)
$$;
