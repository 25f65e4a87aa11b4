import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { dbTargets, startTestServer, type TestServer } from './helpers/server.ts';
import { startPrivateCluster, type PrivateCluster } from './helpers/pg-cluster.ts';
import { call } from './helpers/http.ts';
import { coalescedFlush } from '../src/db/driver.ts';
import { CatalogService } from '../src/modules/catalog/service.ts';
import { loadVenue } from '../src/modules/catalog/venue.ts';
import { countingDb } from './helpers/counting-db.ts';

/**
 * With DATABASE_ASYNC_COMMIT on PostgreSQL (`orders`, the default: online orders and buyers' cancels; `all`: hold batches
 * too), such a statement commits asynchronously (bo_hold_batch p_async_commit: the show row its events are
 * numbered on is held to COMMIT, not through the disk write), so its buyers may only be answered, and its events
 * and any snapshot that saw it handed out, once it is on disk (Db.durable()). Here the database server crashes
 * right after the answers: its WAL writer is frozen first (SIGSTOP), so an asynchronous commit nobody flushed
 * would exist only in shared memory; then it is killed (SIGKILL), and PostgreSQL restarts and recovers from
 * disk. Every acknowledged hold, order and cancel must be there afterwards, with the seq of every event published
 * (a seq numbered again after a crash would make clients drop real events as duplicates). A snapshot, which can see
 * an asynchronous commit before the disk has it, is handed out only after a flush that started after its read.
 */
for (const target of dbTargets()) {
  describe(`acknowledged holds survive a database crash on ${target}`, () => {
    const cleanups: (() => Promise<unknown>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
    });

    if (target === 'pglite') {
      it('PGlite commits every hold synchronously: nothing to wait for', async () => {
        const server = await startTestServer({ target });
        cleanups.push(() => server.close());
        assert.equal(server.db.asyncCommit, false);
        const [u] = await server.users(1);
        const r = await call(server.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: server.showDate, seatIds: ['101'] }, headers: u.auth });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const { rows } = await server.db.query<{ state: string }>('SELECT state FROM seat_inventory WHERE show_date = $1 AND seat_id = $2', [server.showDate, '101']);
        assert.equal(rows[0].state, 'LOCKED');
      });
      return;
    }

    // `orders` (the default): orders and buyers' cancels commit asynchronously, hold batches synchronously;
    // `all`: hold batches too. Either way, nothing answered is lost.
    for (const mode of ['orders', 'all'] as const) it(`DATABASE_ASYNC_COMMIT=${mode}: keeps every hold, order and cancel that was answered, and the seq of every event published`, async () => {
      const cluster: PrivateCluster = await startPrivateCluster();
      cleanups.push(() => cluster.stop());
      const server: TestServer = await startTestServer({ target, pgServerUrl: cluster.url, env: mode === 'all' ? { DATABASE_ASYNC_COMMIT: 'all' } : {} });
      cleanups.push(() => server.close());
      assert.equal(server.config.databaseAsyncCommit, mode);
      assert.equal(server.db.asyncCommit, true);
      const users = await server.users(12);
      const showDate = server.showDate;

      const before = await call(server.url, 'GET', `/api/v1/shows/${showDate}/seats`);
      // who waits for the shared flush: hold batches only with `all`, orders and cancels in both modes
      let flushes = 0;
      const flush = server.db.durable;
      server.db.durable = () => {
        flushes++;
        return flush();
      };
      const walWriter = await cluster.pid('walwriter');
      process.kill(walWriter, 'SIGSTOP');
      let crashed = false;
      const crash = () => {
        if (!crashed) process.kill(walWriter, 'SIGKILL');
        crashed = true;
      };
      cleanups.push(async () => crash());

      // twelve buyers at once (one batch or a few), two seats each: 12 seat-locked events
      const answers = await Promise.all(
        users.map((u, i) =>
          call(server.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate, seatIds: [String(101 + 2 * i), String(102 + 2 * i)] }, headers: u.auth }),
        ),
      );
      // then releases by half of them, so what is on disk must also be the later of two commits on a seat: 6 events
      const released = await Promise.all(
        users.slice(0, 6).map((u, i) => call(server.url, 'POST', '/api/orders/enhanced/seats/release', { body: { showDate, seatIds: [String(101 + 2 * i)] }, headers: u.auth })),
      );
      assert.equal(flushes > 0, mode === 'all', `hold batches wait for the shared flush only with all (${flushes} flushes)`);
      const holdFlushes = flushes;
      // orders and a buyer's cancel are one statement each, committed asynchronously in both modes: 3 events
      const ordered = await call(server.url, 'POST', '/api/v1/orders', { body: { showDate, seatIds: ['123', '124'] }, headers: users[11].auth });
      const toCancel = await call(server.url, 'POST', '/api/v1/orders', { body: { showDate, seatIds: ['121', '122'] }, headers: users[10].auth });
      const cancelled = await call(server.url, 'PATCH', `/api/v1/orders/${toCancel.body.order?.id}/cancel`, { body: {}, headers: users[10].auth });
      crash();
      assert.equal(flushes - holdFlushes, 3, 'each order and the cancel waited for a flush');
      assert.equal(ordered.status, 201, JSON.stringify(ordered.body));
      assert.equal(toCancel.status, 201, JSON.stringify(toCancel.body));
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));

      for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.body));
      for (const r of released) assert.equal(r.status, 200, JSON.stringify(r.body));
      const expected = new Map<string, string>();
      users.forEach((u, i) => {
        if (i >= 10) return; // their seats were ordered
        if (i >= 6) expected.set(String(101 + 2 * i), u.id);
        expected.set(String(102 + 2 * i), u.id);
      });

      await cluster.ready();
      const c = new pg.Client({ connectionString: server.config.databaseUrl });
      await c.connect();
      try {
        const { rows } = await c.query<{ seat_id: string; holder_id: string }>(
          `SELECT seat_id, holder_id FROM seat_inventory WHERE show_date = $1 AND state = 'LOCKED' ORDER BY seat_id`,
          [showDate],
        );
        assert.deepEqual(new Map(rows.map((r) => [r.seat_id, r.holder_id])), expected, 'every acknowledged hold and release is on disk');
        const { rows: orders } = await c.query<{ id: string; status: string }>('SELECT id, status FROM orders ORDER BY created_at');
        assert.deepEqual(orders, [{ id: ordered.body.order.id, status: 'PENDING' }, { id: toCancel.body.order.id, status: 'CANCELLED' }]);
        const { rows: seats } = await c.query<{ seat_id: string; state: string }>(
          `SELECT seat_id, state FROM seat_inventory WHERE show_date = $1 AND seat_id IN ('121', '122', '123', '124') ORDER BY seat_id`, [showDate]);
        assert.deepEqual(seats.map((r) => r.state), ['AVAILABLE', 'AVAILABLE', 'BOOKED', 'BOOKED']);
        const { rows: seq } = await c.query<{ seq: string }>('SELECT seq FROM shows WHERE show_date = $1', [showDate]);
        assert.equal(Number(seq[0].seq), before.body.seq + 12 + 6 + 3, 'every event that was published keeps its number');
      } finally {
        await c.end();
      }
    });
  });
}

describe('coalescedFlush', () => {
  it('shares one flush among concurrent callers, but never answers a caller with a flush that started before its call', async () => {
    const runs: { done: () => void; callersBefore: number }[] = [];
    let callers = 0;
    const flush = coalescedFlush(() => new Promise<void>((resolve) => runs.push({ done: resolve, callersBefore: callers })));
    const answered: number[] = [];
    const ask = (n: number) => {
      callers++;
      return flush().then(() => void answered.push(n));
    };
    const first = ask(1); // starts run 1
    const second = ask(2); // run 1 is in flight: waits for run 2
    const third = ask(3); // shares run 2
    assert.equal(runs.length, 1);
    runs[0].done();
    await first;
    assert.deepEqual(answered, [1]);
    await new Promise((r) => setImmediate(r));
    assert.equal(runs.length, 2, 'the queued flush starts once the first ended');
    assert.equal(runs[1].callersBefore, 3, 'it started after callers 2 and 3 called');
    assert.deepEqual(answered, [1], 'callers 2 and 3 wait for it');
    runs[1].done();
    await Promise.all([second, third]);
    assert.deepEqual(answered.sort(), [1, 2, 3]);
    assert.equal(runs.length, 2, 'two flushes for three callers');
  });

  it('a failed flush rejects its callers; the next caller gets a new flush', async () => {
    let n = 0;
    const flush = coalescedFlush(async () => {
      n++;
      if (n === 1) throw new Error('connection lost');
    });
    await assert.rejects(flush(), /connection lost/);
    await flush();
    assert.equal(n, 2);
  });
});

for (const target of dbTargets()) {
  describe(`a snapshot waits for the disk on ${target}`, () => {
    it('the seat map and the show state are answered after a flush that started after their read', async () => {
      const server = await startTestServer({ target, listen: false });
      try {
        assert.equal(server.db.asyncCommit, target === 'pg', 'PostgreSQL by default (DATABASE_ASYNC_COMMIT=orders); PGlite never');
        const db = countingDb(server.db);
        const catalog = new CatalogService(db, server.config, loadVenue(server.config.venueFile));
        const order: string[] = [];
        const inner = db.durable;
        db.durable = () => {
          order.push('flush');
          return inner();
        };
        const query = db.query;
        db.query = (sql, params, name) => {
          if (/seat_inventory/.test(sql)) order.push('read');
          return query(sql, params, name);
        };
        const map = await catalog.seatMap(server.showDate, 'en');
        const state = await catalog.showState(server.showDate);
        assert.equal(map.seq, state.seq);
        assert.deepEqual(order, ['read', 'flush', 'read', 'flush']);
      } finally {
        await server.close();
      }
    });
  });
}
