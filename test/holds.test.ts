import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';
import { checkInvariants } from './helpers/invariants.ts';

for (const target of dbTargets()) {
  describe(`seat locks on ${target}`, () => {
    let s: TestServer;
    let a: TestUser;
    let b: TestUser;
    let staff: TestUser;
    const lock = (u: TestUser, seatIds: string[], showDate = s.showDate) =>
      call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate, seatIds }, headers: u.auth });
    const release = (u: TestUser, seatIds: string[], showDate = s.showDate) =>
      call(s.url, 'POST', '/api/orders/enhanced/seats/release', { body: { showDate, seatIds }, headers: u.auth });
    const status = (u: TestUser, seatId: string, showDate: string | null = s.showDate) =>
      call(s.url, 'GET', `/api/orders/enhanced/seats/status/${seatId}${showDate ? `?showDate=${showDate}` : ''}`, { headers: u.auth });

    before(async () => {
      s = await startTestServer({ target });
      [a, b] = await s.users(2);
      staff = await s.user('staff');
    });
    after(() => s.close());

    it('locks seats for the TTL and shows them LOCKED to everyone', async () => {
      const t0 = s.clock.now().getTime();
      const res = await lock(a, ['101', '102']);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.seatIds, ['101', '102']);
      assert.equal(res.body.lockedBy, a.id);
      assert.equal(new Date(res.body.expiresAt).getTime(), t0 + s.config.seatLockTtlMs);
      const st = await status(b, '101');
      assert.deepEqual(st.body, { seatId: '101', showDate: s.showDate, status: 'LOCKED', expiresAt: res.body.expiresAt, lockedBy: a.id });
      const map = await call(s.url, 'GET', `/api/v1/shows/${s.showDate}/seats`);
      assert.equal(map.body.seats.find((x: any) => x.id === '102').status, 'LOCKED');
    });

    it('is all or nothing: one taken seat fails the whole request and names it', async () => {
      const res = await lock(b, ['103', '101', '104']);
      assertError(res, 409, 'SEAT_UNAVAILABLE');
      assert.deepEqual(res.body.details.unavailable, [{ seatId: '101', status: 'LOCKED' }]);
      for (const seat of ['103', '104']) assert.equal((await status(b, seat)).body.status, 'AVAILABLE');
    });

    it('names every unavailable seat', async () => {
      const res = await lock(b, ['101', '102', '105']);
      assertError(res, 409, 'SEAT_UNAVAILABLE');
      assert.deepEqual(res.body.details.unavailable.map((u: any) => u.seatId).sort(), ['101', '102']);
    });

    it('does not extend a lock when the holder locks it again', async () => {
      const first = await lock(a, ['106']);
      s.clock.advance(60_000);
      const again = await lock(a, ['106', '107']);
      assert.equal(again.status, 200);
      assert.equal(again.body.expiresAt, first.body.expiresAt, 'expiresAt is the earliest expiry of the seats');
      assert.equal((await status(a, '106')).body.expiresAt, first.body.expiresAt);
      const seven = await status(a, '107');
      assert.equal(new Date(seven.body.expiresAt).getTime(), s.clock.now().getTime() + s.config.seatLockTtlMs);
      await release(a, ['106', '107']);
    });

    it('frees an expired lock at once for everyone, before any sweep', async () => {
      await lock(a, ['108']);
      s.clock.advance(s.config.seatLockTtlMs + 1);
      assert.equal((await status(b, '108')).body.status, 'AVAILABLE');
      const res = await lock(b, ['108']);
      assert.equal(res.status, 200);
      assert.equal(res.body.lockedBy, b.id);
      await release(b, ['108']);
    });

    it('lets only the holder or staff release; reports what was not held', async () => {
      await lock(a, ['110', '111']);
      const byB = await release(b, ['110', '112']);
      assert.equal(byB.status, 200);
      assert.deepEqual(byB.body, { showDate: s.showDate, released: [], notHeld: ['110', '112'] });
      assert.equal((await status(b, '110')).body.status, 'LOCKED');
      const own = await release(a, ['110']);
      assert.deepEqual(own.body.released, ['110']);
      const byStaff = await release(staff, ['111']);
      assert.deepEqual(byStaff.body.released, ['111']);
      assert.equal((await status(b, '111')).body.status, 'AVAILABLE');
    });

    it('caps the seats one user holds per show: LOCK_LIMIT_EXCEEDED, nothing locked', async () => {
      const [c] = await s.users(1);
      const ten = Array.from({ length: 10 }, (_, i) => String(206 + i));
      assert.equal((await lock(c, ten)).status, 200);
      const more = await lock(c, ['220']);
      assertError(more, 422, 'LOCK_LIMIT_EXCEEDED');
      assert.deepEqual(more.body.details, { max: 10, held: 10, requested: 1 });
      assert.equal((await status(c, '220')).body.status, 'AVAILABLE');
      const shows = await call(s.url, 'GET', '/api/v1/shows');
      const otherShow = shows.body.items.find((x: any) => x.showDate !== s.showDate).showDate;
      assert.equal((await lock(c, ['220'], otherShow)).status, 200);
      await release(c, ten);
      await release(c, ['220'], otherShow);
    });

    it('never locks a BLOCKED seat', async () => {
      await s.db.query(`UPDATE seat_inventory SET state = 'BLOCKED' WHERE show_date = $1 AND seat_id = '230'`, [s.showDate]);
      const res = await lock(a, ['230']);
      assertError(res, 409, 'SEAT_UNAVAILABLE');
      assert.deepEqual(res.body.details.unavailable, [{ seatId: '230', status: 'BLOCKED' }]);
      const staffTry = await lock(staff, ['230']);
      assertError(staffTry, 409, 'SEAT_UNAVAILABLE');
    });

    it('answers unknown seats, unknown shows and bad input with their codes', async () => {
      const unknown = await lock(a, ['101', 'X999']);
      assertError(unknown, 404, 'SEAT_NOT_FOUND');
      assert.deepEqual(unknown.body.details.seatIds, ['X999']);
      assertError(await lock(a, ['101'], '2040-01-01'), 404, 'SHOW_NOT_FOUND');
      assertError(await lock(a, ['101'], '2040-02-31'), 400, 'VALIDATION_FAILED');
      assertError(await lock(a, []), 400, 'VALIDATION_FAILED');
      assertError(await lock(a, ['101', '101']), 400, 'VALIDATION_FAILED');
      assertError(await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: '101' }, headers: a.auth }), 400, 'VALIDATION_FAILED');
      assertError(await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: ['101'] } }), 401, 'UNAUTHENTICATED');
      assertError(await status(a, 'X999'), 404, 'SEAT_NOT_FOUND');
      assertError(await release(a, ['101'], '2040-01-01'), 404, 'SHOW_NOT_FOUND');
    });

    it('refuses locks when sales are closed: SALES_CLOSED', async () => {
      const shows = await call(s.url, 'GET', '/api/v1/shows');
      const last = shows.body.items.at(-1).showDate;
      await s.db.query(`UPDATE shows SET status = 'CLOSED' WHERE show_date = $1`, [last]);
      assertError(await lock(a, ['101'], last), 409, 'SALES_CLOSED');
      await s.db.query(`UPDATE shows SET status = 'ON_SALE' WHERE show_date = $1`, [last]);
    });

    it('without showDate, reports the seat in the next show on sale', async () => {
      const shows = await call(s.url, 'GET', '/api/v1/shows');
      const res = await status(a, '301', null);
      assert.equal(res.status, 200, JSON.stringify(shows.body));
      assert.equal(res.body.showDate, shows.body.items[0].showDate, JSON.stringify(shows.body.items));
    });

    it('releases expired locks in the sweep and counts them in stats', async () => {
      const admin = await s.user('admin');
      await call(s.url, 'POST', '/api/orders/enhanced/cleanup', { headers: admin.auth });
      await lock(a, ['240', '241']);
      s.clock.advance(s.config.seatLockTtlMs + 1);
      const before = await call(s.url, 'GET', '/api/orders/enhanced/stats', { headers: staff.auth });
      const res = await call(s.url, 'POST', '/api/orders/enhanced/cleanup', { headers: admin.auth });
      assert.equal(res.status, 200);
      assert.ok(res.body.releasedLocks >= 2, JSON.stringify(res.body));
      const row = await s.db.query<{ state: string }>(`SELECT state FROM seat_inventory WHERE show_date = $1 AND seat_id = '240'`, [s.showDate]);
      assert.equal(row.rows[0].state, 'AVAILABLE');
      const after = await call(s.url, 'GET', '/api/orders/enhanced/stats', { headers: staff.auth });
      assert.equal(after.body.locksExpired - before.body.locksExpired, res.body.releasedLocks);
      assert.ok(after.body.lockConflicts >= 4, 'the 409s above are counted');
      await checkInvariants(s.db);
    });
  });
}
