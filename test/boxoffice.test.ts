import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { parse as parseEmvco } from 'promptparse';
import { assertError } from './helpers/errors.ts';
import { checkInvariants } from './helpers/invariants.ts';

/** Counter sales, staff search, partial cancel, refunds and the audit log (issue 17). */
for (const target of dbTargets()) {
  describe(`box office on ${target}`, () => {
    let s: TestServer;
    let customer: TestUser;
    let staff: TestUser;
    let staff2: TestUser;
    let admin: TestUser;

    const sell = (u: TestUser, seatIds: string[], amount: number, extra: Record<string, unknown> = {}, key?: string) =>
      call(s.url, 'POST', '/api/v1/boxoffice/sales', {
        body: { showDate: s.showDate, seatIds, payment: { method: 'cash', amount }, ...extra },
        headers: { ...u.auth, ...(key ? { 'idempotency-key': key } : {}) },
      });
    const price = async (seatIds: string[]) =>
      (await s.db.query<{ n: number }>('SELECT sum(z.price)::int AS n FROM seats st JOIN venue_zones z ON z.id = st.zone_id WHERE st.id = ANY ($1)', [seatIds])).rows[0].n;
    const states = async (seatIds: string[]) =>
      Object.fromEntries(
        (await s.db.query<{ seat_id: string; state: string }>('SELECT seat_id, state FROM seat_inventory WHERE show_date = $1 AND seat_id = ANY ($2)', [s.showDate, seatIds])).rows.map(
          (r) => [r.seat_id, r.state],
        ),
      );
    const audit = async (entityId: string) =>
      (await s.db.query<{ action: string; actor_id: string; actor_role: string; request_id: string; before: any; after: any }>(
        'SELECT action, actor_id, actor_role, request_id, before, after FROM audit_log WHERE entity_id = $1 ORDER BY id',
        [entityId],
      )).rows;

    before(async () => {
      s = await startTestServer({ target });
      customer = await s.user('customer');
      [staff, staff2] = await s.users(2, 'staff');
      admin = await s.user('admin');
    });
    after(async () => {
      await checkInvariants(s.db);
      await s.close();
    });

    it('sells 12 seats to a walk-in at the counter, past the per-customer cap, PAID at once', async () => {
      const seatIds = ['401', '402', '403', '404', '409', '410', '411', '412', '413', '421', '422', '423'];
      assert.ok(seatIds.length > s.config.maxSeatsPerUser);
      const total = await price(seatIds);
      // a customer may not use the counter
      assertError(await sell(customer, seatIds, total), 403, 'FORBIDDEN');
      assertError(await sell(staff, seatIds, total - 1), 422, 'PAYMENT_AMOUNT_MISMATCH');
      const res = ok(await sell(staff, seatIds, total, { customerName: 'สมชาย ใจดี', customerPhone: '081 234 5678' }, 'walk-in-1'), 201);
      const o = res.body.order;
      assert.equal(o.status, 'PAID');
      assert.equal(o.channel, 'BOX_OFFICE');
      assert.equal(o.soldBy, staff.id);
      assert.equal(o.total, total);
      assert.equal(o.amountPaid, total);
      assert.equal(o.seats.length, 12);
      assert.deepEqual(new Set(Object.values(await states(seatIds))), new Set(['BOOKED']));
      const rows = await audit(o.id);
      assert.deepEqual(rows.map((r) => [r.action, r.actor_id, r.actor_role]), [['order.box-office-sale', staff.id, 'staff']]);
      assert.equal(rows[0].request_id, res.headers.get('x-request-id'));
      assert.equal(rows[0].after.status, 'PAID');
      const tickets = ok(await call(s.url, 'GET', `/api/v1/orders/${o.id}/tickets`, { headers: staff.auth })).body.tickets;
      assert.equal(tickets.length, 12, 'a counter sale is PAID with its tickets');
      // staff find it by the first 4 characters of its code, typed in lower case
      const byCode = ok(await call(s.url, 'GET', `/api/v1/orders?q=${o.code.slice(0, 4).toLowerCase()}`, { headers: staff.auth })).body.items;
      assert.ok(byCode.some((x: any) => x.id === o.id));
      assert.ok(byCode.every((x: any) => x.code.startsWith(o.code.slice(0, 4))));
    });

    it('gives the counter page BOX_OFFICE_MAX_SEATS and a PromptPay QR of the exact amount before the sale (staff only)', async () => {
      assertError(await call(s.url, 'GET', '/api/v1/boxoffice/settings', { headers: customer.auth }), 403, 'FORBIDDEN');
      const settings = ok(await call(s.url, 'GET', '/api/v1/boxoffice/settings', { headers: staff.auth })).body;
      assert.deepEqual(settings, { maxSeats: s.config.boxOfficeMaxSeats, promptpay: true, timeZone: s.config.venueTimeZone });
      assertError(await call(s.url, 'GET', '/api/v1/boxoffice/promptpay-qr?amount=4500', { headers: customer.auth }), 403, 'FORBIDDEN');
      assertError(await call(s.url, 'GET', '/api/v1/boxoffice/promptpay-qr?amount=0', { headers: staff.auth }), 400, 'VALIDATION_FAILED');
      const qr = ok(await call(s.url, 'GET', '/api/v1/boxoffice/promptpay-qr?amount=4500', { headers: staff.auth })).body;
      assert.equal(qr.amount, 4500);
      assert.match(qr.qrSvg, /^<svg/);
      const emv = parseEmvco(qr.payload, true, true);
      assert.ok(emv, 'a valid EMVCo payload (CRC checked)');
      assert.equal(emv.getTagValue('29', '00'), 'A000000677010111', 'PromptPay');
      assert.equal(emv.getTagValue('54'), '4500.00', 'the exact amount');
      assert.equal((await s.db.query('SELECT count(*)::int AS n FROM payments WHERE amount = 4500')).rows[0].n, 0, 'nothing recorded before the sale');
    });

    it('answers a retried counter sale with the same order, never a second sale', async () => {
      const seatIds = ['430', '431'];
      const total = await price(seatIds);
      const results = await Promise.all(Array.from({ length: 4 }, () => sell(staff, seatIds, total, {}, 'walk-in-2')));
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 201]);
      assert.equal(new Set(results.map((r) => r.body.order.id)).size, 1);
      assert.ok(results.some((r) => r.headers.get('idempotent-replayed') === 'true'));
      const { rows } = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE idempotency_key = 'walk-in-2'`);
      assert.equal(rows[0].n, 1);
      assertError(await sell(staff, ['432'], await price(['432']), {}, 'walk-in-2'), 422, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('refuses seats sold or held by someone else, and more than BOX_OFFICE_MAX_SEATS', async () => {
      ok(await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: ['440'] }, headers: customer.auth }));
      const res = await sell(staff, ['440', '441', '401'], await price(['440', '441', '401']));
      assertError(res, 409, 'SEAT_UNAVAILABLE');
      assert.deepEqual(res.body.details.unavailable, [{ seatId: '401', status: 'BOOKED' }, { seatId: '440', status: 'LOCKED' }]);
      assert.equal((await states(['441']))['441'], 'AVAILABLE');
      // seats the seller holds are sellable
      ok(await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: ['441'] }, headers: staff.auth }));
      ok(await sell(staff, ['441'], await price(['441'])), 201);
      const many = Array.from({ length: s.config.boxOfficeMaxSeats + 1 }, (_, i) => String(101 + i));
      assertError(await sell(staff, many, 1), 422, 'LOCK_LIMIT_EXCEEDED');
      assertError(await sell(staff, ['444'], await price(['444']), { referrerCode: 'NOBODY' }), 422, 'REFERRER_NOT_FOUND');
      assert.equal((await states(['444']))['444'], 'AVAILABLE');
    });

    it('staff hold a walk-in\'s 12 picks for real (others cannot take them), capped by BOX_OFFICE_MAX_SEATS, then sell what they hold', async () => {
      const lock = (u: TestUser, seatIds: string[], standing?: { adult: number; child: number }) =>
        call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds, ...(standing ? { standing } : {}) }, headers: u.auth });
      const picks = Array.from({ length: 11 }, (_, i) => String(320 + i));
      const other = await s.user('customer');
      // a customer's cap is MAX_SEATS_PER_USER (seats and standing places together)
      assertError(await lock(other, picks), 422, 'LOCK_LIMIT_EXCEEDED');
      // staff hold past it: 11 seats and 1 standing place, then one more seat
      const held = ok(await lock(staff2, picks, { adult: 1, child: 0 })).body;
      assert.deepEqual([held.seatIds.length, held.lockedBy, held.standing], [11, staff2.id, { adult: 1, child: 0 }]);
      assert.deepEqual(new Set(Object.values(await states(picks))), new Set(['LOCKED']), 'held for everyone to see');
      const busy = await lock(other, [picks[0]]);
      assertError(busy, 409, 'SEAT_UNAVAILABLE');
      assert.deepEqual(busy.body.details.unavailable, [{ seatId: picks[0], status: 'LOCKED' }]);
      // their cap is BOX_OFFICE_MAX_SEATS: past it → LOCK_LIMIT_EXCEEDED with that max
      const spare = Array.from({ length: 68 }, (_, i) => String(201 + i)).filter((id) => id !== '205').slice(0, s.config.boxOfficeMaxSeats - 12 + 1);
      const over = await lock(staff2, spare);
      assertError(over, 422, 'LOCK_LIMIT_EXCEEDED');
      assert.deepEqual(over.body.details, { max: s.config.boxOfficeMaxSeats, held: 12, requested: spare.length });
      assert.equal((await states(spare))[spare[0]], 'AVAILABLE');
      // the sale takes the seller's holds: 11 seats + 1 standing place = 12 tickets
      const adult = (await s.db.query<{ p: number }>(
        `SELECT coalesce((sh.prices ->> 'standing-adult')::int, v.price_adult) AS p FROM venue_standing v JOIN shows sh ON sh.show_date = $1`,
        [s.showDate],
      )).rows[0].p;
      const total = (await price(picks)) + adult;
      const sold = ok(await sell(staff2, picks, total, { standing: { adult: 1, child: 0 } }), 201).body.order;
      assert.deepEqual([sold.status, sold.seats.length, sold.standing], ['PAID', 11, [{ type: 'adult', quantity: 1, price: adult }]]);
      assert.deepEqual(new Set(Object.values(await states(picks))), new Set(['BOOKED']));
    });

    it('finds orders by customer name, phone digits, email and by seat', async () => {
      const online = ok(
        await call(s.url, 'POST', '/api/v1/orders', {
          body: { showDate: s.showDate, seatIds: ['450'], customerName: 'Anna Müller', customerEmail: 'Anna.Mueller@example.de', customerPhone: '+49 151 2345' },
          headers: customer.auth,
        }),
        201,
      ).body.order;
      const find = async (query: string, u: TestUser = staff) =>
        (await call(s.url, 'GET', `/api/v1/orders?${query}`, { headers: u.auth })).body.items?.map((o: any) => o.id) ?? [];
      assert.deepEqual(await find('q=MÜLLER'), [online.id]);
      assert.deepEqual(await find('q=mueller%40example'), [online.id]);
      assert.deepEqual(await find('q=1512345'), [online.id], 'phone digits match whatever the spacing');
      assert.deepEqual(await find(`seatId=450&showDate=${s.showDate}`), [online.id]);
      assert.equal((await find('q=%25')).length, 0, 'a % is a character, not a wildcard');
      const walkIn = await find('q=' + encodeURIComponent('ใจดี'));
      assert.equal(walkIn.length, 1);
      assertError(await call(s.url, 'GET', '/api/v1/orders?seatId=450', { headers: staff.auth }), 400, 'VALIDATION_FAILED');
      // a customer's search only ever covers their own orders
      assert.deepEqual(await find('q=' + encodeURIComponent('ใจดี'), customer), []);
    });

    it('finds a Thai phone number written either way: 0 and +66 are one number', async () => {
      const intl = ok(await sell(staff, ['456'], await price(['456']), { customerName: 'Intl', customerPhone: '+66 89 111 2222' }), 201).body.order;
      const national = ok(await sell(staff, ['457'], await price(['457']), { customerName: 'National', customerPhone: '081-777-3333' }), 201).body.order;
      const find = async (q: string) =>
        ok(await call(s.url, 'GET', `/api/v1/orders?q=${encodeURIComponent(q)}&showDate=${s.showDate}`, { headers: staff.auth })).body.items.map((o: any) => o.id);
      assert.deepEqual(await find('089 111'), [intl.id]);
      assert.deepEqual(await find('0891112222'), [intl.id]);
      assert.deepEqual(await find('+66 89 111'), [intl.id]);
      assert.deepEqual(await find('+66 81 777 3333'), [national.id]);
      assert.deepEqual(await find('0066817773333'), [national.id]);
      assert.deepEqual(await find('081 777'), [national.id]);
    });

    it('cancels some seats of a PENDING order: the rest stays, the total shrinks, exactly those seats are freed', async () => {
      const o = ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['310', '311', '312'] }, headers: customer.auth }), 201).body.order;
      const bad = await call(s.url, 'PATCH', `/api/v1/orders/${o.id}/cancel`, { body: { seatIds: ['311', '999', '470'] }, headers: customer.auth });
      assertError(bad, 400, 'VALIDATION_FAILED');
      assert.deepEqual(bad.body.details.notInOrder, ['470', '999']);
      const res = ok(await call(s.url, 'PATCH', `/api/v1/orders/${o.id}/cancel`, { body: { seatIds: ['311'] }, headers: customer.auth }));
      const after = res.body.order;
      assert.equal(after.status, 'PENDING');
      assert.deepEqual(after.seats.map((x: any) => x.seatId), ['310', '312']);
      assert.deepEqual(after.cancelledItems.map((x: any) => x.seatId), ['311']);
      assert.equal(after.total, await price(['310', '312']));
      assert.deepEqual(await states(['310', '311', '312']), { '310': 'BOOKED', '311': 'AVAILABLE', '312': 'BOOKED' });
      // the freed seat can be sold again while the order goes on
      ok(await sell(staff, ['311'], await price(['311'])), 201);
      // the customer's own cancel is not a staff action
      assert.deepEqual(await audit(o.id), []);
      // cancelling every remaining seat cancels the order
      const last = ok(await call(s.url, 'PATCH', `/api/v1/orders/${o.id}/cancel`, { body: { seatIds: ['310', '312'] }, headers: customer.auth })).body.order;
      assert.equal(last.status, 'CANCELLED');
      assert.deepEqual(await states(['310', '312']), { '310': 'AVAILABLE', '312': 'AVAILABLE' });
    });

    it('makes a cancelled seat of a PAID order refund due, refunds it, and never refunds more than was paid', async () => {
      const seatIds = ['463', '464', '465'];
      const total = await price(seatIds);
      const o = ok(await sell(staff, seatIds, total), 201).body.order;
      const partial = ok(await call(s.url, 'PATCH', `/api/v1/orders/${o.id}/cancel`, { body: { seatIds: ['464'], reason: 'guest did not come' }, headers: staff.auth })).body.order;
      assert.equal(partial.status, 'PAID');
      assert.equal(partial.refundDueAmount, await price(['464']));
      assert.equal(partial.refundDue, true);
      assert.equal((await states(['464']))['464'], 'AVAILABLE');
      const tickets = ok(await call(s.url, 'GET', `/api/v1/orders/${o.id}/tickets`, { headers: staff.auth })).body.tickets;
      assert.deepEqual(tickets.map((t: any) => [t.seatId, t.status]).sort(), [['463', 'VALID'], ['464', 'REVOKED'], ['465', 'VALID']]);
      // customers cannot refund
      assertError(await call(s.url, 'POST', `/api/v1/orders/${o.id}/refunds`, { body: { amount: 1, method: 'cash', reason: 'x' }, headers: customer.auth }), 403, 'FORBIDDEN');
      const refundRes = await call(s.url, 'POST', `/api/v1/orders/${o.id}/refunds`, { body: { amount: partial.refundDueAmount, method: 'cash', reason: 'guest did not come' }, headers: staff.auth });
      const refund = ok(refundRes, 201).body.refund;
      assert.equal(refund.status, 'DONE');
      assert.equal(refund.createdBy, staff.id);
      const seen = ok(await call(s.url, 'GET', `/api/v1/orders/${o.id}`, { headers: staff.auth })).body.order;
      assert.equal(seen.amountRefunded, partial.refundDueAmount);
      assert.equal(seen.refundDueAmount, 0);
      assert.deepEqual(seen.refunds.map((r: any) => r.id), [refund.id]);

      // two staff refunding the rest at once: exactly one gets through
      const rest = total - partial.refundDueAmount;
      const both = await Promise.all(
        [staff, staff2].map((u) => call(s.url, 'POST', `/api/v1/orders/${o.id}/refunds`, { body: { amount: rest, method: 'cash', reason: 'goodwill' }, headers: u.auth })),
      );
      assert.deepEqual(both.map((r) => r.status).sort(), [201, 422]);
      assertError(both.find((r) => r.status === 422)!, 422, 'REFUND_EXCEEDS_PAID');
      const sum = await s.db.query<{ n: number }>(`SELECT sum(amount)::int AS n FROM refunds WHERE order_id = $1`, [o.id]);
      assert.equal(sum.rows[0].n, total);
      assertError(await call(s.url, 'POST', `/api/v1/orders/${o.id}/refunds`, { body: { amount: 1, method: 'cash', reason: 'x' }, headers: staff.auth }), 422, 'REFUND_EXCEEDS_PAID');

      const actions = (await audit(o.id)).map((r) => [r.action, r.actor_id]);
      assert.deepEqual(actions.slice(0, 3), [['order.box-office-sale', staff.id], ['order.cancel-items', staff.id], ['order.refund', staff.id]]);
      assert.equal(actions.length, 4);
      // the refund's before and after are both the order, so the change reads field by field; the refund is its own field
      const refundRow = (await audit(o.id)).find((r) => r.action === 'order.refund')!;
      assert.deepEqual([refundRow.before.amountRefunded, refundRow.after.amountRefunded], [0, partial.refundDueAmount]);
      assert.deepEqual(Object.keys(refundRow.after).filter((k) => !(k in refundRow.before)), ['refund']);
      assert.deepEqual([refundRow.after.refund.amount, refundRow.after.refund.method], [partial.refundDueAmount, 'cash']);
    });

    it('many concurrent refunds on one order never add up to more than was paid', async () => {
      const seatIds = ['466', '467'];
      const total = await price(seatIds);
      const o = ok(await sell(staff, seatIds, total), 201).body.order;
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          call(s.url, 'POST', `/api/v1/orders/${o.id}/refunds`, { body: { amount: Math.floor(total / 3), method: 'cash', reason: `part ${i}` }, headers: (i % 2 ? staff : staff2).auth }),
        ),
      );
      assert.equal(results.filter((r) => r.status === 201).length, 3);
      results.filter((r) => r.status !== 201).forEach((r) => assertError(r, 422, 'REFUND_EXCEEDS_PAID'));
      const sum = await s.db.query<{ n: number }>(`SELECT sum(amount)::int AS n FROM refunds WHERE order_id = $1`, [o.id]);
      assert.ok(sum.rows[0].n <= total);
    });

    it('audits staff payments, staff cancels and opened shows; the database refuses to change or delete audit rows', async () => {
      const o = ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['470'] }, headers: customer.auth }), 201).body.order;
      const payRes = ok(await call(s.url, 'POST', `/api/v1/orders/${o.id}/payments`, { body: { method: 'card', amount: o.total, reference: 'T-1' }, headers: staff2.auth }));
      ok(await call(s.url, 'PATCH', `/api/v1/orders/${o.id}/cancel`, { body: { reason: 'double booking' }, headers: admin.auth }));
      const rows = await audit(o.id);
      assert.deepEqual(rows.map((r) => [r.action, r.actor_id, r.actor_role]), [['order.payment', staff2.id, 'staff'], ['order.cancel', admin.id, 'admin']]);
      assert.equal(rows[0].request_id, payRes.headers.get('x-request-id'));
      assert.equal(rows[0].before.status, 'PENDING');
      assert.equal(rows[0].after.status, 'PAID');
      assert.equal(rows[1].after.status, 'CANCELLED');
      assert.equal(rows[1].after.reason, 'double booking');

      const showDate = '2039-06-01';
      ok(await call(s.url, 'POST', '/api/v1/shows', { body: { showDate }, headers: admin.auth }), 201);

      // the admin's show actions
      ok(await call(s.url, 'POST', `/api/v1/shows/${showDate}/seats/block`, { body: { seatIds: ['101', '102'], reason: 'camera' }, headers: admin.auth }));
      ok(await call(s.url, 'POST', `/api/v1/shows/${showDate}/seats/unblock`, { body: { seatIds: ['102'] }, headers: admin.auth }));
      ok(await call(s.url, 'PATCH', `/api/v1/shows/${showDate}`, { body: { title: 'Rajadamnern Night' }, headers: admin.auth }));
      ok(await call(s.url, 'POST', `/api/v1/shows/${showDate}/cancel`, { body: { reason: 'storm' }, headers: admin.auth }));
      const showRows = await audit(showDate);
      assert.deepEqual(showRows.map((r) => r.action), ['show.create', 'seats.block', 'seats.unblock', 'show.update', 'show.cancel']);
      assert.ok(showRows.every((r) => r.actor_id === admin.id));
      assert.deepEqual(showRows[1].after.seatIds, ['101', '102']);
      assert.equal(showRows[3].after.title, 'Rajadamnern Night');
      assert.equal(showRows[4].after.reason, 'storm');

      const made = ok(await call(s.url, 'POST', '/api/v1/users', { body: { email: 'door-1@example.com', password: 'door-password-1', name: 'Door 1', role: 'door' }, headers: admin.auth }), 201).body.user;
      const userRows = await audit(made.id);
      assert.deepEqual(userRows.map((r) => [r.action, r.actor_id]), [['user.create', admin.id]]);
      assert.equal(userRows[0].after.email, 'door-1@example.com');
      assert.ok(!JSON.stringify(userRows[0].after).includes('door-password-1'));

      // a ticket of this night let in at another night's door by force
      const sold = ok(await sell(staff, ['482'], await price(['482'])), 201).body.order;
      const [ticket] = ok(await call(s.url, 'GET', `/api/v1/orders/${sold.id}/tickets`, { headers: staff.auth })).body.tickets;
      const forced = ok(await call(s.url, 'POST', '/api/v1/checkins', { body: { secret: ticket.secret, showDate, nonce: 'n-forced-1', force: true }, headers: staff2.auth }));
      assert.equal(forced.body.result, 'ADMITTED');
      assert.deepEqual((await audit(ticket.id)).map((r) => [r.action, r.actor_id]), [['ticket.forced-checkin', staff2.id]]);

      await assert.rejects(s.db.query(`UPDATE audit_log SET action = 'tampered' WHERE entity_id = $1`, [o.id]), /append-only/);
      await assert.rejects(s.db.query(`DELETE FROM audit_log WHERE entity_id = $1`, [o.id]), /append-only/);
      await assert.rejects(s.db.query('TRUNCATE audit_log'), /append-only/);
      assert.equal((await audit(o.id)).length, 2);

      // the admin's reading of it: filters and a keyset cursor
      assertError(await call(s.url, 'GET', '/api/v1/audit', { headers: staff.auth }), 403, 'FORBIDDEN');
      const byEntity = ok(await call(s.url, 'GET', `/api/v1/audit?entityType=order&entityId=${o.id}`, { headers: admin.auth })).body;
      assert.deepEqual(byEntity.items.map((e: any) => e.action), ['order.cancel', 'order.payment']);
      assert.equal(byEntity.items[1].actorEmail, staff2.email);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = ok(await call(s.url, 'GET', `/api/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { headers: admin.auth })).body;
        assert.ok(page.items.length <= 2);
        seen.push(...page.items.map((e: any) => e.id));
        cursor = page.nextCursor;
      } while (cursor);
      const { rows: all } = await s.db.query<{ id: string }>('SELECT a.id::text AS id FROM audit_log a ORDER BY a.id DESC');
      assert.deepEqual(seen, all.map((r) => r.id));
      const byActor = ok(await call(s.url, 'GET', `/api/v1/audit?actorId=${staff2.id}`, { headers: admin.auth })).body;
      assert.ok(byActor.items.length > 0 && byActor.items.every((e: any) => e.actorId === staff2.id));
      // an order's code finds its entries (any case, as read out); the actor by email, any case
      const byCode = ok(await call(s.url, 'GET', `/api/v1/audit?entityId=${o.code.toLowerCase()}`, { headers: admin.auth })).body;
      assert.deepEqual(byCode.items.map((e: any) => [e.action, e.entityId]), [['order.cancel', o.id], ['order.payment', o.id]]);
      const byEmail = ok(await call(s.url, 'GET', `/api/v1/audit?actorEmail=${encodeURIComponent(staff2.email.toUpperCase())}`, { headers: admin.auth })).body;
      assert.deepEqual(byEmail.items.map((e: any) => e.id), byActor.items.map((e: any) => e.id));
      assert.deepEqual(ok(await call(s.url, 'GET', '/api/v1/audit?actorEmail=nobody%40test.local', { headers: admin.auth })).body.items, []);
    });
  });
}
