import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import pg from 'pg';
import { startTestServer, dbTargets, type TestServer } from './helpers/server.ts';
import { call } from './helpers/http.ts';
import { checkInvariants } from './helpers/invariants.ts';

/** How many answers had each status, e.g. { 200: 1, 409: 199 }. */
function countStatuses(results: { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

for (const target of dbTargets()) {
  describe(`contention on ${target}`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer({ target, config: { maxSeatsPerUser: 10 } });
    });
    after(async () => {
      await checkInvariants(s.db);
      await s.close();
    });

    it('200 users, one seat, all at once: exactly one lock, 199 conflicts, no 5xx', async () => {
      const users = await s.users(200);
      const results = await Promise.all(
        users.map((u) => call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: ['343'] }, headers: u.auth })),
      );
      assert.deepEqual(countStatuses(results), { 200: 1, 409: 199 });
      const winner = users[results.findIndex((r) => r.status === 200)];
      const { rows } = await s.db.query<{ holder_id: string; state: string }>(
        `SELECT state, holder_id FROM seat_inventory WHERE show_date = $1 AND seat_id = '343'`,
        [s.showDate],
      );
      assert.deepEqual(rows[0], { state: 'LOCKED', holder_id: winner.id });
      assert.ok(results.filter((r) => r.status === 409).every((r) => r.body.code === 'SEAT_UNAVAILABLE' && r.body.details.unavailable[0].seatId === '343'));
    });

    it('100 users locking random overlapping sets of 2-6 of 20 seats: no seat held twice, no deadlock, losers hold nothing', async () => {
      const shows = await call(s.url, 'GET', '/api/v1/shows');
      const showDate = shows.body.items[0].showDate;
      const pool = ['101', '102', '103', '104', '105', '106', '107', '108', '109', '110', '111', '112', '113', '114', '115', '116', '117', '118', '119', '120'];
      const users = await s.users(100);
      const sets = fc.sample(fc.shuffledSubarray(pool, { minLength: 2, maxLength: 6 }), { numRuns: 100, seed: 42 });
      const results = await Promise.all(
        users.map((u, i) => call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate, seatIds: sets[i] }, headers: u.auth })),
      );
      assert.ok(results.every((r) => r.status === 200 || r.status === 409), `unexpected: ${JSON.stringify(results.filter((r) => r.status !== 200 && r.status !== 409).map((r) => r.body))}`);
      const winners = results.map((r, i) => ({ r, user: users[i], seats: sets[i] })).filter((x) => x.r.status === 200);
      assert.ok(winners.length >= 1);
      const expected = new Map<string, string>();
      for (const w of winners) {
        for (const seat of w.seats) {
          assert.ok(!expected.has(seat), `seat ${seat} granted to two requests`);
          expected.set(seat, w.user.id);
        }
      }
      const { rows } = await s.db.query<{ seat_id: string; holder_id: string }>(
        `SELECT seat_id, holder_id FROM seat_inventory WHERE show_date = $1 AND state = 'LOCKED' ORDER BY seat_id`,
        [showDate],
      );
      assert.deepEqual(new Map(rows.map((r) => [r.seat_id, r.holder_id])), expected, 'locked seats are exactly the winners\' seats');
    });

    it('50 users ordering the same three seats at once: one order, everyone else 409', async () => {
      const users = await s.users(50);
      const results = await Promise.all(
        users.map((u) => call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['201', '202', '203'] }, headers: u.auth })),
      );
      assert.deepEqual(countStatuses(results), { 201: 1, 409: 49 }, JSON.stringify(results.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.body)));
      const { rows } = await s.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM order_seats WHERE show_date = $1 AND seat_id IN ('201', '202', '203') AND active`,
        [s.showDate],
      );
      assert.equal(rows[0].n, 3);
    });

    it('an order for a seat someone else holds is refused at once, without queueing for the seat\'s row', async () => {
      const [holder, buyer] = await s.users(2);
      const held = await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: ['210'] }, headers: holder.auth });
      assert.equal(held.status, 200);
      const refused = { code: 'SEAT_UNAVAILABLE', unavailable: [{ seatId: '210', status: 'LOCKED' }] };
      const order = async (seatIds: string[]) => {
        const r = await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds }, headers: buyer.auth });
        return { status: r.status, code: r.body.code, unavailable: r.body.details?.unavailable };
      };
      // unknown seats are still reported first, as the locked judgement does
      assert.deepEqual(await order(['210', 'Z-999']), { status: 404, code: 'SEAT_NOT_FOUND', unavailable: undefined });
      if (target === 'pg') {
        // Another transaction is working on the seat's row (PGlite has one connection: nothing else can hold a row
        // while a request runs). Before the fail-fast check the order queued behind it until lock_timeout (503).
        const other = new pg.Client({ connectionString: s.config.databaseUrl });
        await other.connect();
        try {
          await other.query('BEGIN');
          await other.query(`SELECT 1 FROM seat_inventory WHERE show_date = $1 AND seat_id = '210' FOR UPDATE`, [s.showDate]);
          assert.deepEqual(await order(['210']), { status: 409, ...refused });
        } finally {
          await other.query('ROLLBACK');
          await other.end();
        }
      }
      assert.deepEqual(await order(['210']), { status: 409, ...refused });
      await call(s.url, 'POST', '/api/orders/enhanced/seats/release', { body: { showDate: s.showDate, seatIds: ['210'] }, headers: holder.auth });
      const bought = await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['210'] }, headers: buyer.auth });
      assert.equal(bought.status, 201, 'released: the buyer gets it');
      // a double click of the same order without Idempotency-Key is still answered with that order, not a 409
      const again = await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['210'] }, headers: buyer.auth });
      assert.equal(again.body.order?.id, bought.body.order.id);
    });

    it('locks, releases, orders and cancels racing on the same seats keep every invariant', async () => {
      const users = await s.users(30);
      const seats = ['401', '402', '403', '404', '407', '408'];
      const ops = users.flatMap((u, i) => {
        const mine = [seats[i % seats.length], seats[(i + 1) % seats.length]];
        return [
          call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: mine }, headers: u.auth }),
          call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: mine }, headers: u.auth }).then(async (r) => {
            if (r.status === 201 && i % 2 === 0) await call(s.url, 'PATCH', `/api/v1/orders/${r.body.order.id}/cancel`, { headers: u.auth });
            return r;
          }),
          call(s.url, 'POST', '/api/orders/enhanced/seats/release', { body: { showDate: s.showDate, seatIds: mine }, headers: u.auth }),
        ];
      });
      const results = await Promise.all(ops);
      assert.ok(results.every((r) => r.status < 500), JSON.stringify(results.filter((r) => r.status >= 500).map((r) => r.body)));
      await checkInvariants(s.db);
    });
  });
}
