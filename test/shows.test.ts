import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';
import { checkInvariants } from './helpers/invariants.ts';
import { TestSocket, assertEventShape } from './helpers/socket.ts';
import { addDays, dayIn } from '../src/modules/catalog/dates.ts';

const HOUR = 3_600_000;

for (const target of dbTargets()) {
  describe(`show lifecycle, prices and blocked seats on ${target}`, () => {
    let s: TestServer;
    let admin: TestUser;
    let staff: TestUser;
    let a: TestUser;
    let b: TestUser;
    let c: TestUser;
    let staffSocket: TestSocket;
    const today = () => dayIn('Asia/Bangkok', s.clock.now());
    const open = (body: Record<string, unknown>) => call(s.url, 'POST', '/api/v1/shows', { body, headers: admin.auth });
    const patch = (day: string, body: Record<string, unknown>, u = admin) => call(s.url, 'PATCH', `/api/v1/shows/${day}`, { body, headers: u.auth });
    const lock = (u: TestUser, day: string, seatIds: string[]) => call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: day, seatIds }, headers: u.auth });
    const order = (u: TestUser, day: string, seatIds: string[]) => call(s.url, 'POST', '/api/v1/orders', { body: { showDate: day, seatIds }, headers: u.auth });
    const block = (day: string, seatIds: string[], reason = 'broken', u = admin) =>
      call(s.url, 'POST', `/api/v1/shows/${day}/seats/block`, { body: { seatIds, reason }, headers: u.auth });
    const unblock = (day: string, seatIds: string[]) => call(s.url, 'POST', `/api/v1/shows/${day}/seats/unblock`, { body: { seatIds }, headers: admin.auth });
    const seatMap = async (day: string) => ok(await call(s.url, 'GET', `/api/v1/shows/${day}/seats`)).body;
    const seat = async (day: string, id: string) => (await seatMap(day)).seats.find((x: any) => x.id === id);
    const show = async (day: string, includePast = false) =>
      (await call(s.url, 'GET', `/api/v1/shows${includePast ? '?includePast=true' : ''}`)).body.items.find((x: any) => x.showDate === day);
    /** A future night nobody else in this file uses. */
    let nextNight = 40;
    const night = () => addDays(today(), nextNight++);

    before(async () => {
      // the product's own sales close (an hour after the start): this suite tests it
      s = await startTestServer({ target, config: { salesCloseAfterStartMin: 60 } });
      admin = await s.user('admin');
      staff = await s.user('staff');
      [a, b, c] = await s.users(3);
      staffSocket = await TestSocket.connect(s.url, { token: staff.token });
    });
    after(async () => {
      staffSocket?.close();
      await checkInvariants(s.db);
      await s.close();
    });

    it('opens a night at SHOW_START_TIME venue time with sales closing an hour later, or at the times and prices given', async () => {
      const seeded = await show(s.showDate);
      assert.equal(seeded.startsAt, new Date(`${s.showDate}T21:00:00+07:00`).toISOString());
      assert.equal(seeded.salesCloseAt, new Date(`${s.showDate}T22:00:00+07:00`).toISOString());
      assert.equal(seeded.status, 'ON_SALE');
      assert.equal(seeded.salesOpen, true);
      assert.deepEqual(seeded.prices, { 'back-left': 1800, 'back-right': 1800, left: 1800, right: 1800, 'front-ringside': 1800, 'standing-adult': 1500, 'standing-child': 1200 });

      const day = night();
      const res = await open({ showDate: day, title: 'Gala', startsAt: `${day}T19:30:00+07:00`, prices: { 'front-ringside': 2500, 'standing-adult': 1700 } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.show.startsAt, new Date(`${day}T19:30:00+07:00`).toISOString());
      assert.equal(res.body.show.salesCloseAt, new Date(`${day}T20:30:00+07:00`).toISOString());
      assert.equal(res.body.show.prices['front-ringside'], 2500);
      assert.equal(res.body.show.prices.left, 1800);
      assert.deepEqual(res.body.show.priceOverrides, { 'front-ringside': 2500, 'standing-adult': 1700 });

      const bad = night();
      const unknownZone = await open({ showDate: bad, prices: { balcony: 900 } });
      assertError(unknownZone, 404, 'NOT_FOUND');
      assert.deepEqual(unknownZone.body.details.unknownPriceKeys, ['balcony']);
      assertError(await open({ showDate: bad, prices: { left: -1 } }), 400, 'VALIDATION_FAILED');
      assertError(await open({ showDate: bad, startsAt: `${addDays(bad, 2)}T21:00:00+07:00` }), 400, 'VALIDATION_FAILED');
      assertError(await open({ showDate: '2019-06-01' }), 422, 'SHOW_IN_PAST');
      assertError(await open({ showDate: addDays(today(), -1) }), 422, 'SHOW_IN_PAST');
      assert.equal(await show(bad), undefined, 'nothing was created by the refused requests');
    });

    it('an admin edits, closes and reopens a show; closed sales refuse locks and orders', async () => {
      const day = night();
      ok(await open({ showDate: day }), 201);
      assertError(await patch(day, { status: 'CLOSED' }, staff), 403, 'FORBIDDEN');
      const closed = ok(await patch(day, { status: 'CLOSED', title: 'Postponed' })).body.show;
      assert.equal(closed.status, 'CLOSED');
      assert.equal(closed.salesOpen, false);
      assert.equal(closed.title, 'Postponed');
      const refused = await lock(a, day, ['301']);
      assertError(refused, 409, 'SALES_CLOSED');
      assertError(await order(a, day, ['301']), 409, 'SALES_CLOSED');

      // moving the start moves the close with it
      const moved = ok(await patch(day, { status: 'ON_SALE', startsAt: `${day}T20:00:00+07:00` })).body.show;
      assert.equal(moved.salesOpen, true);
      assert.equal(moved.salesCloseAt, new Date(`${day}T21:00:00+07:00`).toISOString());
      ok(await lock(a, day, ['301']));
      assertError(await patch(day, { prices: { nowhere: 1 } }), 404, 'NOT_FOUND');
      assertError(await patch(day, {}), 400, 'VALIDATION_FAILED');
      assertError(await patch(addDays(day, 300), { title: 'x' }), 404, 'SHOW_NOT_FOUND');
    });

    it('sales close by themselves at salesCloseAt (fake clock), and reopening needs a later close', async () => {
      const day = night();
      const closeAt = new Date(s.clock.now().getTime() + HOUR);
      ok(await open({ showDate: day, salesCloseAt: closeAt.toISOString() }), 201);
      ok(await order(a, day, ['101']), 201);
      s.clock.advance(HOUR);
      assert.equal((await show(day)).salesOpen, false);
      assert.equal((await show(day)).status, 'ON_SALE');
      assertError(await order(a, day, ['102']), 409, 'SALES_CLOSED');
      // the lock SQL decides it too (bo_take_seats), the status still being ON_SALE
      assertError(await lock(a, day, ['102']), 409, 'SALES_CLOSED');
      assert.equal((await seat(day, '102')).status, 'AVAILABLE');
      assertError(await patch(day, { status: 'ON_SALE' }), 400, 'VALIDATION_FAILED');
      const later = new Date(s.clock.now().getTime() + HOUR).toISOString();
      assert.equal(ok(await patch(day, { salesCloseAt: later })).body.show.salesOpen, true);
      ok(await order(a, day, ['102']), 201);
    });

    it('orders pay the show\'s price; a price change applies to new orders only; the snapshot shows the show\'s price', async () => {
      const day = night();
      ok(await open({ showDate: day, prices: { 'front-ringside': 2500 } }), 201);
      const zone = (map: any, id: string) => map.zones.find((z: any) => z.id === id);
      assert.equal(zone(await seatMap(day), 'front-ringside').price, 2500);
      assert.equal(zone(await seatMap(day), 'left').price, 1800);
      const first = ok(await order(a, day, ['201', '301']), 201).body.order;
      assert.deepEqual(first.seats, [{ seatId: '201', zoneId: 'front-ringside', price: 2500 }, { seatId: '301', zoneId: 'left', price: 1800 }]);
      assert.equal(first.total, 4300);

      ok(await patch(day, { prices: { 'front-ringside': 3000, left: 1000 } }));
      assert.equal(zone(await seatMap(day), 'front-ringside').price, 3000);
      const second = ok(await order(b, day, ['202']), 201).body.order;
      assert.equal(second.total, 3000);
      const again = ok(await call(s.url, 'GET', `/api/v1/orders/${first.id}`, { headers: a.auth })).body.order;
      assert.equal(again.total, 4300, 'an order keeps the prices it was sold at');
      assert.deepEqual(again.seats.map((x: any) => x.price), [2500, 1800]);
      ok(await call(s.url, 'POST', `/api/v1/orders/${first.id}/payments`, { body: { method: 'cash', amount: 4300, reference: 'R1' }, headers: staff.auth }));

      const reverted = ok(await patch(day, { prices: { 'front-ringside': null } })).body.show;
      assert.equal(reverted.prices['front-ringside'], 1800);
      assert.deepEqual(reverted.priceOverrides, { left: 1000 });
    });

    it('an admin blocks and unblocks seats with a reason; held and booked seats cannot be blocked', async () => {
      const day = night();
      ok(await open({ showDate: day }), 201);
      const watcher = await TestSocket.connect(s.url, { shows: [day] });
      try {
        ok(await lock(a, day, ['305']));
        ok(await order(b, day, ['306']), 201);
        const held = await block(day, ['304', '305', '306'], 'camera');
        assertError(held, 409, 'SEAT_UNAVAILABLE');
        assert.deepEqual(held.body.details.unavailable, [{ seatId: '305', status: 'LOCKED' }, { seatId: '306', status: 'BOOKED' }]);
        assert.equal((await seat(day, '304')).status, 'AVAILABLE', 'all or nothing');
        assertError(await block(day, ['304'], 'broken', staff), 403, 'FORBIDDEN');
        assertError(await block(day, ['304', 'Z99']), 404, 'SEAT_NOT_FOUND');
        assertError(await block(addDays(day, 400), ['304']), 404, 'SHOW_NOT_FOUND');
        assertError(await call(s.url, 'POST', `/api/v1/shows/${day}/seats/block`, { body: { seatIds: ['304'] }, headers: admin.auth }), 400, 'VALIDATION_FAILED');

        assert.deepEqual(ok(await block(day, ['304', '303'], 'broken')).body, { showDate: day, seatIds: ['303', '304'] });
        const blocked = await watcher.next('seat-blocked');
        assertEventShape('seat-blocked', blocked);
        assert.deepEqual(blocked.seatIds, ['303', '304']);
        const blockedSeat = await seat(day, '304');
        assert.equal(blockedSeat.status, 'BLOCKED');
        assert.equal(blockedSeat.blockReason, 'broken');
        assert.equal((await show(day)).counts.blocked, 2);
        assertError(await lock(c, day, ['304']), 409, 'SEAT_UNAVAILABLE');
        assertError(await order(c, day, ['303']), 409, 'SEAT_UNAVAILABLE');

        assert.deepEqual(ok(await unblock(day, ['304', '301'])).body, { showDate: day, seatIds: ['304'] });
        const released = await watcher.next('seat-released', (e) => e.reason === 'unblocked');
        assertEventShape('seat-released', released);
        assert.deepEqual(released.seatIds, ['304']);
        assert.equal(released.seq, blocked.seq + 1);
        assert.equal((await seat(day, '304')).blockReason, undefined);
        ok(await lock(c, day, ['304']));
      } finally {
        watcher.close();
      }
    });

    it('cancelling a show cancels its orders (paid ones due a refund), releases holds, stops sales and tells everyone', async () => {
      const day = night();
      ok(await open({ showDate: day }), 201);
      const watcher = await TestSocket.connect(s.url, { shows: [day] });
      const buyer = await TestSocket.connect(s.url, { token: a.token });
      try {
        const pending = ok(await order(a, day, ['201', '202']), 201).body.order;
        const paid = ok(await order(b, day, ['203']), 201).body.order;
        ok(await call(s.url, 'POST', `/api/v1/orders/${paid.id}/payments`, { body: { method: 'cash', amount: paid.total, reference: 'P1' }, headers: staff.auth }));
        ok(await lock(c, day, ['207', '208']));
        ok(await block(day, ['209']));
        const seqBefore = (await seatMap(day)).seq;
        const from = staffSocket.events.length;

        assertError(await call(s.url, 'POST', `/api/v1/shows/${day}/cancel`, { body: { reason: 'storm' }, headers: staff.auth }), 403, 'FORBIDDEN');
        assertError(await call(s.url, 'POST', `/api/v1/shows/${day}/cancel`, { body: {}, headers: admin.auth }), 400, 'VALIDATION_FAILED');
        const res = ok(await call(s.url, 'POST', `/api/v1/shows/${day}/cancel`, { body: { reason: 'Storm warning' }, headers: admin.auth })).body;
        assert.equal(res.ordersCancelled, 2);
        assert.equal(res.show.status, 'CANCELLED');
        assert.equal(res.show.salesOpen, false);
        assert.equal(res.show.cancelReason, 'Storm warning');
        assert.ok(res.show.cancelledAt);

        const get = async (u: TestUser, id: string) => ok(await call(s.url, 'GET', `/api/v1/orders/${id}`, { headers: u.auth })).body.order;
        const p = await get(a, pending.id);
        assert.equal(p.status, 'CANCELLED');
        assert.equal(p.cancelReason, 'SHOW_CANCELLED');
        assert.equal(p.cancelNote, 'Storm warning');
        assert.equal(p.refundDue, undefined);
        const q = await get(b, paid.id);
        assert.equal(q.status, 'CANCELLED');
        assert.equal(q.cancelReason, 'SHOW_CANCELLED');
        assert.equal(q.refundDue, true);

        const map = await seatMap(day);
        for (const id of ['201', '202', '203', '207', '208']) assert.equal(map.seats.find((x: any) => x.id === id).status, 'AVAILABLE', id);
        assert.equal(map.seats.find((x: any) => x.id === '209').status, 'BLOCKED');
        // one seat-released (reason cancelled) per order and per holder, in seq order right after the cancel
        const events = [];
        for (let seq = seqBefore + 1; seq <= map.seq; seq++) events.push(await watcher.seq(day, seq));
        assert.deepEqual(
          events.map((e) => [e.event, e.reason, e.seatIds.join(',')]).sort(),
          [['seat-released', 'cancelled', '201,202'], ['seat-released', 'cancelled', '203'], ['seat-released', 'cancelled', '207,208']],
        );
        for (const e of events) assertEventShape('seat-released', Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'event')));
        const mine = await buyer.next('order-status-changed', (e) => e.orderId === pending.id && e.status === 'CANCELLED');
        assert.equal(mine.userId, a.id);
        await staffSocket.next('order-status-changed', (e) => e.orderId === paid.id && e.status === 'CANCELLED', 5000, from);
        assert.equal(buyer.of('order-status-changed').filter((e) => e.orderId === paid.id).length, 0, 'another buyer\'s order is not told to me');

        assertError(await lock(c, day, ['201']), 409, 'SALES_CLOSED');
        assertError(await order(c, day, ['201']), 409, 'SALES_CLOSED');
        assertError(await patch(day, { status: 'ON_SALE' }), 409, 'SALES_CLOSED');
        const twice = ok(await call(s.url, 'POST', `/api/v1/shows/${day}/cancel`, { body: { reason: 'again' }, headers: admin.auth })).body;
        assert.equal(twice.ordersCancelled, 0);
        assert.equal(twice.show.cancelReason, 'Storm warning');
        await checkInvariants(s.db);
      } finally {
        watcher.close();
        buyer.close();
      }
    });

    // moves the clock by days: keep it last
    it('the shows list stops offering nights that are over; "today" is the venue\'s day', async () => {
      const first = (await call(s.url, 'GET', '/api/v1/shows')).body.items[0].showDate;
      assert.equal(first, today());
      // to the next 20:00 UTC: it is already 03:00 the next day in Bangkok
      const now = s.clock.now();
      const utc20 = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 20));
      s.clock.advance(utc20.getTime() - now.getTime());
      const utcDay = utc20.toISOString().slice(0, 10);
      assert.equal(today(), addDays(utcDay, 1));
      assertError(await open({ showDate: utcDay }), 422, 'SHOW_IN_PAST');
      const items = (await call(s.url, 'GET', '/api/v1/shows')).body.items.map((x: any) => x.showDate);
      assert.ok(!items.includes(first), 'a night that is over is not offered');
      assert.ok(items.every((d: string) => d >= today()));
      assert.ok((await show(first, true)) !== undefined, 'includePast lists it');
      assert.equal((await show(first, true)).salesOpen, false);
      const status = await call(s.url, 'GET', '/api/orders/enhanced/seats/status/301', { headers: a.auth });
      assert.ok(status.body.showDate >= today(), 'the next show on sale is not one that is over');
    });
  });
}
