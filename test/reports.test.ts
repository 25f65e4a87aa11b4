import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';
import { dayIn } from '../src/modules/catalog/dates.ts';
import { EXPORT_PAGE_SIZE } from '../src/modules/reports/service.ts';

/** Referrers, the per-show report, the day sheet and the CSV export (issue 17), checked against numbers recomputed here. */
for (const target of dbTargets()) {
  describe(`reports on ${target}`, () => {
    let s: TestServer;
    let customer: TestUser;
    let cashier: TestUser;
    let cashier2: TestUser;
    let admin: TestUser;
    const orders: any[] = [];

    const price = async (seatIds: string[]) =>
      (await s.db.query<{ n: number }>('SELECT sum(z.price)::int AS n FROM seats st JOIN venue_zones z ON z.id = st.zone_id WHERE st.id = ANY ($1)', [seatIds])).rows[0].n;
    const sell = async (u: TestUser, seatIds: string[], method: string, extra: Record<string, unknown> = {}) =>
      ok(
        await call(s.url, 'POST', '/api/v1/boxoffice/sales', {
          body: { showDate: s.showDate, seatIds, payment: { method, amount: await price(seatIds) }, ...extra },
          headers: u.auth,
        }),
        201,
      ).body.order;

    before(async () => {
      s = await startTestServer({ target });
      customer = await s.user('customer');
      [cashier, cashier2] = await s.users(2, 'staff');
      admin = await s.user('admin');
    });
    after(() => s.close());

    it('manages referrers (admin) and refuses unknown codes on orders', async () => {
      assertError(await call(s.url, 'POST', '/api/v1/referrers', { body: { code: 'X1', name: 'n', commissionPerTicket: 1 }, headers: cashier.auth }), 403, 'FORBIDDEN');
      const created = ok(await call(s.url, 'POST', '/api/v1/referrers', { body: { code: 'patong-hotel', name: 'Patong Hotel', commissionPerTicket: 100 }, headers: admin.auth }), 201);
      assert.deepEqual({ ...created.body.referrer, createdAt: undefined }, { code: 'PATONG-HOTEL', name: 'Patong Hotel', commissionPerTicket: 100, createdAt: undefined });
      ok(await call(s.url, 'POST', '/api/v1/referrers', { body: { code: 'GUIDE-NOK', name: 'นก ไกด์', commissionPerTicket: 50 }, headers: admin.auth }), 201);
      assertError(await call(s.url, 'POST', '/api/v1/referrers', { body: { code: 'Patong-Hotel', name: 'again', commissionPerTicket: 1 }, headers: admin.auth }), 400, 'VALIDATION_FAILED');
      const list = ok(await call(s.url, 'GET', '/api/v1/referrers', { headers: cashier.auth })).body.items;
      assert.deepEqual(list.map((r: any) => r.code), ['GUIDE-NOK', 'PATONG-HOTEL']);
      assertError(await call(s.url, 'GET', '/api/v1/referrers', { headers: customer.auth }), 403, 'FORBIDDEN');
      const unknown = await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['101'], referrerCode: 'NOPE' }, headers: customer.auth });
      assertError(unknown, 422, 'REFERRER_NOT_FOUND');
      const seat = await s.db.query<{ state: string }>(`SELECT state FROM seat_inventory WHERE show_date = $1 AND seat_id = '101'`, [s.showDate]);
      assert.equal(seat.rows[0].state, 'AVAILABLE');
    });

    it('has report numbers equal to the ones recomputed from the orders', async () => {
      // online, referred by a hotel, then paid by card at the counter
      const online = ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['101', '102'], referrerCode: 'patong-hotel', customerName: 'ก้อง' }, headers: customer.auth }), 201).body.order;
      assert.equal(online.referrerCode, 'PATONG-HOTEL');
      orders.push(ok(await call(s.url, 'POST', `/api/v1/orders/${online.id}/payments`, { body: { method: 'card', amount: online.total, reference: 'EDC-1' }, headers: cashier.auth })).body.order);
      // counter sales, one through a guide; one seat of it cancelled and refunded in cash
      orders.push(await sell(cashier, ['201', '202', '203'], 'cash', { customerName: 'สมหญิง รักไทย', referrerCode: 'GUIDE-NOK' }));
      const partial = ok(await call(s.url, 'PATCH', `/api/v1/orders/${orders[1].id}/cancel`, { body: { seatIds: ['203'] }, headers: cashier.auth })).body.order;
      ok(await call(s.url, 'POST', `/api/v1/orders/${partial.id}/refunds`, { body: { amount: partial.refundDueAmount, method: 'cash', reason: 'one guest left' }, headers: cashier2.auth }), 201);
      orders[1] = ok(await call(s.url, 'GET', `/api/v1/orders/${partial.id}`, { headers: cashier.auth })).body.order;
      orders.push(await sell(cashier2, ['301', '302'], 'promptpay'));
      orders.push(await sell(cashier2, ['303'], 'cash'));
      // a PENDING order, a cancelled one (refund still due), a held seat and nothing else
      orders.push(ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['401'] }, headers: customer.auth }), 201).body.order);
      const toCancel = await sell(cashier, ['402'], 'cash');
      orders.push(ok(await call(s.url, 'PATCH', `/api/v1/orders/${toCancel.id}/cancel`, { body: {}, headers: cashier.auth })).body.order);
      ok(await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: ['403', '404'] }, headers: customer.auth }));

      assertError(await call(s.url, 'GET', `/api/v1/reports/shows/${s.showDate}`, { headers: customer.auth }), 403, 'FORBIDDEN');
      assertError(await call(s.url, 'GET', '/api/v1/reports/shows/2041-01-01', { headers: cashier.auth }), 404, 'SHOW_NOT_FOUND');
      const report = ok(await call(s.url, 'GET', `/api/v1/reports/shows/${s.showDate}`, { headers: cashier.auth })).body;

      // recomputed from the orders as the API shows them, and from the seat map
      const all = ok(await call(s.url, 'GET', `/api/v1/orders?showDate=${s.showDate}&limit=100`, { headers: admin.auth })).body.items;
      const map = ok(await call(s.url, 'GET', `/api/v1/shows/${s.showDate}/seats`)).body;
      for (const zone of map.zones) {
        const seats = map.seats.filter((x: any) => x.zoneId === zone.id);
        const inOrders = (status: string) => all.filter((o: any) => o.status === status).flatMap((o: any) => o.seats).filter((x: any) => x.zoneId === zone.id);
        const z = report.zones.find((r: any) => r.zoneId === zone.id);
        assert.deepEqual(
          { capacity: z.capacity, sold: z.sold, reserved: z.reserved, held: z.held, blocked: z.blocked, available: z.available, revenue: z.revenue },
          {
            capacity: seats.length,
            sold: inOrders('PAID').length,
            reserved: inOrders('PENDING').length,
            held: seats.filter((x: any) => x.status === 'LOCKED').length,
            blocked: seats.filter((x: any) => x.status === 'BLOCKED').length,
            available: seats.filter((x: any) => x.status === 'AVAILABLE').length,
            revenue: inOrders('PAID').reduce((n: number, x: any) => n + x.price, 0),
          },
          zone.id,
        );
      }
      assert.equal(report.totals.sold, 2 + 2 + 2 + 1);
      assert.equal(report.totals.held, 2);
      const byMethod = (list: { method: string; amount: number }[]) => Object.fromEntries(list.map((x) => [x.method, x.amount]));
      const paidBy: Record<string, number> = {};
      for (const o of all.filter((x: any) => x.amountPaid > 0)) paidBy[o.payment.method] = (paidBy[o.payment.method] ?? 0) + o.amountPaid;
      assert.deepEqual(byMethod(report.payments), paidBy);
      const refunds = all.flatMap((o: any) => o.refunds);
      assert.deepEqual(byMethod(report.refunds), { cash: refunds.reduce((n: number, r: any) => n + r.amount, 0) });
      assert.equal(report.revenue.paid, all.reduce((n: number, o: any) => n + o.amountPaid, 0));
      assert.equal(report.revenue.refundDue, all.reduce((n: number, o: any) => n + o.refundDueAmount, 0));
      assert.equal(report.revenue.refundDue, toCancel.total);
      assert.deepEqual(report.orders, { pending: 1, paid: 4, cancelled: 1 });
      const counter = report.channels.find((c: any) => c.channel === 'BOX_OFFICE');
      assert.deepEqual(counter, { channel: 'BOX_OFFICE', orders: 3, tickets: 2 + 2 + 1 });
      const valid = (await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE show_date = $1 AND status = 'VALID'`, [s.showDate])).rows[0].n;
      assert.deepEqual(report.checkedIn, { admitted: 0, tickets: valid });
      assert.equal(valid, report.totals.sold, 'one valid ticket per sold seat');
      // staff admit one ticket at the door: the report counts it
      const ticket = ok(await call(s.url, 'GET', `/api/v1/orders/${orders[0].id}/tickets`, { headers: cashier.auth })).body.tickets[0];
      const scan = ok(await call(s.url, 'POST', '/api/v1/checkins', { body: { secret: ticket.secret, showDate: s.showDate, nonce: 'report-scan-1' }, headers: cashier.auth })).body;
      assert.equal(scan.result, 'ADMITTED');
      const after = ok(await call(s.url, 'GET', `/api/v1/reports/shows/${s.showDate}`, { headers: cashier.auth })).body;
      assert.deepEqual(after.checkedIn, { admitted: 1, tickets: valid });
    });

    it('gives each cashier their drawer per method on the day sheet', async () => {
      const today = dayIn(s.config.venueTimeZone, s.clock.now());
      const sheet = ok(await call(s.url, 'GET', `/api/v1/reports/day-sheet?date=${today}`, { headers: cashier.auth })).body;
      const line = (u: TestUser, method: string) => sheet.lines.find((l: any) => l.staffId === u.id && l.method === method);
      const toCancel = orders[5];
      assert.deepEqual(
        { n: line(cashier, 'cash').paymentsCount, amount: line(cashier, 'cash').paymentsAmount, refunds: line(cashier, 'cash').refundsAmount },
        { n: 2, amount: (await price(['201', '202', '203'])) + toCancel.total, refunds: 0 },
      );
      assert.equal(line(cashier, 'card').paymentsAmount, orders[0].total);
      assert.equal(line(cashier2, 'cash').refundsAmount, await price(['203']));
      assert.equal(line(cashier2, 'cash').paymentsAmount, await price(['303']));
      assert.equal(line(cashier2, 'cash').net, (await price(['303'])) - (await price(['203'])));
      assert.equal(line(cashier2, 'promptpay').paymentsAmount, await price(['301', '302']));
      const only = ok(await call(s.url, 'GET', `/api/v1/reports/day-sheet?date=${today}&staffId=${cashier2.id}`, { headers: cashier.auth })).body;
      assert.ok(only.lines.length === 2 && only.lines.every((l: any) => l.staffId === cashier2.id));
      const other = ok(await call(s.url, 'GET', `/api/v1/reports/day-sheet?date=2030-01-01`, { headers: cashier.auth })).body;
      assert.deepEqual(other.lines, []);
      assertError(await call(s.url, 'GET', `/api/v1/reports/day-sheet?date=2030-02-30`, { headers: cashier.auth }), 400, 'VALIDATION_FAILED');
    });

    it('reports tickets and commission per referrer for a period', async () => {
      const today = dayIn(s.config.venueTimeZone, s.clock.now());
      const rep = ok(await call(s.url, 'GET', `/api/v1/reports/referrers?from=${today}&to=${today}`, { headers: admin.auth })).body;
      const by = Object.fromEntries(rep.items.map((r: any) => [r.code, r]));
      assert.deepEqual({ tickets: by['PATONG-HOTEL'].tickets, commission: by['PATONG-HOTEL'].commission }, { tickets: 2, commission: 200 });
      // the guide's third seat was cancelled: no commission for it
      assert.deepEqual({ tickets: by['GUIDE-NOK'].tickets, commission: by['GUIDE-NOK'].commission }, { tickets: 2, commission: 100 });
      const before = ok(await call(s.url, 'GET', `/api/v1/reports/referrers?from=2030-01-01&to=2030-01-31`, { headers: admin.auth })).body;
      assert.ok(before.items.every((r: any) => r.tickets === 0 && r.commission === 0));
    });

    it('exports a show\'s orders as CSV with a BOM, Thai intact, across many keyset pages', async () => {
      assertError(await call(s.url, 'GET', `/api/v1/exports/orders.csv?showDate=${s.showDate}`, { headers: customer.auth }), 403, 'FORBIDDEN');
      const res = await fetch(`${s.url}/api/v1/exports/orders.csv?showDate=${s.showDate}`, { headers: cashier.auth });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/csv; charset=utf-8/);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
      const { rows: count } = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE show_date = $1', [s.showDate]);
      assert.equal(rows.length, count[0].n);
      const thai = rows.find((r) => r.order_id === orders[1].id)!;
      assert.equal(thai.code, orders[1].code, 'the code people read out is in the export');
      assert.deepEqual(Object.keys(rows[0]).slice(0, 2), ['code', 'order_id']);
      assert.equal(thai.customer_name, 'สมหญิง รักไทย');
      assert.equal(thai.seats, '201 202');
      assert.equal(thai.cancelled_seats, '203');
      assert.equal(thai.referrer_code, 'GUIDE-NOK');
      assert.equal(Number(thai.amount_refunded), await price(['203']));

      // a bigger show: more orders than one page, every one exactly once
      const big = '2039-07-01';
      ok(await call(s.url, 'POST', '/api/v1/shows', { body: { showDate: big }, headers: admin.auth }), 201);
      const n = EXPORT_PAGE_SIZE * 2 + 7;
      await s.db.query(
        `INSERT INTO orders (user_id, show_date, status, total, currency, customer_name, created_at, expires_at, cancelled_at, cancel_reason)
         SELECT $1, $2, 'CANCELLED', 0, 'THB', 'ลูกค้า ' || i, $3::timestamptz + (i % 5) * interval '1 second', $3, $3, 'USER' FROM generate_series(1, $4) i`,
        [customer.id, big, s.clock.now(), n],
      );
      const bigRes = await fetch(`${s.url}/api/v1/exports/orders.csv?showDate=${big}`, { headers: cashier.auth });
      const bigRows = parse(Buffer.from(await bigRes.arrayBuffer()), { bom: true, columns: true }) as Record<string, string>[];
      assert.equal(bigRows.length, n);
      assert.equal(new Set(bigRows.map((r) => r.order_id)).size, n);
      assert.equal(new Set(bigRows.map((r) => r.customer_name)).size, n);
      assertError(await call(s.url, 'GET', '/api/v1/exports/orders.csv?showDate=2041-01-01', { headers: cashier.auth }), 404, 'SHOW_NOT_FOUND');
    });

    it('counts standing places as tickets: in the referrer commission and in the CSV, with venue times and phones Excel keeps', async () => {
      ok(await call(s.url, 'POST', '/api/v1/referrers', { body: { code: 'RING-TOURS', name: 'Ring Tours', commissionPerTicket: 150 }, headers: admin.auth }), 201);
      const adult = (
        await s.db.query<{ p: number }>(
          `SELECT coalesce((sh.prices ->> 'standing-adult')::int, v.price_adult) AS p FROM venue_standing v JOIN shows sh ON sh.show_date = $1`,
          [s.showDate],
        )
      ).rows[0].p;
      const seatIds = ['231', '232', '233'];
      const sold = ok(
        await call(s.url, 'POST', '/api/v1/boxoffice/sales', {
          body: {
            showDate: s.showDate,
            seatIds,
            standing: { adult: 2, child: 0 },
            customerName: 'Ring group',
            customerPhone: '089 111 2222',
            referrerCode: 'RING-TOURS',
            payment: { method: 'cash', amount: (await price(seatIds)) + 2 * adult },
          },
          headers: cashier.auth,
        }),
        201,
      ).body.order;
      // one standing place drops out: 3 seats + 1 standing place stay
      ok(await call(s.url, 'PATCH', `/api/v1/orders/${sold.id}/cancel`, { body: { standing: { adult: 1 }, reason: 'one guest less' }, headers: cashier.auth }));
      const today = dayIn(s.config.venueTimeZone, s.clock.now());
      const rep = ok(await call(s.url, 'GET', `/api/v1/reports/referrers?from=${today}&to=${today}`, { headers: admin.auth })).body;
      const ring = rep.items.find((r: any) => r.code === 'RING-TOURS');
      assert.deepEqual({ tickets: ring.tickets, commission: ring.commission }, { tickets: 4, commission: 600 });

      const res = await fetch(`${s.url}/api/v1/exports/orders.csv?showDate=${s.showDate}`, { headers: cashier.auth });
      const rows = parse(Buffer.from(await res.arrayBuffer()), { bom: true, columns: true }) as Record<string, string>[];
      const row = rows.find((r) => r.code === sold.code)!;
      assert.deepEqual(
        [row.seats, row.standing_adult, row.standing_child, row.cancelled_standing_adult, row.cancelled_standing_child],
        ['231 232 233', '1', '0', '1', '0'],
      );
      assert.equal(row.customer_phone, '+66 89 111 2222', 'a Thai number in the international form: Excel keeps it as text');
      const tz = s.config.venueTimeZone;
      const wall = new Intl.DateTimeFormat('sv-SE', { timeZone: tz, dateStyle: 'short', timeStyle: 'medium' }).format(new Date(sold.createdAt));
      assert.equal(row[`created_at (${tz})`], wall, 'the venue wall clock, its zone in the header');
      assert.match(row[`paid_at (${tz})`], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    });
  });
}
