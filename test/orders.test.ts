import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';
import { checkInvariants } from './helpers/invariants.ts';

for (const target of dbTargets()) {
  describe(`orders on ${target}`, () => {
    let s: TestServer;
    let a: TestUser;
    let b: TestUser;
    let staff: TestUser;
    let admin: TestUser;
    const lock = (u: TestUser, seatIds: string[]) => call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds }, headers: u.auth });
    const order = (u: TestUser, seatIds: string[], extra: Record<string, unknown> = {}, key?: string) =>
      call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds, ...extra }, headers: { ...u.auth, ...(key ? { 'idempotency-key': key } : {}) } });
    const seatState = async (seatId: string) =>
      (await s.db.query<{ state: string }>('SELECT state FROM seat_inventory WHERE show_date = $1 AND seat_id = $2', [s.showDate, seatId])).rows[0].state;
    const pay = (u: TestUser, id: string, amount: number, reference = 'R-1') =>
      call(s.url, 'POST', `/api/v1/orders/${id}/payments`, { body: { method: 'cash', amount, reference }, headers: u.auth });

    before(async () => {
      s = await startTestServer({ target });
      [a, b] = await s.users(2);
      staff = await s.user('staff');
      admin = await s.user('admin');
    });
    after(async () => {
      await checkInvariants(s.db);
      await s.close();
    });

    it('turns my locks into a PENDING order priced by the server', async () => {
      await lock(a, ['301', '302']);
      const t0 = s.clock.now().getTime();
      const res = await order(a, ['302', '301'], { customerName: 'Somchai', customerPhone: '+66 81 234 5678', price: 1 });
      assertError(res, 400, 'VALIDATION_FAILED'); // a client cannot send a price
      const ok = await order(a, ['302', '301'], { customerName: 'Somchai', customerPhone: '+66 81 234 5678' });
      assert.equal(ok.status, 201);
      const o = ok.body.order;
      assert.equal(o.status, 'PENDING');
      assert.equal(o.total, 3600);
      assert.equal(o.currency, 'THB');
      assert.deepEqual(o.seats, [{ seatId: '301', zoneId: 'left', price: 1800 }, { seatId: '302', zoneId: 'left', price: 1800 }]);
      assert.equal(o.userId, a.id);
      assert.equal(o.customerName, 'Somchai');
      assert.equal(new Date(o.expiresAt).getTime(), t0 + s.config.orderPaymentTtlMs);
      assert.equal(await seatState('301'), 'BOOKED');
      const map = await call(s.url, 'GET', `/api/v1/shows/${s.showDate}/seats`);
      assert.equal(map.body.seats.find((x: any) => x.id === '302').status, 'BOOKED');
    });

    it('orders available seats directly, atomically', async () => {
      const res = await order(a, ['303']);
      assert.equal(res.status, 201);
      assert.equal(await seatState('303'), 'BOOKED');
    });

    it('refuses seats locked or booked by someone else, all or nothing', async () => {
      await lock(b, ['304']);
      const res = await order(a, ['305', '304', '301']);
      assertError(res, 409, 'SEAT_UNAVAILABLE');
      assert.deepEqual(res.body.details.unavailable, [{ seatId: '301', status: 'BOOKED' }, { seatId: '304', status: 'LOCKED' }]);
      assert.equal(await seatState('305'), 'AVAILABLE');
      assertError(await order(a, ['X1']), 404, 'SEAT_NOT_FOUND');
      const shows = await call(s.url, 'GET', '/api/v1/shows');
      assert.ok(shows.body.items.length > 0);
      assertError(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: '2041-01-01', seatIds: ['301'] }, headers: a.auth }), 404, 'SHOW_NOT_FOUND');
    });

    it('replays a retried request with the same Idempotency-Key and creates nothing new', async () => {
      const first = await order(a, ['306'], {}, 'key-306');
      assert.equal(first.status, 201);
      const again = await order(a, ['306'], {}, 'key-306');
      assert.equal(again.status, 200);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body.order, first.body.order);
      const mismatch = await order(a, ['307'], {}, 'key-306');
      assertError(mismatch, 422, 'IDEMPOTENCY_KEY_REUSED');
      assert.equal(await seatState('307'), 'AVAILABLE');
      const { rows } = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE idempotency_key = 'key-306'`);
      assert.equal(rows[0].n, 1);
      // the same key from another user is that user's own key
      const other = await order(b, ['308'], {}, 'key-306');
      assert.equal(other.status, 201);
    });

    it('creates one order for ten concurrent retries with one key', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, () => order(a, ['309'], {}, 'burst-key')));
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      assert.equal(new Set(results.map((r) => r.body.order.id)).size, 1);
    });

    it('answers a double-click without a key with the same order, never a second one', async () => {
      const [x, y] = await Promise.all([order(b, ['310', '311']), order(b, ['311', '310'])]);
      assert.deepEqual([x.status, y.status].sort(), [200, 201]);
      assert.equal(x.body.order.id, y.body.order.id);
      const { rows } = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM order_seats WHERE seat_id = '310' AND show_date = $1`, [s.showDate]);
      assert.equal(rows[0].n, 1);
    });

    it('hides other customers\' orders (404) and shows staff all of them', async () => {
      const mine = (await order(a, ['312'])).body.order;
      assertError(await call(s.url, 'GET', `/api/v1/orders/${mine.id}`, { headers: b.auth }), 404, 'ORDER_NOT_FOUND');
      assertError(await call(s.url, 'PATCH', `/api/v1/orders/${mine.id}/cancel`, { body: {}, headers: b.auth }), 404, 'ORDER_NOT_FOUND');
      assertError(await pay(b, mine.id, mine.total), 403, 'FORBIDDEN');
      assert.equal((await call(s.url, 'GET', `/api/v1/orders/${mine.id}`, { headers: a.auth })).body.order.id, mine.id);
      assert.equal((await call(s.url, 'GET', `/api/v1/orders/${mine.id}`, { headers: staff.auth })).body.order.id, mine.id);
      const listB = await call(s.url, 'GET', '/api/v1/orders?limit=100', { headers: b.auth });
      assert.ok(listB.body.items.every((o: any) => o.userId === b.id));
      const listStaff = await call(s.url, 'GET', '/api/v1/orders?limit=100', { headers: staff.auth });
      assert.ok(listStaff.body.items.some((o: any) => o.userId === a.id) && listStaff.body.items.some((o: any) => o.userId === b.id));
      const staffOwn = (await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['335'] }, headers: staff.auth })).body.order;
      const mineOnly = await call(s.url, 'GET', '/api/v1/orders?limit=100&mine=true', { headers: staff.auth });
      assert.deepEqual(mineOnly.body.items.map((o: any) => o.id), [staffOwn.id], 'mine=true gives staff only their own orders');
      assertError(await call(s.url, 'GET', '/api/v1/orders/not-a-uuid', { headers: a.auth }), 400, 'VALIDATION_FAILED');
      assertError(await call(s.url, 'GET', '/api/v1/orders/00000000-0000-4000-8000-000000000000', { headers: a.auth }), 404, 'ORDER_NOT_FOUND');
    });

    it('lists with filters and pages', async () => {
      const all = await call(s.url, 'GET', '/api/v1/orders?limit=2&page=1&status=PENDING', { headers: a.auth });
      assert.equal(all.status, 200);
      assert.equal(all.body.items.length, 2);
      assert.ok(all.body.total >= 4);
      assert.ok(all.body.items.every((o: any) => o.status === 'PENDING'));
      const page2 = await call(s.url, 'GET', '/api/v1/orders?limit=2&page=2&status=PENDING', { headers: a.auth });
      assert.notEqual(page2.body.items[0].id, all.body.items[0].id);
      assertError(await call(s.url, 'GET', '/api/v1/orders?limit=1000', { headers: a.auth }), 400, 'VALIDATION_FAILED');
      assertError(await call(s.url, 'GET', '/api/v1/orders?status=LOST', { headers: a.auth }), 400, 'VALIDATION_FAILED');
    });

    it('lets the owner cancel a PENDING order once; the seats are free again', async () => {
      const o = (await order(a, ['313', '314'])).body.order;
      const res = await call(s.url, 'PATCH', `/api/v1/orders/${o.id}/cancel`, { body: { reason: 'changed my mind' }, headers: a.auth });
      assert.equal(res.status, 200);
      assert.equal(res.body.order.status, 'CANCELLED');
      assert.equal(res.body.order.cancelReason, 'USER');
      assert.equal(res.body.order.cancelNote, 'changed my mind');
      assert.equal(await seatState('313'), 'AVAILABLE');
      assertError(await call(s.url, 'PATCH', `/api/v1/orders/${o.id}/cancel`, { headers: a.auth }), 409, 'ORDER_NOT_CANCELLABLE');
      assert.equal((await lock(b, ['313'])).status, 200);
    });

    it('records a payment of exactly the total; refuses other amounts and cancelled orders', async () => {
      const o = (await order(a, ['315'])).body.order;
      assertError(await pay(staff, o.id, o.total - 1), 422, 'PAYMENT_AMOUNT_MISMATCH');
      const paid = await pay(staff, o.id, o.total, 'RCPT-9');
      assert.equal(paid.status, 200);
      assert.equal(paid.body.order.status, 'PAID');
      assert.equal(typeof paid.body.order.paidAt, 'string');
      assert.deepEqual(paid.body.order.payment, { method: 'cash', amount: o.total, reference: 'RCPT-9' });
      const retry = await pay(staff, o.id, o.total, 'RCPT-9');
      assert.equal(retry.status, 200, 'recording the same payment again is safe');
      assertError(await pay(staff, o.id, o.total, 'RCPT-10'), 409, 'ORDER_NOT_PAYABLE');
      assertError(await call(s.url, 'PATCH', `/api/v1/orders/${o.id}/cancel`, { headers: a.auth }), 409, 'ORDER_NOT_CANCELLABLE');
      const c = (await order(a, ['316'])).body.order;
      await call(s.url, 'PATCH', `/api/v1/orders/${c.id}/cancel`, { headers: a.auth });
      assertError(await pay(admin, c.id, c.total), 409, 'ORDER_NOT_PAYABLE');
      assertError(await pay(staff, '00000000-0000-4000-8000-000000000000', 1), 404, 'ORDER_NOT_FOUND');
    });

    it('lets staff cancel a PAID order, marked for refund', async () => {
      const o = (await order(a, ['317'])).body.order;
      await pay(staff, o.id, o.total);
      const res = await call(s.url, 'PATCH', `/api/v1/orders/${o.id}/cancel`, { body: { reason: 'fighter injured' }, headers: staff.auth });
      assert.equal(res.status, 200);
      assert.equal(res.body.order.status, 'CANCELLED');
      assert.equal(res.body.order.cancelReason, 'STAFF');
      assert.equal(res.body.order.refundDue, true);
      assert.equal(await seatState('317'), 'AVAILABLE');
    });

    it('expires unpaid orders after their deadline: CANCELLED/EXPIRED, seats free, not payable', async () => {
      const o = (await order(b, ['318', '319'])).body.order;
      s.clock.advance(s.config.orderPaymentTtlMs + 1);
      assertError(await pay(staff, o.id, o.total), 409, 'ORDER_NOT_PAYABLE');
      const before = (await call(s.url, 'GET', '/api/orders/enhanced/stats', { headers: staff.auth })).body;
      const sweep = await call(s.url, 'POST', '/api/orders/enhanced/cleanup', { headers: admin.auth });
      assert.equal(sweep.status, 200);
      assert.ok(sweep.body.expiredOrders >= 1);
      const after = (await call(s.url, 'GET', `/api/v1/orders/${o.id}`, { headers: b.auth })).body.order;
      assert.equal(after.status, 'CANCELLED');
      assert.equal(after.cancelReason, 'EXPIRED');
      assert.equal(await seatState('318'), 'AVAILABLE');
      const stats = (await call(s.url, 'GET', '/api/orders/enhanced/stats', { headers: staff.auth })).body;
      assert.equal(stats.ordersExpired - before.ordersExpired, sweep.body.expiredOrders);
      assert.equal(stats.orders.CANCELLED + stats.orders.PENDING + stats.orders.PAID, (await s.db.query('SELECT 1 FROM orders')).rowCount);
      await checkInvariants(s.db);
    });

    it('caps seats per user across locks and pending orders', async () => {
      const [c] = await s.users(1);
      const seats = ['320', '321', '322', '323', '324', '325', '326', '327'];
      assert.equal((await order(c, seats)).status, 201);
      assert.equal((await lock(c, ['328', '329'])).status, 200);
      assertError(await lock(c, ['330']), 422, 'LOCK_LIMIT_EXCEEDED');
      assertError(await order(c, ['331']), 422, 'LOCK_LIMIT_EXCEEDED');
      // ordering seats I already hold does not count them twice
      assert.equal((await order(c, ['328', '329'])).status, 201);
    });

    it('enforces one active order per seat in the database itself', async () => {
      const o = (await order(a, ['333'])).body.order;
      await assert.rejects(
        s.db.query(`INSERT INTO order_seats (order_id, show_date, seat_id, zone_id, price) VALUES ($1, $2, '333', 'left', 1800)`, [
          (await order(b, ['334'])).body.order.id,
          s.showDate,
        ]),
        /order_seats_one_active_order|duplicate key/,
      );
      assert.equal(o.status, 'PENDING');
    });
  });
}
