-- The SQL functions move to src/db/functions/ (re-created by the migrator, see src/db/migrate.ts). Drop the
-- versions that 002 and 003 created, so the new files define them afresh (their signatures change).
DROP FUNCTION IF EXISTS bo_hold_batch(jsonb, integer, integer);
DROP FUNCTION IF EXISTS bo_lock_seats(date, text[], uuid, timestamptz, integer, integer);
DROP FUNCTION IF EXISTS bo_release_seats(date, text[], uuid, boolean);
DROP FUNCTION IF EXISTS bo_expire_locks(timestamptz, integer);
