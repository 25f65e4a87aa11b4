-- Lock and release operations, any number, in ONE statement and one transaction (the HTTP path's
-- coalesced requests, and a single request as a batch of one). Every operation keeps its own
-- all-or-nothing answer, exactly as if the operations ran one by one in the given order:
--   1. all locks first, in the global order (bo_take_locks), so batches, orders and the sweeper never
--      wait on each other in a cycle;
--   2. rounds of independent operations (bo_hold_rounds), each round set-based (bo_take_seats,
--      bo_free_seats): the usual batch of different buyers is one round of a few statements;
--   3. events numbered LAST, one bo_next_seq call per show for all its events, in operation order:
--      the show row is locked only from there to COMMIT, so one hot show's batches do not queue on it
--      for their whole length (see bo_next_seq for why seq stays gap-free and ordered).
--
-- p_ops: [{"op":"lock","show":"YYYY-MM-DD","user":uuid,"seats":[...],"adult":n,"child":n,"now":timestamptz},
--         {"op":"release","show":"YYYY-MM-DD","user":uuid,"seats":[...],"adult":n,"child":n,"anyone":bool,"now":timestamptz}, ...]
-- Standing places are released from the caller's own holds only (anyone or not).
-- p_async_commit: the transaction commits asynchronously (synchronous_commit off, for this transaction only), so
-- the show row taken by bo_next_seq is held until COMMIT but not for the WAL flush; the caller MUST wait for
-- the disk (the driver's durable()) before answering or publishing (docs/ARCHITECTURE.md "Holds commit
-- asynchronously"). Only for a batch that is its own transaction: inside a caller's transaction it would make
-- the whole of that transaction asynchronous.
-- Rows by idx (the 1-based position of the operation):
--   lock:    one row, outcome and columns as bo_take_seats, seq set when seats were newly locked, `standing` the
--            user's standing holds {adult, child} after it; then, when it took standing places, one row with
--            outcome STANDING (`standing` {available}, seq: one standing-changed event).
--   release: SHOW_NOT_FOUND (nothing done), or one RELEASED row per previous holder (holder, their seats,
--            latest expiry, seq) followed by one row with outcome OK (`standing`: the caller's standing holds
--            after it, with `released` {adult, child}) and, when places were given back, one STANDING row.
CREATE OR REPLACE FUNCTION bo_hold_batch(p_ops jsonb, p_ttl_ms integer, p_max integer, p_async_commit boolean DEFAULT false)
RETURNS TABLE (idx integer, outcome text, seq bigint, expires_at timestamptz, seats text[], problems jsonb, holder uuid, standing jsonb)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_all jsonb;
  v_ops jsonb;
  v_out jsonb;
  v_round integer;
  v_rounds integer;
  v_show text;
  v_events integer;
  v_first jsonb := '{}';
  v_rel jsonb;
  v_adult integer;
  v_child integer;
  v_held jsonb := '{}';
  v_locks jsonb;
  v_releases jsonb;  -- release operation index -> the caller's standing holds after it
BEGIN
  IF p_async_commit THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  SELECT jsonb_agg(t.o || jsonb_build_object('i', t.ord, 'missing',
           t.o->>'op' = 'release' AND NOT EXISTS (SELECT 1 FROM shows sh WHERE sh.show_date = (t.o->>'show')::date)) ORDER BY t.ord)
    INTO v_all
    FROM jsonb_array_elements(p_ops) WITH ORDINALITY t(o, ord);
  -- a release on a show that does not exist does nothing (a lock reports it from bo_take_seats)
  v_out := coalesce((SELECT jsonb_agg(jsonb_build_object('i', o->'i', 'o', 'SHOW_NOT_FOUND', 'k', 1))
                       FROM jsonb_array_elements(v_all) o WHERE (o->>'missing')::boolean), '[]');
  v_ops := bo_hold_rounds(coalesce((SELECT jsonb_agg(o ORDER BY (o->>'i')::integer) FROM jsonb_array_elements(v_all) o
                                     WHERE NOT (o->>'missing')::boolean), '[]'));
  PERFORM bo_take_locks(v_ops);
  SELECT max((o->>'round')::integer) INTO v_rounds FROM jsonb_array_elements(v_ops) o;

  FOR v_round IN 1 .. coalesce(v_rounds, 0) LOOP
    -- a round of locks only (or releases only) does not call the other function at all
    v_locks := (SELECT jsonb_agg(o) FROM jsonb_array_elements(v_ops) o WHERE o->>'op' = 'lock' AND (o->>'round')::integer = v_round);
    v_releases := (SELECT jsonb_agg(o) FROM jsonb_array_elements(v_ops) o WHERE o->>'op' = 'release' AND (o->>'round')::integer = v_round);
    IF v_locks IS NOT NULL THEN
      v_out := v_out || coalesce((
        SELECT jsonb_agg(jsonb_build_object('i', t.idx, 'o', t.outcome, 'd', t.show_date, 'ev', t.event, 'x', t.expires_at,
                                            's', t.seats, 'p', t.problems, 'k', 1, 'g', t.standing - 'available'))
               || coalesce(jsonb_agg(jsonb_build_object('i', t.idx, 'o', 'STANDING', 'd', t.show_date, 'ev', true, 'k', 2,
                                                        'g', jsonb_build_object('available', t.standing->'available')))
                             FILTER (WHERE t.standing ? 'available'), '[]')
          FROM bo_take_seats(v_locks, p_ttl_ms, p_max) t), '[]');
    END IF;
    IF v_releases IS NOT NULL THEN
      v_out := v_out || coalesce((
        SELECT jsonb_agg(jsonb_build_object('i', t.idx, 'o', 'RELEASED', 'd', t.show_date, 'ev', true, 'x', t.expires_at,
                                            's', t.seats, 'h', t.holder, 'k', 0))
          FROM bo_free_seats(v_releases) t), '[]');
    END IF;
    -- standing places given back from the caller's own holds (one such operation per show in a round)
    FOR v_rel IN SELECT o FROM jsonb_array_elements(coalesce(v_releases, '[]')) o
                  WHERE coalesce((o->>'adult')::integer, 0) + coalesce((o->>'child')::integer, 0) > 0 LOOP
      PERFORM bo_standing_expire((v_rel->>'show')::date, (v_rel->>'now')::timestamptz);
      v_adult := bo_standing_unhold((v_rel->>'show')::date, (v_rel->>'user')::uuid, 'adult', coalesce((v_rel->>'adult')::integer, 0), (v_rel->>'now')::timestamptz);
      v_child := bo_standing_unhold((v_rel->>'show')::date, (v_rel->>'user')::uuid, 'child', coalesce((v_rel->>'child')::integer, 0), (v_rel->>'now')::timestamptz);
      v_held := v_held || jsonb_build_object(v_rel->>'i',
        bo_standing_held((v_rel->>'user')::uuid, (v_rel->>'show')::date, (v_rel->>'now')::timestamptz)
        || jsonb_build_object('released', jsonb_build_object('adult', v_adult, 'child', v_child)));
      IF v_adult + v_child > 0 THEN
        v_out := v_out || jsonb_build_array(jsonb_build_object('i', v_rel->'i', 'o', 'STANDING', 'd', v_rel->>'show', 'ev', true, 'k', 2,
          'g', jsonb_build_object('available', bo_standing_available((v_rel->>'show')::date, (v_rel->>'now')::timestamptz))));
      END IF;
    END LOOP;
  END LOOP;
  v_out := v_out || coalesce((SELECT jsonb_agg(jsonb_build_object('i', o->'i', 'o', 'OK', 'k', 1,
                                                  'g', coalesce(v_held->(o->>'i'),
                                                                bo_standing_held((o->>'user')::uuid, (o->>'show')::date, (o->>'now')::timestamptz))))
                                FROM jsonb_array_elements(v_ops) o WHERE o->>'op' = 'release'), '[]');

  -- last: the events' numbers, one call per show, shows in date order (the lock order's last step)
  FOR v_show, v_events IN
    SELECT e->>'d', count(*)::integer FROM jsonb_array_elements(v_out) e WHERE (e->>'ev')::boolean GROUP BY 1 ORDER BY 1
  LOOP
    v_first := v_first || jsonb_build_object(v_show, bo_next_seq(v_show::date, v_events));
  END LOOP;

  RETURN QUERY
    SELECT (e->>'i')::integer,
           e->>'o',
           CASE WHEN (e->>'ev')::boolean
             THEN (v_first->>(e->>'d'))::bigint - 1
                  + row_number() OVER (PARTITION BY e->>'d', (e->>'ev')::boolean ORDER BY (e->>'i')::integer, (e->>'k')::integer, e->>'h')
           END,
           (e->>'x')::timestamptz,
           CASE WHEN jsonb_typeof(e->'s') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(e->'s')) END,
           CASE WHEN jsonb_typeof(e->'p') IN ('array', 'object') THEN e->'p' END,
           (e->>'h')::uuid,
           CASE WHEN jsonb_typeof(e->'g') = 'object' THEN e->'g' END
      FROM jsonb_array_elements(v_out) e
     ORDER BY (e->>'i')::integer, (e->>'k')::integer, e->>'h';
END;
$$;
