// Standing (general admission) tickets (issue 14, API.md v2 "Standing"): held, released, ordered, paid, cancelled
// and expired like seats, all or nothing with them, inside the per-user cap, and never oversold.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';
import { checkInvariants } from './helpers/invariants.ts';
import { TestSocket, assertEventShape } from './helpers/socket.ts';
import { addDays, dayIn } from '../src/modules/catalog/dates.ts';
import QRCode from 'qrcode';
import { mailRepository } from '../src/modules/mail/repository.ts';
import { renderMail } from '../src/modules/mail/render.ts';

/** A payment slip (PNG) uploaded to an order, as a browser form sends it; answers the slip id. */
async function uploadSlip(url: string, orderId: string, auth: Record<string, string>): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await QRCode.toBuffer('a transfer slip', { type: 'png' }))], { type: 'image/png' }), 'slip.png');
  const res = await fetch(`${url}/api/v1/orders/${orderId}/slips`, { method: 'POST', headers: auth, body: form });
  assert.equal(res.status, 201);
  return ((await res.json()) as any).slip.id;
}

const TTL = 60_000;

for (const target of dbTargets()) {
  describe(`standing tickets on ${target}`, () => {
    let s: TestServer;
    let admin: TestUser;
    let staff: TestUser;
    let a: TestUser;
    let b: TestUser;
    let nextNight = 60;
    /** A fresh show nobody else in this file uses (capacity 200). */
    const night = async () => {
      const day = addDays(dayIn('Asia/Bangkok', s.clock.now()), nextNight++);
      ok(await call(s.url, 'POST', '/api/v1/shows', { body: { showDate: day }, headers: admin.auth }), 201);
      return day;
    };
    const lock = (u: TestUser, day: string, body: Record<string, unknown>) =>
      call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: day, ...body }, headers: u.auth });
    const release = (u: TestUser, day: string, body: Record<string, unknown>) =>
      call(s.url, 'POST', '/api/orders/enhanced/seats/release', { body: { showDate: day, ...body }, headers: u.auth });
    const order = (u: TestUser, day: string, body: Record<string, unknown>) =>
      call(s.url, 'POST', '/api/v1/orders', { body: { showDate: day, ...body }, headers: u.auth });
    const standing = async (day: string) => ok(await call(s.url, 'GET', `/api/v1/shows/${day}/seats`)).body.standing;
    const seatStatus = async (day: string, id: string) =>
      ok(await call(s.url, 'GET', `/api/v1/shows/${day}/seats`)).body.seats.find((x: any) => x.id === id).status;

    before(async () => {
      s = await startTestServer({ target, config: { seatLockTtlMs: TTL, maxSeatsPerUser: 10 } });
      admin = await s.user('admin');
      staff = await s.user('staff');
      [a, b] = await s.users(2);
    });
    after(async () => {
      await checkInvariants(s.db);
      await s.close();
    });

    it('the snapshot carries the standing area: capacity, places available and the show\'s prices', async () => {
      const day = addDays(dayIn('Asia/Bangkok', s.clock.now()), nextNight++);
      ok(await call(s.url, 'POST', '/api/v1/shows', { body: { showDate: day, prices: { 'standing-child': 1000 } }, headers: admin.auth }), 201);
      assert.deepEqual(await standing(day), {
        id: 'standing',
        name: { en: 'Standing (general admission)', th: 'บัตรยืน (ไม่ระบุที่นั่ง)' },
        capacity: 200,
        available: 200,
        prices: { adult: 1500, child: 1000 },
      });
    });

    it('refuses bad quantities and empty requests with VALIDATION_FAILED', async () => {
      const day = s.showDate;
      assertError(await lock(a, day, { seatIds: [] }), 400, 'VALIDATION_FAILED');
      assertError(await lock(a, day, {}), 400, 'VALIDATION_FAILED');
      assertError(await lock(a, day, { standing: {} }), 400, 'VALIDATION_FAILED');
      assertError(await lock(a, day, { standing: { adult: 0, child: 0 } }), 400, 'VALIDATION_FAILED');
      assertError(await lock(a, day, { standing: { adult: -1 } }), 400, 'VALIDATION_FAILED');
      assertError(await lock(a, day, { standing: { adult: 1.5 } }), 400, 'VALIDATION_FAILED');
      assertError(await lock(a, day, { standing: { adult: '2' } }), 400, 'VALIDATION_FAILED');
      assertError(await lock(a, day, { standing: { vip: 1 } }), 400, 'VALIDATION_FAILED');
      assertError(await order(a, day, { standing: { child: -3 } }), 400, 'VALIDATION_FAILED');
      assertError(await order(a, day, {}), 400, 'VALIDATION_FAILED');
    });

    it('holds standing places with seats, all or nothing, and releases them', async () => {
      const day = await night();
      ok(await lock(b, day, { seatIds: ['102'] }));
      // a taken seat fails the standing places too
      const seatRefused = await lock(a, day, { seatIds: ['101', '102'], standing: { adult: 2 } });
      assertError(seatRefused, 409, 'SEAT_UNAVAILABLE');
      assert.equal((await standing(day)).available, 200);
      assert.equal(await seatStatus(day, '101'), 'AVAILABLE');
      // more places than are left fails the seats too
      ok(await call(s.url, 'POST', '/api/v1/boxoffice/sales', { body: { showDate: day, standing: { adult: 50 }, payment: { method: 'cash', amount: 75_000 } }, headers: staff.auth }), 201);
      ok(await call(s.url, 'POST', '/api/v1/boxoffice/sales', { body: { showDate: day, standing: { adult: 50 }, payment: { method: 'cash', amount: 75_000 } }, headers: staff.auth }), 201);
      ok(await call(s.url, 'POST', '/api/v1/boxoffice/sales', { body: { showDate: day, standing: { child: 49 }, payment: { method: 'cash', amount: 58_800 } }, headers: staff.auth }), 201);
      ok(await call(s.url, 'POST', '/api/v1/boxoffice/sales', { body: { showDate: day, standing: { child: 50 }, payment: { method: 'cash', amount: 60_000 } }, headers: staff.auth }), 201);
      assert.equal((await standing(day)).available, 1);
      const tooMany = await lock(a, day, { seatIds: ['101'], standing: { adult: 1, child: 1 } });
      assertError(tooMany, 409, 'STANDING_UNAVAILABLE');
      assert.deepEqual(tooMany.body.details, { requested: { adult: 1, child: 1 }, available: 1 });
      assert.equal(await seatStatus(day, '101'), 'AVAILABLE');

      const held = ok(await lock(a, day, { seatIds: ['101'], standing: { child: 1 } })).body;
      assert.deepEqual(held.seatIds, ['101']);
      assert.deepEqual(held.standing, { adult: 0, child: 1 });
      assert.equal(new Date(held.expiresAt).getTime(), s.clock.now().getTime() + TTL);
      assert.equal((await standing(day)).available, 0);
      assertError(await lock(b, day, { standing: { adult: 1 } }), 409, 'STANDING_UNAVAILABLE');

      const rel = ok(await release(a, day, { standing: { child: 5 } })).body;
      assert.deepEqual(rel.standingReleased, { adult: 0, child: 1 }, 'at most what the caller holds');
      assert.deepEqual(rel.standing, { adult: 0, child: 0 });
      assert.equal((await standing(day)).available, 1);
      // a staff member releases only their own standing holds
      ok(await lock(a, day, { standing: { child: 1 } }));
      assert.deepEqual(ok(await release(staff, day, { standing: { child: 1 } })).body.standingReleased, { adult: 0, child: 0 });
      assert.equal((await standing(day)).available, 0);
      // the show report counts them
      const report = ok(await call(s.url, 'GET', `/api/v1/reports/shows/${day}`, { headers: staff.auth })).body;
      assert.deepEqual(report.standing, { capacity: 200, sold: { adult: 100, child: 99 }, reserved: 0, held: 1, available: 0, revenue: 100 * 1500 + 99 * 1200 });
      assert.equal(report.channels.find((c: any) => c.channel === 'BOX_OFFICE').tickets, 199);
      await checkInvariants(s.db);
    });

    it('standing places count in MAX_SEATS_PER_USER with seats and unpaid orders', async () => {
      const day = await night();
      ok(await lock(a, day, { seatIds: ['101', '102'], standing: { adult: 3 } }));
      ok(await order(a, day, { seatIds: ['103'], standing: { child: 2 } }), 201);
      // holds 5 + PENDING 3 = 8; 3 more is 11 > 10
      const over = await lock(a, day, { standing: { adult: 2, child: 1 } });
      assertError(over, 422, 'LOCK_LIMIT_EXCEEDED');
      assert.deepEqual(over.body.details, { max: 10, held: 8, requested: 3 });
      assertError(await order(a, day, { standing: { child: 3 } }), 422, 'LOCK_LIMIT_EXCEEDED');
      // ordering what one holds does not count it twice: 2 seats + 3 adult held become the order
      const o = ok(await order(a, day, { seatIds: ['101', '102'], standing: { adult: 3 } }), 201).body.order;
      assert.deepEqual(o.standing, [{ type: 'adult', quantity: 3, price: 1500 }]);
      ok(await lock(a, day, { standing: { adult: 2 } }));
      assertError(await lock(a, day, { standing: { adult: 1 } }), 422, 'LOCK_LIMIT_EXCEEDED');
      await checkInvariants(s.db);
    });

    it('orders, pays (one ticket per place), partially cancels and cancels standing places, with standing-changed events in seq', async () => {
      const day = await night();
      const watcher = await TestSocket.connect(s.url, { shows: [day] });
      try {
        const seq0 = ok(await call(s.url, 'GET', `/api/v1/shows/${day}/seats`)).body.seq;
        ok(await lock(a, day, { seatIds: ['201'], standing: { adult: 2 } }));
        const created = ok(await order(a, day, { seatIds: ['201'], standing: { adult: 2, child: 1 } }), 201).body.order;
        assert.deepEqual(created.standing, [{ type: 'adult', quantity: 2, price: 1500 }, { type: 'child', quantity: 1, price: 1200 }]);
        assert.equal(created.total, 1800 + 3000 + 1200);
        assert.equal((await standing(day)).available, 197);

        ok(await call(s.url, 'POST', `/api/v1/orders/${created.id}/payments`, { body: { method: 'cash', amount: created.total, reference: 'ST-1' }, headers: staff.auth }));
        const tickets = ok(await call(s.url, 'GET', `/api/v1/orders/${created.id}/tickets`, { headers: a.auth })).body.tickets;
        assert.deepEqual(tickets.map((t: any) => t.admission).sort(), ['seat', 'standing-adult', 'standing-adult', 'standing-child']);
        const pdf = await fetch(`${s.url}/api/v1/orders/${created.id}/tickets.pdf`, { headers: a.auth });
        assert.equal(pdf.status, 200);
        const child = tickets.find((t: any) => t.admission === 'standing-child');
        const scan = ok(await call(s.url, 'POST', '/api/v1/checkins', { body: { secret: child.secret, showDate: day, nonce: 'st-1' }, headers: staff.auth })).body;
        assert.equal(scan.result, 'ADMITTED');

        // staff take one adult place out of the PAID order: refund due, its ticket revoked, the place back on sale
        const partial = ok(await call(s.url, 'PATCH', `/api/v1/orders/${created.id}/cancel`, { body: { standing: { adult: 1 } }, headers: staff.auth })).body.order;
        assert.equal(partial.status, 'PAID');
        assert.deepEqual(partial.standing, [{ type: 'adult', quantity: 1, price: 1500 }, { type: 'child', quantity: 1, price: 1200 }]);
        assert.equal(partial.cancelledStanding.length, 1);
        assert.equal(partial.cancelledStanding[0].quantity, 1);
        assert.equal(partial.refundDueAmount, 1500);
        assert.equal((await standing(day)).available, 198);
        const after = ok(await call(s.url, 'GET', `/api/v1/orders/${created.id}/tickets`, { headers: a.auth })).body.tickets;
        assert.equal(after.filter((t: any) => t.status === 'REVOKED').length, 1);
        assertError(await call(s.url, 'PATCH', `/api/v1/orders/${created.id}/cancel`, { body: { standing: { child: 2 } }, headers: staff.auth }), 400, 'VALIDATION_FAILED');

        const full = ok(await call(s.url, 'PATCH', `/api/v1/orders/${created.id}/cancel`, { body: {}, headers: staff.auth })).body.order;
        assert.equal(full.status, 'CANCELLED');
        const final = await standing(day);
        assert.equal(final.available, 200);

        // every number from the snapshot on is one event, gap-free, and the last standing-changed says what the snapshot says
        const last = ok(await call(s.url, 'GET', `/api/v1/shows/${day}/seats`)).body.seq;
        const events = [];
        for (let seq = seq0 + 1; seq <= last; seq++) events.push(await watcher.seq(day, seq));
        const standingEvents = events.filter((e) => e.event === 'standing-changed');
        assert.deepEqual(standingEvents.map((e) => e.available), [198, 197, 198, 200]);
        for (const e of standingEvents) assertEventShape('standing-changed', Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'event')));
      } finally {
        watcher.close();
      }
      await checkInvariants(s.db);
    });

    it('expired standing holds are free at once (lazy) and the sweeper tells everyone', async () => {
      const day = await night();
      const watcher = await TestSocket.connect(s.url, { shows: [day] });
      try {
        ok(await lock(a, day, { standing: { adult: 4, child: 2 } }));
        assert.equal((await standing(day)).available, 194);
        s.clock.advance(TTL);
        assert.equal((await standing(day)).available, 200, 'an expired hold counts as free before any sweep');
        const seq = ok(await call(s.url, 'GET', `/api/v1/shows/${day}/seats`)).body.seq;
        await s.services.holds.expireLocks();
        const e = await watcher.seq(day, seq + 1);
        assert.equal(e.event, 'standing-changed');
        assert.equal(e.available, 200);
        const counter = (await s.db.query<{ taken: number }>('SELECT taken FROM show_standing WHERE show_date = $1', [day])).rows[0];
        assert.equal(counter.taken, 0);
      } finally {
        watcher.close();
      }
      await checkInvariants(s.db);
    });

    it('a payment after expiry takes the places again, or is refunded when they are gone', async () => {
      const day = await night();
      const o = ok(await order(a, day, { standing: { adult: 2 } }), 201).body.order;
      const slip = await uploadSlip(s.url, o.id, a.auth);
      s.clock.advance(Math.max(s.config.orderPaymentTtlMs, s.config.orderMaxHoldMs) + 1);
      await s.services.orders.expireOrders();
      assert.equal((await standing(day)).available, 200);
      ok(await call(s.url, 'POST', `/api/v1/slips/${slip}/approve`, { headers: staff.auth }));
      const paid = ok(await call(s.url, 'GET', `/api/v1/orders/${o.id}`, { headers: a.auth })).body.order;
      assert.equal(paid.status, 'PAID');
      assert.equal((await standing(day)).available, 198);

      // a second late payment for an order whose places were sold meanwhile is refunded
      const o2 = ok(await order(b, day, { standing: { child: 3 } }), 201).body.order;
      const slip2 = await uploadSlip(s.url, o2.id, b.auth);
      s.clock.advance(Math.max(s.config.orderPaymentTtlMs, s.config.orderMaxHoldMs) + 1);
      await s.services.orders.expireOrders();
      for (const adult of [50, 50, 50, 48]) {
        ok(await call(s.url, 'POST', '/api/v1/boxoffice/sales', { body: { showDate: day, standing: { adult }, payment: { method: 'cash', amount: adult * 1500 } }, headers: staff.auth }), 201);
      }
      assert.equal((await standing(day)).available, 0);
      ok(await call(s.url, 'POST', `/api/v1/slips/${slip2}/approve`, { headers: staff.auth }));
      const late = ok(await call(s.url, 'GET', `/api/v1/orders/${o2.id}`, { headers: b.auth })).body.order;
      assert.equal(late.status, 'CANCELLED');
      assert.equal(late.payments.at(-1).status, 'REFUND_DUE');
      assert.equal((await standing(day)).available, 0);
      await checkInvariants(s.db);
    });

    it('60 parallel buyers of 4 places on a capacity of 200: exactly 50 win, every other one is a clean 409', async () => {
      const day = await night();
      const buyers = await s.users(60);
      const results = await Promise.all(buyers.map((u, i) => (i % 2 ? lock(u, day, { standing: { adult: 4 } }) : order(u, day, { standing: { adult: 2, child: 2 } }))));
      const statuses = results.map((r) => r.status);
      assert.equal(statuses.filter((x) => x >= 500).length, 0, JSON.stringify(results.filter((r) => r.status >= 500).map((r) => r.body)));
      assert.equal(statuses.filter((x) => x === 200 || x === 201).length, 50);
      for (const r of results.filter((x) => x.status === 409)) assertError(r, 409, 'STANDING_UNAVAILABLE');
      assert.equal(statuses.filter((x) => x === 409).length, 10);
      assert.equal((await standing(day)).available, 0);
      await checkInvariants(s.db);
    });

    it('cancelling the show frees its standing holds and orders and mails every buyer', async () => {
      const day = await night();
      ok(await lock(a, day, { standing: { adult: 3 } }));
      const o = ok(await order(b, day, { seatIds: ['105'], standing: { child: 2 } }), 201).body.order;
      ok(await call(s.url, 'POST', `/api/v1/shows/${day}/cancel`, { body: { reason: 'Flood' }, headers: admin.auth }));
      assert.equal((await standing(day)).available, 200);
      assert.equal(ok(await call(s.url, 'GET', `/api/v1/orders/${o.id}`, { headers: b.auth })).body.order.status, 'CANCELLED');
      const mails = (await s.db.query<{ kind: string }>('SELECT kind FROM outbox WHERE order_id = $1', [o.id])).rows;
      assert.deepEqual(mails.map((m) => m.kind), ['order-cancelled'], 'the notice is queued in the cancel transaction');
      // the notice says the show was cancelled and why, and lists the standing places
      const mail = renderMail('order-cancelled', (await mailRepository.order(s.db, o.id, 'Asia/Bangkok'))!, 'en', 'Stadium', 'Asia/Bangkok', {});
      assert.match(mail.subject, /Show cancelled/);
      assert.match(mail.text, /Reason: Flood/);
      assert.match(mail.text, /Standing, child × 2/);
      const th = renderMail('order-cancelled', (await mailRepository.order(s.db, o.id, 'Asia/Bangkok'))!, 'th', 'Stadium', 'Asia/Bangkok', {});
      assert.match(th.text, /สาเหตุ: Flood/);
      assertError(await lock(a, day, { standing: { adult: 1 } }), 409, 'SALES_CLOSED');
      await checkInvariants(s.db);
    });

    it('a show cancelled while buyers lock and order: no deadlock, no 5xx, nothing left held or sold after it', async () => {
      const day = await night();
      const buyers = await s.users(30);
      const seats = ['101', '102', '103', '104', '105', '106', '107', '108', '109', '110', '111', '112', '113', '114', '115'];
      const buying = buyers.map((u, i) => {
        const body = { seatIds: [seats[i % seats.length]], standing: { adult: 1 + (i % 3) } };
        return i % 2 ? lock(u, day, body) : order(u, day, body);
      });
      const cancel = call(s.url, 'POST', `/api/v1/shows/${day}/cancel`, { body: { reason: 'Power cut' }, headers: admin.auth });
      const results = await Promise.all(buying);
      ok(await cancel);
      for (const r of results) {
        assert.ok(r.status < 500, JSON.stringify(r.body));
        if (r.status >= 400) assert.ok(['SALES_CLOSED', 'SEAT_UNAVAILABLE'].includes(r.body.code), JSON.stringify(r.body));
      }
      const left = await s.db.query(
        `SELECT (SELECT count(*) FROM orders WHERE show_date = $1 AND status <> 'CANCELLED')::int AS orders,
                (SELECT count(*) FROM seat_inventory WHERE show_date = $1 AND state IN ('LOCKED', 'BOOKED'))::int AS seats,
                (SELECT count(*) FROM standing_holds WHERE show_date = $1)::int AS holds`,
        [day],
      );
      assert.deepEqual(left.rows[0], { orders: 0, seats: 0, holds: 0 });
      assert.equal((await standing(day)).available, 200);
      await checkInvariants(s.db);
    });

    it('locks and orders of standing places stop at salesCloseAt (fake clock)', async () => {
      const day = addDays(dayIn('Asia/Bangkok', s.clock.now()), nextNight++);
      const closeAt = new Date(s.clock.now().getTime() + 3_600_000);
      ok(await call(s.url, 'POST', '/api/v1/shows', { body: { showDate: day, salesCloseAt: closeAt.toISOString() }, headers: admin.auth }), 201);
      ok(await lock(a, day, { standing: { adult: 1 } }));
      s.clock.advance(3_600_000);
      assertError(await lock(a, day, { standing: { adult: 1 } }), 409, 'SALES_CLOSED');
      assertError(await order(a, day, { standing: { adult: 1 } }), 409, 'SALES_CLOSED');
    });
  });
}
