-- The hot path of holds: a batch of INDEPENDENT seat lock / release operations in one statement and one
-- transaction, with a fixed number of statements whatever the batch size (no jsonb, no per-operation loop),
-- so that one operation costs the database little more than the plain single-row UPDATE of
-- docs/ARCHITECTURE.md. The caller (holdsRepository.batch → seatBatch) sends here only batches that
--   * hold or release seats only (no standing places), each operation naming at least one seat;
--   * are independent: no seat named twice, no (user, show) twice, no staff release of anyone's seats
--     (bo_hold_rounds' own condition for "one round": then the order of the operations does not matter);
-- everything else goes to bo_hold_batch. Each operation gets exactly the answer bo_hold_batch gives it (the
-- same rules, from the same homes: bo_take_locks' lock order, bo_seat_free, bo_user_holds (the cap and the
-- standing holds), bo_lock_verdict, bo_next_seq last), which test/holds-batch.test.ts checks against it.
--
-- Operations, one array element each (same length): p_lock true = lock, false = release (the caller's own
-- holds); p_show, p_user, p_now (the request's time, lazy expiry); p_requested, the seats a lock asks for (0 for
-- a release); p_max, the lock's cap on what the user holds on the show (MAX_SEATS_PER_USER, or BOX_OFFICE_MAX_SEATS).
-- Seats: p_seat_op[k] is the 1-based operation seat p_seat[k] belongs to (each seat once per operation).
-- p_async_commit: as bo_hold_batch's (the caller waits for the disk before answering).
-- Statements: the advisory keys, then ONE statement that locks and reads the seat rows (in the global lock
-- order), judges, writes and numbers the events (bo_next_seq, its last step); with several shows the seat rows
-- and then the show rows (date order) are locked by statements of their own before it (the big statement then
-- takes seat locks it already holds). Rows by idx (the operation's position), as bo_hold_batch (seats as a
-- JSON array):
--   lock:    one row: OK (seats newly locked, seq of its seat-locked event when there were some, expires_at the
--            earliest expiry of the requested seats) | SHOW_NOT_FOUND | SALES_CLOSED | SEAT_NOT_FOUND (seats:
--            the unknown ones) | SEAT_UNAVAILABLE (problems [{seatId, status}]) | LOCK_LIMIT_EXCEEDED (problems
--            {max, held, requested}); standing: the user's standing holds {adult, child}.
--   release: SHOW_NOT_FOUND, or a RELEASED row (holder = the caller, seats freed, latest expiry, seq) when it
--            freed any, then an OK row (standing: the caller's standing holds).
CREATE OR REPLACE FUNCTION bo_hold_seats(p_lock boolean[], p_show date[], p_user uuid[], p_now timestamptz[],
                                         p_requested integer[], p_max integer[], p_seat_op integer[], p_seat text[],
                                         p_ttl_ms integer, p_async_commit boolean DEFAULT false)
RETURNS TABLE (idx integer, outcome text, seq bigint, expires_at timestamptz, seats jsonb, problems jsonb, holder uuid, standing jsonb)
LANGUAGE plpgsql
-- planned once per session: left to choose, PostgreSQL plans the statements below again on every call (their
-- array parameters make a custom plan look cheaper), which costs more than running them
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
  v_ttl interval := make_interval(secs => p_ttl_ms / 1000.0);
BEGIN
  IF p_async_commit THEN
    PERFORM set_config('synchronous_commit', 'off', true);  -- as bo_hold_batch
  END IF;
  -- the lock order (bo_take_locks): 1. the (user, show) keys of the locks, in key order
  IF true = ANY (p_lock) THEN
    PERFORM pg_advisory_xact_lock(k.k)
       FROM (SELECT DISTINCT bo_user_show_key(o.u, o.d) AS k FROM unnest(p_lock, p_user, p_show) o(l, u, d) WHERE o.l ORDER BY 1) k;
  END IF;
  -- 3. the seat rows, by (show, seat): for one show, by the statement below as it reads them; for several, here,
  -- and 4. their show rows in date order (one show's row is taken by bo_next_seq below, after its seats)
  IF NOT p_show <@ p_show[1:1] THEN
    PERFORM 1
       FROM unnest(p_seat_op, p_seat) s(i, sid)
       JOIN seat_inventory inv ON inv.show_date = p_show[s.i] AND inv.seat_id = s.sid
      ORDER BY inv.show_date, inv.seat_id
        FOR UPDATE OF inv;
    PERFORM 1 FROM shows sh WHERE sh.show_date = ANY (p_show) ORDER BY sh.show_date FOR UPDATE;
  END IF;

  -- the (user, show) keys are held, so the snapshot of this statement sees every hold and order that counts
  -- against the cap; the seats it judges are read while locked (FOR UPDATE answers their latest version)
  RETURN QUERY
  WITH op AS (
    SELECT o.i::integer AS i, o.l, o.d, o.u, o.t, sh.status, sh.sales_close_at, uh.over, uh.adult, uh.child
      FROM unnest(p_lock, p_show, p_user, p_now) WITH ORDINALITY o(l, d, u, t, i)
      JOIN bo_user_holds(p_user, p_show, p_now, p_seat_op, p_seat, p_requested, p_max) uh ON uh.i = o.i
      LEFT JOIN shows sh ON sh.show_date = o.d
  ), seat_row AS MATERIALIZED (
    SELECT inv.show_date, inv.seat_id, inv.state, inv.holder_id, inv.hold_expires_at
      FROM unnest(p_seat_op, p_seat) s(i, sid)
      JOIN seat_inventory inv ON inv.show_date = p_show[s.i] AND inv.seat_id = s.sid
     ORDER BY inv.show_date, inv.seat_id
       FOR UPDATE OF inv
  ), seat AS MATERIALIZED (
    SELECT op.i, s.sid, inv.state IS NOT NULL AS found, inv.state, inv.hold_expires_at,
           coalesce(bo_seat_free(inv.state, inv.hold_expires_at, op.t), false) AS free,
           coalesce(inv.state = 'LOCKED' AND inv.holder_id = op.u, false) AS mine
      FROM unnest(p_seat_op, p_seat) s(i, sid)
      JOIN op ON op.i = s.i
      LEFT JOIN seat_row inv ON inv.show_date = op.d AND inv.seat_id = s.sid
  ), judged AS (
    SELECT op.i, op.d, op.u, op.t, op.status, op.sales_close_at, op.over, op.adult, op.child,
           array_agg(s.sid ORDER BY s.sid) FILTER (WHERE NOT s.found) AS unknown,
           jsonb_agg(jsonb_build_object('seatId', s.sid, 'status', s.state) ORDER BY s.sid)
             FILTER (WHERE s.found AND NOT s.free AND NOT s.mine) AS unavailable,
           array_agg(s.sid ORDER BY s.sid) FILTER (WHERE s.free) AS fresh,
           min(s.hold_expires_at) FILTER (WHERE NOT s.free AND s.mine) AS held_until
      FROM op JOIN seat s ON s.i = op.i
     WHERE op.l
     GROUP BY op.i, op.d, op.u, op.t, op.status, op.sales_close_at, op.over, op.adult, op.child
  ), decided AS (
    SELECT j.*,
           -- seats the user already holds do not need the cap checked again
           bo_lock_verdict(j.status, j.sales_close_at, j.t, j.unknown IS NOT NULL, j.unavailable IS NOT NULL, false,
                           j.fresh IS NOT NULL AND j.over IS NOT NULL) AS verdict
      FROM judged j
  ), locked AS (
    UPDATE seat_inventory inv
       SET state = 'LOCKED', holder_id = d.u, hold_expires_at = d.t + v_ttl, order_id = NULL
      FROM decided d CROSS JOIN LATERAL unnest(d.fresh) f(sid)
     WHERE d.verdict = 'OK' AND inv.show_date = d.d AND inv.seat_id = f.sid
  ), freed AS (
    UPDATE seat_inventory inv
       SET state = 'AVAILABLE', holder_id = NULL, hold_expires_at = NULL
      FROM seat s JOIN op ON op.i = s.i
     WHERE NOT op.l AND s.mine AND inv.show_date = op.d AND inv.seat_id = s.sid
    RETURNING s.i, s.sid, s.hold_expires_at
  ), answer AS MATERIALIZED (
    SELECT d.i, 1 AS k, d.verdict AS o, d.d, d.verdict = 'OK' AND d.fresh IS NOT NULL AS ev,
           CASE WHEN d.verdict = 'OK' THEN least(d.held_until, CASE WHEN d.fresh IS NOT NULL THEN d.t + v_ttl END) END AS x,
           to_jsonb(CASE d.verdict WHEN 'OK' THEN coalesce(d.fresh, '{}') WHEN 'SEAT_NOT_FOUND' THEN d.unknown END) AS s,
           CASE d.verdict WHEN 'SEAT_UNAVAILABLE' THEN d.unavailable WHEN 'LOCK_LIMIT_EXCEEDED' THEN d.over END AS p,
           NULL::uuid AS h,
           jsonb_build_object('adult', d.adult, 'child', d.child) AS g
      FROM decided d
    UNION ALL
    SELECT f.i, 0, 'RELEASED', op.d, true, max(f.hold_expires_at), to_jsonb(array_agg(f.sid ORDER BY f.sid)), NULL, op.u, NULL
      FROM freed f JOIN op ON op.i = f.i
     GROUP BY f.i, op.d, op.u
    UNION ALL
    SELECT op.i, 1, CASE WHEN op.status IS NULL THEN 'SHOW_NOT_FOUND' ELSE 'OK' END, op.d, false, NULL, NULL, NULL, NULL,
           CASE WHEN op.status IS NOT NULL THEN jsonb_build_object('adult', op.adult, 'child', op.child) END
      FROM op WHERE NOT op.l
  ), numbered AS (
    -- last: the events' numbers, one bo_next_seq call per show, in date order
    SELECT e.d, bo_next_seq(e.d, e.n) AS first
      FROM (SELECT a.d, count(*)::integer AS n FROM answer a WHERE a.ev GROUP BY a.d ORDER BY a.d) e
  )
  SELECT a.i, a.o,
         CASE WHEN a.ev THEN n.first - 1 + row_number() OVER (PARTITION BY a.d, a.ev ORDER BY a.i, a.k) END,
         a.x, a.s, a.p, a.h, a.g
    FROM answer a LEFT JOIN numbered n ON n.d = a.d
   ORDER BY a.i, a.k;
END;
$$;
