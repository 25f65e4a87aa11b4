import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Db, Queryable } from './driver.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** the schema's migrations, NNN_name.sql, applied once each in order */
export const MIGRATIONS_DIR = path.join(HERE, 'migrations');
/** the SQL functions, re-created at every migrate */
export const FUNCTIONS_DIR = path.join(HERE, 'functions');
/** Any constant: instances starting together take turns migrating. */
const MIGRATION_LOCK_KEY = 727_001;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
  /** function files (re-)created this time: new or changed since the last start */
  functions: string[];
}

/**
 * Brings the database up to date, in one transaction:
 * 1. the versioned files in migrations/ (tables, indexes, data) that have not run yet, in name order, once each;
 * 2. the SQL functions in functions/ (one file per function, named after it), re-created in name order
 *    whenever a file is new or its text changed (see {@link applyFunctions}).
 * Several instances starting together take turns (advisory lock); the later ones find nothing to do.
 */
export async function migrate(db: Db): Promise<MigrationResult> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d+\w*_.+\.sql$/.test(f)).sort();
  return db.tx(async (q) => {
    // first the lock, then everything else: a second instance waits here until the first has committed
    // without the pool's statement and lock time limits: a migration may take long, and so may the wait for another's
    await q.exec(`SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0; SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await q.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set((await q.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const applied: string[] = [];
    for (const file of files) {
      const version = file.replace(/\.sql$/, '');
      if (done.has(version)) continue;
      const sql = await readFile(path.join(MIGRATIONS_DIR, file), 'utf8');
      await q.exec(sql);
      await q.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      applied.push(version);
    }
    const functions = await applyFunctions(q);
    return { applied, alreadyApplied: done.size, functions };
  });
}

/**
 * Re-creates the SQL functions of functions/*.sql: a rule of the booking core (lazy expiry, the per-user
 * cap, the lock-order key, seq numbering) has exactly one home there, and changing it is an edit of that
 * file, not a new migration. Files are applied in name order; PL/pgSQL bodies are resolved when called,
 * so only a `LANGUAGE sql` function must sort after the functions it calls.
 *
 * A file runs again only when its text changed (sha256 in schema_functions), so starting an instance does
 * not invalidate the cached plans of the others. Before a changed file runs, the functions it created last
 * time are dropped (so a changed signature or return type leaves no stale overload behind), except those
 * something depends on (a trigger, a column default): they are replaced in place. Functions of a file that
 * was deleted are dropped.
 */
async function applyFunctions(q: Queryable): Promise<string[]> {
  await q.exec(`CREATE TABLE IF NOT EXISTS schema_functions (
    file       text PRIMARY KEY,
    sha256     text NOT NULL,
    signatures text[] NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const files = (await readdir(FUNCTIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  const known = new Map(
    (await q.query<{ file: string; sha256: string; signatures: string[] }>('SELECT file, sha256, signatures FROM schema_functions')).rows.map((r) => [r.file, r]),
  );
  const changed: string[] = [];
  for (const file of files) {
    const sql = await readFile(path.join(FUNCTIONS_DIR, file), 'utf8');
    const sha256 = createHash('sha256').update(sql).digest('hex');
    const before = known.get(file);
    known.delete(file);
    if (before?.sha256 === sha256) continue;
    if (before) await dropUnused(q, before.signatures);
    await q.exec(sql);
    const names = [...sql.matchAll(/CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+([a-z_][a-z0-9_]*)\s*\(/gi)].map((m) => m[1].toLowerCase());
    const { rows } = await q.query<{ sig: string }>(
      `SELECT p.oid::regprocedure::text AS sig FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace AND p.proname = ANY ($1::text[]) ORDER BY 1`,
      [names],
    );
    await q.query(
      `INSERT INTO schema_functions (file, sha256, signatures) VALUES ($1, $2, $3)
       ON CONFLICT (file) DO UPDATE SET sha256 = excluded.sha256, signatures = excluded.signatures, applied_at = now()`,
      [file, sha256, rows.map((r) => r.sig)],
    );
    changed.push(file);
  }
  for (const gone of known.values()) {
    await dropUnused(q, gone.signatures);
    await q.query('DELETE FROM schema_functions WHERE file = $1', [gone.file]);
  }
  return changed;
}

/** Drops the functions named by their signatures that still exist and that nothing depends on. */
async function dropUnused(q: Queryable, signatures: string[]): Promise<void> {
  const { rows } = await q.query<{ sig: string }>(
    `SELECT p.oid::regprocedure::text AS sig
       FROM unnest($1::text[]) s(sig) JOIN pg_proc p ON p.oid = to_regprocedure(s.sig)
      WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.refclassid = 'pg_proc'::regclass AND d.refobjid = p.oid AND d.deptype = 'n')`,
    [signatures],
  );
  for (const r of rows) await q.exec(`DROP FUNCTION IF EXISTS ${r.sig}`);
}
