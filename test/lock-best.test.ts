import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';
import { checkInvariants } from './helpers/invariants.ts';
import { addDays, dayIn } from '../src/modules/catalog/dates.ts';
import { demoVenue } from '../src/modules/catalog/venue.ts';

const VENUE = demoVenue();

for (const target of dbTargets()) {
  describe(`lock-best on ${target}`, () => {
    let s: TestServer;
    let admin: TestUser;
    let buyers: TestUser[];
    let day: string;
    const best = (u: TestUser, body: Record<string, unknown>) => call(s.url, 'POST', '/api/orders/enhanced/seats/lock-best', { body: { showDate: day, ...body }, headers: u.auth });
    /** The line (row) of the venue that holds all the seats, with their positions in it. */
    const lineOf = (ids: string[]) => {
      const line = VENUE.lines.find((l) => ids.every((id) => l.cells.includes(id)));
      assert.ok(line, `seats ${ids} are not in one row`);
      const at = ids.map((id) => line!.cells.indexOf(id)).sort((a, b) => a - b);
      at.forEach((p, i) => i === 0 || assert.equal(p, at[i - 1] + 1, `seats ${ids} are not side by side`));
      return line!;
    };

    before(async () => {
      s = await startTestServer({ target });
      admin = await s.user('admin');
      buyers = await s.users(22);
      day = addDays(dayIn('Asia/Bangkok', s.clock.now()), 60);
      ok(await call(s.url, 'POST', '/api/v1/shows', { body: { showDate: day }, headers: admin.auth }), 201);
    });
    after(async () => {
      await checkInvariants(s.db);
      await s.close();
    });

    it('locks seats side by side nearest the ring, passing over a block that would strand one seat', async () => {
      // front ringside, row A: 204 alone, then 203 202 201 together; two of those three would strand the third
      const res = ok(await best(buyers[0], { quantity: 2, zoneId: 'front-ringside' }));
      assert.equal(res.body.seatIds.length, 2);
      assert.equal(res.body.lockedBy, buyers[0].id);
      const line = lineOf(res.body.seatIds);
      assert.equal(line.zoneId, 'front-ringside');
      const map = (await call(s.url, 'GET', `/api/v1/shows/${day}/seats`)).body;
      const rows = new Set(res.body.seatIds.map((id: string) => map.seats.find((x: any) => x.id === id).row));
      assert.deepEqual([...rows], ['B']);
      for (const id of res.body.seatIds) assert.equal(map.seats.find((x: any) => x.id === id).status, 'LOCKED');
    });

    it('20 buyers at once: everyone gets a block of their own, no seat granted twice', async () => {
      const answers = await Promise.all(buyers.slice(1, 21).map((u) => best(u, { quantity: 2, zoneId: 'left' })));
      assert.deepEqual(answers.map((a) => a.status), answers.map(() => 200), JSON.stringify(answers.find((a) => a.status !== 200)?.body));
      const granted = answers.flatMap((a) => a.body.seatIds);
      assert.equal(new Set(granted).size, 40, 'a seat was granted twice');
      for (const a of answers) assert.equal(lineOf(a.body.seatIds).zoneId, 'left');
      const { rows } = await s.db.query<{ holder_id: string; n: number }>(
        `SELECT holder_id, count(*)::int AS n FROM seat_inventory WHERE show_date = $1 AND state = 'LOCKED' AND seat_id = ANY ($2) GROUP BY holder_id`,
        [day, granted],
      );
      assert.equal(rows.length, 20);
      assert.ok(rows.every((r) => r.n === 2));
    });

    it('no block of that size → 409 NO_ADJACENT_SEATS; unknown zone, closed sales and the cap are refused', async () => {
      const u = buyers[21];
      ok(await best(u, { quantity: 10, zoneId: 'back-right' }));
      const none = await best(buyers[0], { quantity: 9, zoneId: 'back-right' });
      assertError(none, 409, 'NO_ADJACENT_SEATS');
      assertError(await best(u, { quantity: 1, zoneId: 'balcony' }), 404, 'NOT_FOUND');
      assertError(await best(u, { quantity: 1 }), 422, 'LOCK_LIMIT_EXCEEDED');
      assertError(await best(buyers[0], { quantity: 11 }), 422, 'LOCK_LIMIT_EXCEEDED');
      assertError(await best(buyers[0], { quantity: 0 }), 400, 'VALIDATION_FAILED');
      ok(await call(s.url, 'PATCH', `/api/v1/shows/${day}`, { body: { status: 'CLOSED' }, headers: admin.auth }));
      assertError(await best(buyers[0], { quantity: 1 }), 409, 'SALES_CLOSED');
      assertError(await call(s.url, 'POST', '/api/orders/enhanced/seats/lock-best', { body: { showDate: addDays(day, 1), quantity: 1 }, headers: u.auth }), 404, 'SHOW_NOT_FOUND');
    });
  });
}
