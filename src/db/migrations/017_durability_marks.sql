-- Issue 13: hold batches commit asynchronously (bo_hold_batch p_async_commit) and their answers wait for
-- Db.durable(), which commits one small synchronous write so that PostgreSQL flushes the WAL up to it, and with
-- it every commit record written before (a transaction that writes no WAL does not wait for the disk, so it
-- has to write something). Each process picks one of these rows at random, so instances rarely share one, and
-- within a process flushes run one at a time: no hot row. See docs/ARCHITECTURE.md "Holds commit
-- asynchronously, answers wait for the disk".
CREATE TABLE durability_marks (
  slot smallint PRIMARY KEY,
  flushes bigint NOT NULL DEFAULT 0
);
INSERT INTO durability_marks (slot) SELECT generate_series(0, 63);
