import { randomInt } from 'node:crypto';
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
  /** Runs a multi-statement script without parameters (migrations); the client waits for it however long it takes. */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pg' | 'pglite';
  /**
   * Whether a statement may commit asynchronously (PostgreSQL's `synchronous_commit = off` for its own
   * transaction: COMMIT returns, and the row locks go, before the commit record is on disk). Whoever uses it
   * MUST await `durable()` before telling anyone of the result, and so must a snapshot read (it may see such a
   * commit). PostgreSQL: DATABASE_ASYNC_COMMIT other than `off` (default `orders`: online orders and buyers'
   * cancels; `all` adds hold batches); PGlite: false (one connection, nothing to gain).
   */
  readonly asyncCommit: boolean;
  /**
   * Resolves once every transaction that had committed when it was called, on any connection of any instance,
   * is on disk as durably as a synchronous commit would have made it (PostgreSQL: one small write to
   * durability_marks commits synchronously, which flushes the WAL up to its commit record, so every earlier
   * commit record with it; under the server's `synchronous_commit`, e.g. also on a synchronous standby). Concurrent callers share one flush; a caller never rides on a flush that started before its call.
   * Rejects with the database's error when the flush fails (the outcome of the earlier commits is then unknown).
   * See docs/ARCHITECTURE.md "Holds commit asynchronously, answers wait for the disk".
   */
  durable(): Promise<void>;
  /** Runs fn in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Coalesces flushes: `flush` runs at most once at a time plus one queued run; every caller is answered by a run
 * that started after its call (so it covers everything committed before the call).
 */
export function coalescedFlush(flush: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const start = (): Promise<void> => {
    const run: Promise<void> = flush().finally(() => {
      if (running === run) running = undefined;
    });
    running = run;
    return run;
  };
  return () => {
    if (!running) return start();
    queued ??= running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        queued = undefined;
        return start();
      });
    return queued;
  };
}

const DATE_OID = 1082;
/** rows of durability_marks (migration 017) */
const DURABILITY_SLOTS = 64;
const INT8_OID = 20;

// A show date is a calendar day, not an instant: keep it as 'YYYY-MM-DD' text on both drivers.
pg.types.setTypeParser(DATE_OID, (v: string) => v);
pg.types.setTypeParser(INT8_OID, (v: string) => Number(v));

export interface PgOptions {
  poolSize: number;
  /**
   * Let callers commit asynchronously (Db.asyncCommit) and wait for durable() instead (DATABASE_ASYNC_COMMIT not
   * `off`; default false here: every transaction commits synchronously and durable() has nothing to wait for).
   */
  asyncCommit?: boolean;
  /** Fail fast when the database is unreachable: a new connection not made in this time fails (default 2 s). */
  connectTimeoutMs?: number;
  /**
   * How long a statement waits for a free connection when all `poolSize` are in use, e.g. in a burst of buyers
   * (default: the statement limit, 5 s), then fails (503). It was the connect limit (pg-pool has one setting for
   * both): on a busy machine, 50 buyers of three seats at once waited just over 2 s behind the 20 in flight and the
   * last ones answered 503 instead of their 409.
   */
  poolWaitMs?: number;
  /**
   * Server-side limits set on every session of the pool (0: none), so that PostgreSQL itself ends what the
   * service gave up on: a statement running longer is cancelled (`statement_timeout`), a wait for a row lock
   * longer than `lockTimeoutMs` fails (`lock_timeout`), and a session left idle inside a transaction, e.g.
   * behind a half-open network path, is terminated with its locks (`idle_in_transaction_session_timeout`).
   * Defaults: 5 s, 3 s, 10 s. The client stops waiting for an answer 1 s after the statement limit
   * (a blackholed database), and TCP keepalive probes idle connections.
   */
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  /** Errors of connections that broke while idle or between the statements of a transaction; they never crash the process. */
  onError?: (err: Error) => void;
}

export const PG_DEFAULT_TIMEOUTS = { statementTimeoutMs: 5_000, lockTimeoutMs: 3_000, idleInTransactionTimeoutMs: 10_000 } as const;
/** The client gives up on an answer this long after PostgreSQL would have cancelled the statement itself. */
const CLIENT_READ_MARGIN_MS = 1_000;
/** Scripts (migrations) may run long: the client waits for them (pg reads 0 as "the pool's default", so: the longest timer). */
const NO_READ_TIMEOUT = 2 ** 31 - 1;
/** A script query; `query_timeout` per query is read by pg's client but missing from its types. */
const script = (text: string) => ({ text, query_timeout: NO_READ_TIMEOUT }) as pg.QueryConfig;

/**
 * Errors after which a connection cannot be trusted (never made in time: pg.Client's "timeout expired"; no answer
 * in time, reset, closed): it is thrown away instead of sending ROLLBACK into a dead socket (which would wait for
 * its own timeout first). Requests that fail with one answer 503 (src/errors.ts).
 */
export function isConnectionBroken(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  if (!e || typeof e !== 'object') return false;
  if (['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006'].includes(e.code ?? '')) return true;
  return /^timeout expired$|Query read timeout|Connection terminated|connection (is )?closed|Client has encountered a connection error|not queryable/i.test(e.message ?? '');
}

export function createPgDb(url: string, opts: PgOptions): Db {
  const { statementTimeoutMs, lockTimeoutMs, idleInTransactionTimeoutMs } = { ...PG_DEFAULT_TIMEOUTS, ...opts };
  const connectTimeoutMs = opts.connectTimeoutMs ?? 2000;
  const poolWaitMs = opts.poolWaitMs ?? Math.max(connectTimeoutMs, statementTimeoutMs || PG_DEFAULT_TIMEOUTS.statementTimeoutMs);
  /** pg-pool gives its clients its own options: its wait for a free connection is poolWaitMs, a client's connect is connectTimeoutMs. */
  class Client extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: connectTimeoutMs });
    }
  }
  const pool = new pg.Pool({
    Client,
    connectionString: url,
    max: opts.poolSize,
    connectionTimeoutMillis: poolWaitMs,
    // undefined: the server's default (pg sends nothing for a falsy value)
    statement_timeout: statementTimeoutMs || undefined,
    lock_timeout: lockTimeoutMs || undefined,
    idle_in_transaction_session_timeout: idleInTransactionTimeoutMs || undefined,
    query_timeout: statementTimeoutMs ? statementTimeoutMs + CLIENT_READ_MARGIN_MS : undefined,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client losing its connection must never crash the process.
  pool.on('error', (err) => opts.onError?.(err));
  // Nor may any client between the pool handing it out and its user listening: pg-pool drops its idle
  // listener as it hands a client over, and an error that arrives in the same network read as the end of
  // the connection handshake is emitted before the user's code runs. So every client listens all its life;
  // an error nobody else heard is reported here, and the client's next statement fails (it is not queryable).
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      if (client.listenerCount('error') === 1) opts.onError?.(err);
    });
  });

  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params?: unknown[], name?: string): Promise<QueryResult<T>> => {
    const res = await client.query<T & pg.QueryResultRow>(name ? { name, text: sql, values: params } : { text: sql, values: params });
    return { rows: res.rows, rowCount: res.rowCount ?? 0 };
  };

  /** this process's row of durability_marks (migration 017): instances rarely share one */
  const durabilitySlot = randomInt(DURABILITY_SLOTS);

  return {
    kind: 'pg',
    asyncCommit: opts.asyncCommit ?? false,
    // a synchronous commit that wrote WAL waits until the WAL is flushed up to it (one that wrote none would not);
    // with every commit synchronous, everything committed is on disk already
    durable: opts.asyncCommit
      ? coalescedFlush(async () => void (await run(pool, 'UPDATE durability_marks SET flushes = flushes + 1 WHERE slot = $1', [durabilitySlot], 'bo_durable')))
      : async () => undefined,
    query: (sql, params, name) => run(pool, sql, params, name),
    async tx(fn) {
      const client = await pool.connect();
      let broken = false;
      // A checked-out client has no listener of the pool's: a reset between two statements would be an
      // unhandled 'error' event (the process dies). The statement in flight fails with the same error.
      const onClientError = (err: Error) => {
        broken = true;
        opts.onError?.(err);
      };
      client.on('error', onClientError);
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: (sql, params, name) => run(client, sql, params, name),
          exec: async (sql) => void (await client.query(script(sql))),
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        if (broken || isConnectionBroken(err)) broken = true;
        else {
          try {
            await client.query('ROLLBACK');
          } catch {
            broken = true;
          }
        }
        throw err;
      } finally {
        client.release(broken);
        client.removeListener('error', onClientError);
      }
    },
    async exec(sql) {
      await pool.query(script(sql));
    },
    close: () => pool.end(),
  };
}

/**
 * Embedded PostgreSQL (WASM): one connection, so statements and transactions run one at a time; one process per data directory.
 * `opts.from`: a data directory as PGlite's `dumpDataDir()` tarball to start from (restored into `dataDir`) instead of an
 * empty cluster: ~0.6 s instead of ~2.5 s of initdb; the test suites start each in-memory database from a migrated one.
 */
export async function createPgliteDb(dataDir: string, opts: { from?: Blob } = {}): Promise<Db> {
  const inMemory = dataDir === 'memory://';
  const unlock = inMemory ? () => {} : lockDataDir(dataDir);
  let db: PGlite;
  try {
    db = await PGlite.create(inMemory ? undefined : dataDir, { parsers: PGLITE_PARSERS, loadDataDir: opts.from });
  } catch (err) {
    unlock();
    throw err;
  }
  return pgliteDb(db, unlock);
}

/** PGlite's value parsers for boxoffice: dates stay 'YYYY-MM-DD' text and bigints become numbers, as node-postgres gives them here. */
export const PGLITE_PARSERS = { [DATE_OID]: (v: string) => v, [INT8_OID]: (v: string) => Number(v) };

/** A PGlite instance created with PGLITE_PARSERS as a Db; `onClose` runs after it closes. */
export function pgliteDb(db: PGlite, onClose: () => void = () => {}): Db {
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
    asyncCommit: false,
    durable: async () => undefined,
    ...base,
    tx: (fn) => db.transaction((t) => fn(wrap(t))),
    close: async () => {
      try {
        await db.close();
      } finally {
        onClose();
      }
    },
  };
}
