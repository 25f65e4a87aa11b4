/**
 * Issue 12, kinds 2, 2b and 3: the network path to PostgreSQL breaks in the ways real networks do (a TcpProxy
 * between the service and the database). Whatever happens, requests answer 503 SERVICE_UNAVAILABLE with
 * Retry-After within the configured time limits (lock 3 s, statement 5 s + 1 s for the client), the process
 * stays up, and writes work again by themselves. PostgreSQL only: the embedded database has no network path.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, dbTargets, freshPgDatabase } from './helpers/server.ts';
import { call } from './helpers/http.ts';
import { spawnServer, until } from './helpers/process.ts';
import { TcpProxy } from './helpers/tcp-proxy.ts';
import { PG_DEFAULT_TIMEOUTS, createPgDb } from '../src/db/driver.ts';
import { toAppError } from '../src/errors.ts';

/** The longest a request may wait on a broken database: the client's read limit (statement limit + 1 s) plus slack for a busy machine. */
const ANSWER_WITHIN_MS = PG_DEFAULT_TIMEOUTS.statementTimeoutMs + 1_000 + 2_000;

const through = (proxy: TcpProxy) => (url: string) => {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
};
const pgTarget = () => (process.env.TEST_DATABASE_URL ? new URL(process.env.TEST_DATABASE_URL) : undefined);

/** Asserts the standard 503: code, Retry-After, and no driver detail. */
function assertUnavailable(res: { status: number; body: any; headers: Headers }, where: string) {
  assert.equal(res.status, 503, `${where}: ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.body.code, 'SERVICE_UNAVAILABLE', where);
  assert.match(res.headers.get('retry-after') ?? '', /^\d+$/, `${where}: Retry-After`);
}

describe('database network failures (PostgreSQL behind a TcpProxy)', { skip: dbTargets().includes('pg') ? false : 'needs TEST_DATABASE_URL' }, () => {
  it('kind 2: a half-open path freezing a transaction that holds a show’s locks: 503 + Retry-After fast, and the show recovers by itself within a minute', async () => {
    const pg = pgTarget()!;
    const proxy = new TcpProxy(pg.hostname, Number(pg.port || 5432));
    await proxy.start();
    const s = await startTestServer({ target: 'pg', connectVia: through(proxy) });
    try {
      const customer = await s.user();
      const lock = () => call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: ['101'] }, headers: customer.auth });
      // one of the service's own transactions holds the show's row and seat 101 when its network path freezes
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const stuck = s.db.tx(async (q) => {
        await q.query('SELECT 1 FROM shows WHERE show_date = $1 FOR UPDATE', [s.showDate]);
        await q.query(`SELECT 1 FROM seat_inventory WHERE show_date = $1 AND seat_id = '101' FOR UPDATE`, [s.showDate]);
        proxy.halfOpen();
        holding();
        await q.query('SELECT 1'); // never arrives
      });
      await held;

      const t0 = Date.now();
      const first = await lock();
      assert.ok(Date.now() - t0 < ANSWER_WITHIN_MS, `the first answer took ${Date.now() - t0} ms`);
      assertUnavailable(first, 'a lock on the frozen show');
      const stuckErr = await stuck.then(() => undefined, (err: unknown) => err);
      assert.equal(toAppError(stuckErr).code, 'SERVICE_UNAVAILABLE', `the frozen transaction failed with ${String(stuckErr)}`);

      // PostgreSQL ends the frozen session (idle in transaction) and its locks go with it: no operator needed
      const answers: number[] = [];
      const recovered = await until(
        async () => {
          const res = await lock();
          answers.push(res.status);
          if (res.status !== 200) assertUnavailable(res, 'while the show recovers');
          return res.status === 200;
        },
        60_000,
        'writes to the show to work again',
      );
      assert.ok(recovered, `answers while recovering: ${answers.join(', ')}`);
      assert.equal((await call(s.url, 'GET', '/api/orders/enhanced/health')).status, 200);
    } finally {
      await proxy.stop();
      await s.close();
    }
  });

  it('kind 3: a blackholed database: every request answers 503 + Retry-After within the time limits, then service resumes', async () => {
    const pg = pgTarget()!;
    const proxy = new TcpProxy(pg.hostname, Number(pg.port || 5432));
    await proxy.start();
    const s = await startTestServer({ target: 'pg', connectVia: through(proxy) });
    try {
      const customer = await s.user();
      // some connections are open (and will freeze), more are needed (and will never connect)
      await Promise.all(['102', '103', '104'].map((seat) => call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: [seat] }, headers: customer.auth })));
      proxy.blackhole();
      const t0 = Date.now();
      const answers = await Promise.all([
        ...['105', '106', '107', '108', '109', '110'].map((seat) => call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: [seat] }, headers: customer.auth })),
        call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['102'] }, headers: customer.auth }),
        call(s.url, 'GET', `/api/v1/shows/${s.showDate}/seats`),
      ]);
      const took = Date.now() - t0;
      answers.forEach((res, i) => assertUnavailable(res, `request ${i} during the blackhole`));
      assert.ok(took < ANSWER_WITHIN_MS, `answers took ${took} ms`);
      const health = await call(s.url, 'GET', '/api/orders/enhanced/health');
      assert.equal(health.status, 503);
      assert.equal(health.body.checks.database.status, 'down');

      proxy.heal();
      await until(async () => (await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: ['105'] }, headers: customer.auth })).status === 200, 60_000, 'locks to work again');
    } finally {
      await proxy.stop();
      await s.close();
    }
  });

  it('kind 3: a statement past its time limit is cancelled by PostgreSQL itself, so it cannot commit after its caller was told it failed', async () => {
    const s = await startTestServer({ target: 'pg' });
    try {
      const marker = `late-${Date.now()}`;
      const slow = s.db.query(`WITH ins AS (INSERT INTO ops_counters (name, value) VALUES ($1, 1) RETURNING 1) SELECT pg_sleep(7) FROM ins`, [marker]);
      const err = await slow.then(() => undefined, (e: unknown) => e);
      assert.ok(err, 'a 7 s statement was allowed to finish');
      assert.equal(toAppError(err).code, 'SERVICE_UNAVAILABLE', String(err));
      // nothing of it is still running on the server, and nothing of it was committed
      await until(async () => (await s.db.query(`SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(7)%' AND pid <> pg_backend_pid()`)).rowCount === 0, 30_000, 'the slow statement to end');
      assert.equal((await s.db.query('SELECT 1 FROM ops_counters WHERE name = $1', [marker])).rowCount, 0);
    } finally {
      await s.close();
    }
  });

  it('kind 2b: an error arriving with the end of a new connection handshake (before its user listens) is handled, not a crash', async () => {
    const target = pgTarget()!;
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const reported: Error[] = [];
    const db = createPgDb(through(proxy)(process.env.TEST_DATABASE_URL!), { poolSize: 1, onError: (err) => reported.push(err) });
    try {
      proxy.failNextHandshake();
      // without a listener on the client from the moment the pool hands it over, this kills the test process
      const failed = await db.tx((q) => q.query('SELECT 1')).then(() => undefined, (err: unknown) => err);
      assert.ok(failed, 'the transaction on the broken connection must fail');
      assert.equal(toAppError(failed).code, 'SERVICE_UNAVAILABLE', String(failed));
      assert.deepEqual(reported.map((e) => (e as Error & { code?: string }).code), ['08P01']);
      const { rows } = await db.tx((q) => q.query<{ one: number }>('SELECT 1 AS one'));
      assert.deepEqual(rows, [{ one: 1 }], 'the next transaction gets a fresh connection');
    } finally {
      await db.close();
      await proxy.stop();
    }
  });

  it('a busy pool: a statement waits for a free connection past the connect limit; a new connection that is not answered fails at the connect limit', async () => {
    const target = pgTarget()!;
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const open = () => createPgDb(through(proxy)(process.env.TEST_DATABASE_URL!), { poolSize: 1 });
    const busyDb = open();
    const freshDb = open();
    let busyClosed = false;
    try {
      // the pool's one connection is busy for longer than a new connection may take (2 s): the next statement
      // waits for it (it failed with "timeout exceeded when trying to connect" at 2 s, the connect limit)
      const busy = busyDb.query('SELECT pg_sleep(2.5)');
      const next = await busyDb.query<{ one: number }>('SELECT 1 AS one');
      await busy;
      assert.deepEqual(next.rows, [{ one: 1 }]);
      busyClosed = true;
      await busyDb.close(); // before the blackhole: its idle connection would wait on it to say goodbye
      // a database that does not answer a new connection still fails at the connect limit, not the pool's wait
      proxy.blackhole();
      const t0 = Date.now();
      const failed = await freshDb.query('SELECT 1').then(() => undefined, (err: unknown) => err);
      const took = Date.now() - t0;
      assert.match(String(failed), /timeout expired/); // pg.Client: its connect limit passed
      assert.equal(toAppError(failed).code, 'SERVICE_UNAVAILABLE');
      assert.ok(took < PG_DEFAULT_TIMEOUTS.statementTimeoutMs, `a new connection failed after ${took} ms, the pool's wait (5 s), not the connect limit (2 s)`);
    } finally {
      if (!busyClosed) await busyDb.close();
      await freshDb.close();
      await proxy.stop();
    }
  });

  it('kind 2b: connections reset while stalled mid-query: the requests answer 503, the process stays up and recovers', async () => {
    const fresh = await freshPgDatabase();
    const pg = new URL(fresh.url);
    const proxy = new TcpProxy(pg.hostname, Number(pg.port || 5432));
    await proxy.start();
    const s = await spawnServer({ DATABASE_URL: through(proxy)(fresh.url), LOG_LEVEL: 'error' });
    try {
      const login = await call(s.url, 'POST', '/api/v1/auth/login', { body: { email: 'customer@boxoffice.local', password: 'customer-demo-pass' } });
      const auth = { authorization: `Bearer ${login.body.accessToken}` };
      const showDate = (await call(s.url, 'GET', '/api/v1/shows')).body.items[0].showDate;
      for (const seat of ['101', '102']) await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate, seatIds: [seat] }, headers: auth });

      proxy.blackhole();
      const inFlight = Promise.all([
        call(s.url, 'POST', '/api/v1/orders', { body: { showDate, seatIds: ['101'] }, headers: auth }),
        call(s.url, 'POST', '/api/v1/orders', { body: { showDate, seatIds: ['102'] }, headers: auth }),
        call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate, seatIds: ['103'] }, headers: auth }),
      ]);
      await until(async () => proxy.stalledBytes > 0, 10_000, 'the requests to be stalled mid-query');
      proxy.reset();
      const answers = await inFlight;
      answers.forEach((res, i) => assertUnavailable(res, `request ${i} whose connection was reset`));
      assert.equal(s.proc.exitCode, null, `the process died:\n${s.output()}`);

      proxy.heal();
      await until(async () => (await call(s.url, 'GET', '/api/orders/enhanced/health')).status === 200, 30_000, 'health to recover');
      const order = await call(s.url, 'POST', '/api/v1/orders', { body: { showDate, seatIds: ['101'] }, headers: auth });
      assert.equal(order.status, 201, JSON.stringify(order.body));
      assert.equal(s.proc.exitCode, null);
      assert.doesNotMatch(s.output(), /Unhandled|uncaught/i);
    } finally {
      s.proc.kill('SIGKILL');
      await s.exited;
      await proxy.stop();
      await fresh.drop();
    }
  });
});
