import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import { PGlite } from '@electric-sql/pglite';
import { createPgliteDb, pgliteDb, PGLITE_PARSERS } from '../../src/db/driver.ts';
import { FUNCTIONS_DIR, MIGRATIONS_DIR, migrate } from '../../src/db/migrate.ts';
import { loadConfig, type Clock, type Config } from '../../src/config.ts';
import type { Role } from '../../src/contract/common.ts';

export type DbTarget = 'pglite' | 'pg';

/**
 * The databases every database test runs on: embedded PGlite always, and real PostgreSQL when
 * TEST_DATABASE_URL is set (CI sets it; there a missing server fails the run, it is never skipped).
 */
export function dbTargets(): DbTarget[] {
  if (process.env.TEST_DATABASE_URL) return ['pglite', 'pg'];
  if (process.env.CI) throw new Error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests cannot run');
  return ['pglite'];
}

/**
 * Demo nights in tests sell until a day after their start (SALES_CLOSE_AFTER_START_MIN, its largest value), not the
 * product's hour: tonight's show is then on sale at any time of day a test runs. With the hour, every test that
 * books tonight failed between 22:00 and midnight in Bangkok (15:00-17:00 UTC), where tonight's show is still listed
 * but sells nothing. Tests of the default close pass their own value.
 */
export const TEST_SALES_CLOSE_AFTER_START_MIN = 1440;

/** A clock tests move by hand, so expiry is tested without waiting. */
export class FakeClock implements Clock {
  private t: number;
  constructor(start = Date.now()) {
    this.t = start;
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Creates an empty database on the server of `baseUrl` (default TEST_DATABASE_URL); drop() removes it, once. */
export async function freshPgDatabase(baseUrl = process.env.TEST_DATABASE_URL, prefix = 'bo_test'): Promise<{ url: string; drop(): Promise<void> }> {
  if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  token: string;
  auth: { authorization: string };
}

export interface TestServer extends BuiltApp {
  url: string;
  target: DbTarget;
  clock: FakeClock;
  config: Config;
  /** Inserts users directly (no password hashing) and signs their tokens. */
  users(n: number, role?: Role): Promise<TestUser[]>;
  user(role?: Role): Promise<TestUser>;
  /** A token for a fresh user of the role (for the SDK / web tests). */
  token(role?: Role, email?: string): Promise<string>;
  /** The first show the seed opened. */
  showDate: string;
  close(): Promise<void>;
}

export interface TestServerOptions {
  target?: DbTarget;
  config?: Partial<Config>;
  env?: NodeJS.ProcessEnv;
  /** listen on a port (default true); false for app.inject-only tests */
  listen?: boolean;
  /** on PostgreSQL: the URL the app connects with, from the fresh database's (e.g. through a TcpProxy) */
  connectVia?: (databaseUrl: string) => string;
  /** on PostgreSQL: the server to make the fresh database on (default TEST_DATABASE_URL) */
  pgServerUrl?: string;
}

let migratedPglite: Promise<Blob> | undefined;

/**
 * A PGlite database (default in memory, else in the empty directory `dataDir`) with every migration applied, restored from a tarball (PGlite's `dumpDataDir`):
 * initdb in WebAssembly costs ~2.5 s of CPU per suite, the restore ~0.6 s. The tarball is made once per set of
 * migrations, SQL functions and PGlite version and kept in the temporary directory for the next test processes. The app
 * still runs `migrate` on it (nothing left to apply, the functions re-created) and seeds it as usual.
 */
export async function migratedPgliteDb(dataDir = 'memory://') {
  return createPgliteDb(dataDir, { from: await migratedPgliteTarball() });
}

/**
 * Fills the empty directory `dataDir` with a migrated PGlite data directory and closes it, for a server (a child
 * process, or an app built on `dataDir`) that opens it itself: it skips initdb and has no migration left to apply.
 */
export async function writeMigratedPgliteDir(dataDir: string): Promise<void> {
  await (await migratedPgliteDb(dataDir)).close();
}

/** The tarball migratedPgliteDb starts from (see there). */
function migratedPgliteTarball(): Promise<Blob> {
  return (migratedPglite ??= (async () => {
    const hash = createHash('sha256').update(readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url)));
    for (const dir of [MIGRATIONS_DIR, FUNCTIONS_DIR]) {
      for (const name of readdirSync(dir).sort()) hash.update(name).update(readFileSync(path.join(dir, name)));
    }
    const file = path.join(tmpdir(), `boxoffice-test-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const raw = await PGlite.create({ parsers: PGLITE_PARSERS });
    const db = pgliteDb(raw);
    try {
      await migrate(db);
      // uncompressed: gzip would cost more to undo per suite than the tarball's ~40 MB of disk and memory
      const blob = await raw.dumpDataDir('none');
      const partial = `${file}.${process.pid}`;
      writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
      renameSync(partial, file);
      return blob;
    } finally {
      await db.close();
    }
  })());
}

/** A whole boxoffice on a fresh database, listening on a random port. Close it in t.after / after(). */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const target = opts.target ?? 'pglite';
  const pgDb = target === 'pg' ? await freshPgDatabase(opts.pgServerUrl ?? process.env.TEST_DATABASE_URL) : undefined;
  const clock = new FakeClock();
  const config = loadConfig(
    { NODE_ENV: 'test', JWT_SECRET: 'test-secret-test-secret-test-secret!', LOG_LEVEL: 'silent', RATE_LIMIT_ENABLED: 'false', ...opts.env },
    { databaseUrl: pgDb && (opts.connectVia ? opts.connectVia(pgDb.url) : pgDb.url), dataDir: 'memory://', demoShowNights: 3, sweepIntervalMs: 3_600_000, host: '127.0.0.1', port: 0, clock, salesCloseAfterStartMin: TEST_SALES_CLOSE_AFTER_START_MIN, ...opts.config },
  );
  let built: BuiltApp;
  try {
    built = await buildApp(config, { db: target === 'pglite' && config.dataDir === 'memory://' ? await migratedPgliteDb() : undefined });
  } catch (err) {
    await pgDb?.drop();
    throw err;
  }
  const { app } = built;
  let url = '';
  if (opts.listen !== false) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  } else {
    await app.ready();
  }
  const shows = (await built.services.catalog.listShows()).items;

  const users = async (n: number, role: Role = 'customer'): Promise<TestUser[]> => {
    const emails = Array.from({ length: n }, () => `${role}-${randomUUID()}@test.local`);
    const { rows } = await built.db.query<{ id: string; email: string }>(
      `INSERT INTO users (email, name, role, password_hash)
       SELECT e, 'Test ' || $2, $2, 'scrypt$unusable' FROM unnest($1::text[]) e RETURNING id, email`,
      [emails, role],
    );
    return rows.map((r) => {
      const token = app.jwt.sign({ sub: r.id, role, email: r.email });
      return { id: r.id, email: r.email, role, token, auth: { authorization: `Bearer ${token}` } };
    });
  };

  return {
    ...built,
    url,
    target,
    clock,
    config,
    showDate: shows[1]?.showDate ?? shows[0].showDate,
    users,
    user: async (role: Role = 'customer') => (await users(1, role))[0],
    token: async (role: Role = 'customer') => (await users(1, role))[0].token,
    async close() {
      await app.close();
      await pgDb?.drop();
    },
  };
}
