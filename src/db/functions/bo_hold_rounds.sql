-- Splits a batch of hold operations into rounds of INDEPENDENT operations, keeping their order where it
-- matters: an operation goes one round after the last earlier operation it conflicts with, i.e. one that
-- names one of its seats, or is by the same user on the same show (the per-user cap reads all of a user's
-- holds on the show), or asks standing places of the same show (they share one counter). A staff release (anyone) may free any holder's seats, so it goes after everything
-- before it on its show and everything after it on that show waits for it. Running the rounds in order,
-- each set-based (bo_take_seats / bo_free_seats), gives the same result as running the operations one by
-- one in the given order: only operations that commute share a round.
--
-- p_ops: [{i, op, show, user, seats, adult, child, anyone}] in arrival order; returns them with "round" (1, 2, ...).
-- The usual batch (different buyers, different seats) is one round, found without the loop.
CREATE OR REPLACE FUNCTION bo_hold_rounds(p_ops jsonb)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  v_last jsonb := '{}';  -- conflict key -> round of the last operation that used it
  v_out jsonb := '[]';
  v_op jsonb;
  v_show text;
  v_keys text[];
  v_key text;
  v_round integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p_ops) o WHERE coalesce((o.value->>'anyone')::boolean, false))
     AND (SELECT count(*) = count(DISTINCT k.key)
            FROM (SELECT 's|' || (o.value->>'show') || '|' || x.seat AS key
                    FROM jsonb_array_elements(p_ops) o,
                         LATERAL (SELECT DISTINCT s.value FROM jsonb_array_elements_text(o.value->'seats') s) x(seat)
                  UNION ALL
                  SELECT 'u|' || (o.value->>'show') || '|' || (o.value->>'user') FROM jsonb_array_elements(p_ops) o
                  UNION ALL
                  SELECT 'g|' || (o.value->>'show') FROM jsonb_array_elements(p_ops) o
                   WHERE coalesce((o.value->>'adult')::integer, 0) + coalesce((o.value->>'child')::integer, 0) > 0) k)
  THEN
    RETURN (SELECT coalesce(jsonb_agg(t.o || '{"round": 1}'::jsonb ORDER BY t.ord), '[]') FROM jsonb_array_elements(p_ops) WITH ORDINALITY t(o, ord));
  END IF;

  FOR v_op IN SELECT t.o FROM jsonb_array_elements(p_ops) WITH ORDINALITY t(o, ord) ORDER BY t.ord LOOP
    v_show := v_op->>'show';
    v_keys := ARRAY(SELECT DISTINCT 's|' || v_show || '|' || s.value FROM jsonb_array_elements_text(v_op->'seats') s);
    IF coalesce((v_op->>'adult')::integer, 0) + coalesce((v_op->>'child')::integer, 0) > 0 THEN
      v_keys := v_keys || ('g|' || v_show);
    END IF;
    IF coalesce((v_op->>'anyone')::boolean, false) THEN
      v_round := coalesce((v_last->>('max|' || v_show))::integer, 0) + 1;
      v_last := v_last || jsonb_build_object('fence|' || v_show, v_round);
    ELSE
      v_keys := v_keys || ('u|' || v_show || '|' || (v_op->>'user'));
      v_round := coalesce((v_last->>('fence|' || v_show))::integer, 0);
      FOREACH v_key IN ARRAY v_keys LOOP
        v_round := greatest(v_round, coalesce((v_last->>v_key)::integer, 0));
      END LOOP;
      v_round := v_round + 1;
    END IF;
    FOREACH v_key IN ARRAY v_keys LOOP
      v_last := v_last || jsonb_build_object(v_key, v_round);
    END LOOP;
    v_last := v_last || jsonb_build_object('max|' || v_show, greatest(v_round, coalesce((v_last->>('max|' || v_show))::integer, 0)));
    v_out := v_out || jsonb_build_array(v_op || jsonb_build_object('round', v_round));
  END LOOP;
  RETURN v_out;
END;
$$;
