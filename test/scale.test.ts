import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';
import { checkInvariants } from './helpers/invariants.ts';
import { addDays, dayIn } from '../src/modules/catalog/dates.ts';

/** Generated nights on top of the three the seed opens (issue 13: thousands of shows, at small scale for behaviour). */
const GENERATED = 2_000;
/** The generated nights (counted from the first) the tests sell seats of. */
const SOLD_NIGHT = 1234;
const ORDERS_NIGHT = 77;

for (const target of dbTargets()) {
  describe(`shows list and order lists at scale on ${target}`, () => {
    let s: TestServer;
    let admin: TestUser;
    let staff: TestUser;
    let buyer: TestUser;
    let today: string;
    let venueSeats: number;
    const list = async (query: string) => ok(await call(s.url, 'GET', `/api/v1/shows${query}`)).body;

    before(async () => {
      s = await startTestServer({ target });
      [admin, staff, buyer] = [await s.user('admin'), await s.user('staff'), await s.user()];
      today = dayIn('Asia/Bangkok', s.clock.now());
      venueSeats = (await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM seats')).rows[0].n;
      // 2,000 more nights from today+10, opened the way insertShow opens them; only the nights the tests sell get their
      // inventory rows (2,000 × 315 rows take a minute on PGlite, and the list reads only the taken ones anyway)
      await s.db.tx(async (q) => {
        await q.query(
          `INSERT INTO shows (show_date, title, starts_at, sales_close_at, seat_count)
           SELECT d, 'Night ' || d, (d + time '21:00') AT TIME ZONE 'Asia/Bangkok', (d + time '22:00') AT TIME ZONE 'Asia/Bangkok', $3::int
             FROM (SELECT $1::date + n AS d FROM generate_series(0, $2::int - 1) n) g`,
          [addDays(today, 10), GENERATED, venueSeats],
        );
        await q.query(
          `INSERT INTO seat_inventory (show_date, seat_id, state)
           SELECT sh.show_date, st.id, 'AVAILABLE' FROM shows sh CROSS JOIN seats st WHERE sh.show_date = ANY ($1::date[])`,
          [[SOLD_NIGHT, ORDERS_NIGHT].map((n) => addDays(today, 10 + n))],
        );
        // two nights that are over (before today, sales closed) and one before today still selling past midnight
        await q.query(
          `INSERT INTO shows (show_date, title, starts_at, sales_close_at, seat_count) VALUES
             ($1, 'Long over', $1::date + time '21:00', $1::date + time '22:00', 0),
             ($2, 'Over', $2::date + time '21:00', $2::date + time '22:00', 0),
             ($3, 'Still selling', $3::date + time '21:00', $4, 0)`,
          [addDays(today, -400), addDays(today, -2), addDays(today, -1), new Date(s.clock.now().getTime() + 3 * 3_600_000)],
        );
      });
    });
    after(async () => {
      await checkInvariants(s.db);
      await s.close();
    });

    it('pages through every upcoming night in date order by cursor, none twice, none left out', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await list(`?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
        assert.ok(page.items.length <= 200);
        seen.push(...page.items.map((x: { showDate: string }) => x.showDate));
        cursor = page.nextCursor;
        if (cursor) assert.equal(cursor, page.items[page.items.length - 1].showDate, 'the cursor is where the page ended');
        pages++;
      } while (cursor);
      // the night still selling after midnight, the three seeded nights, the generated ones; not the two that are over
      assert.equal(seen.length, 1 + 3 + GENERATED);
      assert.equal(new Set(seen).size, seen.length, 'a night listed twice');
      assert.deepEqual(seen, [...seen].sort(), 'date order');
      assert.equal(seen[0], addDays(today, -1), 'the night still selling comes first');
      assert.equal(seen[1], today);
      assert.equal(seen[seen.length - 1], addDays(today, 10 + GENERATED - 1));
      assert.equal(pages, Math.ceil(seen.length / 200));
    });

    it('gives 50 shows a page by default, the nights that are over only with includePast, and refuses a bad page', async () => {
      const first = await list('');
      assert.equal(first.items.length, 50);
      assert.equal(first.nextCursor, first.items[49].showDate);
      const past = await list('?includePast=true&limit=3');
      assert.deepEqual(
        past.items.map((x: { title: string }) => x.title),
        ['Long over', 'Over', 'Still selling'],
      );
      const last = await list(`?cursor=${addDays(today, 10 + GENERATED - 2)}`);
      assert.equal(last.items.length, 1);
      assert.equal(last.nextCursor, undefined, 'no cursor on the last page');
      assertError(await call(s.url, 'GET', '/api/v1/shows?limit=201'), 400, 'VALIDATION_FAILED');
      assertError(await call(s.url, 'GET', '/api/v1/shows?limit=0'), 400, 'VALIDATION_FAILED');
      assertError(await call(s.url, 'GET', '/api/v1/shows?cursor=2026-02-31'), 400, 'VALIDATION_FAILED');
      assertError(await call(s.url, 'GET', '/api/v1/shows?cursor=abc'), 400, 'VALIDATION_FAILED');
    });

    it('counts each night right after holds, orders, blocks, expiry and a cancel, in the list, the show and stats alike', async () => {
      const night = addDays(today, 10 + SOLD_NIGHT);
      const countsOf = async () => {
        const page = await list(`?limit=1&cursor=${addDays(night, -1)}`);
        assert.equal(page.items[0].showDate, night);
        const one = ok(await call(s.url, 'GET', `/api/v1/shows/${night}`)).body.show;
        const stats = ok(await call(s.url, 'GET', '/api/orders/enhanced/stats', { headers: staff.auth })).body;
        const inStats = stats.shows.find((x: { showDate: string }) => x.showDate === night).counts;
        assert.deepEqual(one.counts, page.items[0].counts, 'GET /shows/:showDate and the list agree');
        assert.deepEqual(inStats, page.items[0].counts, 'stats and the list agree');
        return page.items[0].counts;
      };
      assert.deepEqual(await countsOf(), { available: venueSeats, locked: 0, booked: 0, blocked: 0 });

      ok(await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: night, seatIds: ['301', '302'] }, headers: buyer.auth }));
      const order = ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: night, seatIds: ['401', '402', '403'] }, headers: buyer.auth }), 201).body.order;
      ok(await call(s.url, 'POST', `/api/v1/shows/${night}/seats/block`, { body: { seatIds: ['470'], reason: 'camera' }, headers: admin.auth }));
      assert.deepEqual(await countsOf(), { available: venueSeats - 6, locked: 2, booked: 3, blocked: 1 });

      ok(await call(s.url, 'PATCH', `/api/v1/orders/${order.id}/cancel`, { body: {}, headers: buyer.auth }));
      assert.deepEqual(await countsOf(), { available: venueSeats - 3, locked: 2, booked: 0, blocked: 1 });

      // a hold past its expiry counts as available before any sweep (lazy expiry)
      s.clock.advance(s.config.seatLockTtlMs + 1000);
      assert.deepEqual(await countsOf(), { available: venueSeats - 1, locked: 0, booked: 0, blocked: 1 });
      assertError(await call(s.url, 'GET', `/api/v1/shows/${addDays(today, 5)}`), 404, 'SHOW_NOT_FOUND');
    });

    it('lists staff orders newest first by cursor (keyset), the same orders as by page, ties on the time kept apart', async () => {
      const night = addDays(today, 10 + ORDERS_NIGHT);
      const seatIds = ['301', '302', '303', '304', '305', '306', '307'];
      const made: string[] = [];
      // the test clock stands still: all seven orders share created_at unless the clock moves; move it for four of them
      for (const [i, seat] of seatIds.entries()) {
        const buyerN = await s.user();
        made.push(ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: night, seatIds: [seat] }, headers: buyerN.auth }), 201).body.order.id);
        if (i % 2 === 1) s.clock.advance(1000);
      }
      const byCursor: string[] = [];
      let cursor: string | undefined;
      do {
        const res = ok(await call(s.url, 'GET', `/api/v1/orders?showDate=${night}&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { headers: staff.auth })).body;
        assert.ok(res.items.length <= 3);
        assert.equal(res.total, 7);
        byCursor.push(...res.items.map((o: { id: string }) => o.id));
        cursor = res.nextCursor;
      } while (cursor);
      const byPage: string[] = [];
      for (const page of [1, 2, 3]) {
        byPage.push(...ok(await call(s.url, 'GET', `/api/v1/orders?showDate=${night}&limit=3&page=${page}`, { headers: staff.auth })).body.items.map((o: { id: string }) => o.id));
      }
      assert.equal(byCursor.length, 7);
      assert.deepEqual(new Set(byCursor), new Set(made));
      assert.deepEqual(byCursor, byPage, 'cursor and page agree');
      assertError(await call(s.url, 'GET', `/api/v1/orders?cursor=not-an-id`, { headers: staff.auth }), 400, 'VALIDATION_FAILED');
    });
  });
}
