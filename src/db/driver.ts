import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.ts';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** Anything SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  /** `name` makes a named prepared statement on PostgreSQL (parsed once per connection). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], name?: string): Promise<QueryResult<T>>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pg' | 'pglite';
  /** Runs fn in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const DATE_OID = 1082;
const INT8_OID = 20;

// A show date is a calendar day, not an instant: keep it as 'YYYY-MM-DD' text on both drivers.
pg.types.setTypeParser(DATE_OID, (v: string) => v);
pg.types.setTypeParser(INT8_OID, (v: string) => Number(v));

export interface PgOptions {
  poolSize: number;
  /** Fail fast when the database is unreachable instead of queueing for ever. */
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  onError?: (err: Error) => void;
}

export function createPgDb(url: string, opts: PgOptions): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 2000,
    query_timeout: opts.statementTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // An idle client losing its connection must never crash the process.
  pool.on('error', (err) => opts.onError?.(err));

  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params?: unknown[], name?: string): Promise<QueryResult<T>> => {
    const res = await client.query<T & pg.QueryResultRow>(name ? { name, text: sql, values: params } : { text: sql, values: params });
    return { rows: res.rows, rowCount: res.rowCount ?? 0 };
  };

  return {
    kind: 'pg',
    query: (sql, params, name) => run(pool, sql, params, name),
    async tx(fn) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: (sql, params, name) => run(client, sql, params, name),
          exec: async (sql) => void (await client.query(sql)),
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

/** Embedded PostgreSQL (WASM): one connection, so statements and transactions run one at a time; one process per data directory. */
export async function createPgliteDb(dataDir: string): Promise<Db> {
  const inMemory = dataDir === 'memory://';
  const unlock = inMemory ? () => {} : lockDataDir(dataDir);
  let db: PGlite;
  try {
    db = await PGlite.create(inMemory ? undefined : dataDir, {
      parsers: { [DATE_OID]: (v: string) => v, [INT8_OID]: (v: string) => Number(v) },
    });
  } catch (err) {
    unlock();
    throw err;
  }
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const res = await q.query<T>(sql, params as unknown[]);
      return { rows: res.rows, rowCount: Math.max(res.rows.length, res.affectedRows ?? 0) };
    },
    exec: async (sql) => void (await q.exec(sql)),
  });
  const base = wrap(db);
  return {
    kind: 'pglite',
    ...base,
    tx: (fn) => db.transaction((t) => fn(wrap(t))),
    close: async () => {
      try {
        await db.close();
      } finally {
        unlock();
      }
    },
  };
}
