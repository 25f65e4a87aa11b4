-- Issue 13: the foreign keys to `shows` of the rows the booking transactions insert (orders, their standing places,
-- standing holds, tickets) are checked at COMMIT instead of at each INSERT.
--
-- Checked at the INSERT, each key KEY-SHARE-locked its show's row from there to COMMIT, while the same
-- transactions update that row last for `seq` (bo_next_seq). On a hot show every open order transaction held such
-- a lock, so the row carried a MultiXact of all of them, rebuilt by every new locker and read by every updater:
-- work that grows with the number of concurrent buyers (one show, create + cancel over HTTP: 304 → 221 pairs/s
-- from 16 to 64 connections). Checked at COMMIT, the check comes after `bo_next_seq`, when the transaction
-- already holds the row itself, so it takes no second lock; a transaction that did not number events (tickets
-- issued on payment) takes its key share at COMMIT, still last, as the global lock order puts show rows
-- (docs/ARCHITECTURE.md "The global lock order"). Nothing else changes: a row naming an unknown show still never
-- commits (23503 foreign_key_violation, at COMMIT), and every function checks the show first anyway.
ALTER TABLE orders ALTER CONSTRAINT orders_show_date_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE order_standing ALTER CONSTRAINT order_standing_show_date_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE standing_holds ALTER CONSTRAINT standing_holds_show_date_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE tickets ALTER CONSTRAINT tickets_show_date_fkey DEFERRABLE INITIALLY DEFERRED;
