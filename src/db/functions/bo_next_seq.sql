-- Seat event numbering (`seq`), its one home: takes p_events consecutive numbers of the show's seq and
-- returns the first. Every seat event carries one; clients apply events in seq order after a snapshot.
--
-- Why gap-free and ordered (see docs/ARCHITECTURE.md "seq without a hot row"):
-- * the numbers are taken in the same transaction as the seat changes they describe: a rollback takes
--   back both, so every number belongs to a committed change (gap-free), and a transaction takes exactly
--   as many numbers as events it publishes;
-- * the show row stays locked from here to COMMIT, so the transactions of one show commit in the order of
--   their numbers; two transactions touching the same seat are ordered by that seat's row lock first
--   (the second cannot reach this call before the first committed), so seq order is the order in which
--   changes to each seat happened, and a snapshot that reads seq and the seats in one statement sees
--   exactly the changes numbered up to that seq.
--
-- MUST be the last thing a transaction does (after every seat row it changes is locked and written):
-- then a show's transactions queue on its row only for the moment from this call to COMMIT, not for
-- their whole length, and a batch takes all its numbers with one call per show. It is also last in the
-- global lock order (bo_take_locks), so it cannot close a wait cycle.
CREATE OR REPLACE FUNCTION bo_next_seq(p_show date, p_events integer)
RETURNS bigint
-- PL/pgSQL, not SQL: its UPDATE is planned once per session, not parsed and planned again on every call
LANGUAGE plpgsql AS $$
DECLARE
  v_first bigint;
BEGIN
  UPDATE shows SET seq = seq + p_events WHERE show_date = p_show RETURNING seq - p_events + 1 INTO v_first;
  RETURN v_first;
END;
$$;
