import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { PDFParse } from 'pdf-parse';
import jsQR from 'jsqr';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';
import { checkInvariants } from './helpers/invariants.ts';
import { TestSocket, waitFor } from './helpers/socket.ts';
import { decodePng } from './helpers/png.ts';

const CODE = /^[0-9A-HJKMNP-TV-Z]{8}$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

for (const target of dbTargets()) {
  describe(`tickets and check-in on ${target}`, () => {
    let s: TestServer;
    let buyer: TestUser;
    let other: TestUser;
    let staff: TestUser;
    let admin: TestUser;
    let door: TestUser;
    let seatNo = 100;
    const nextSeats = (n: number) => Array.from({ length: n }, () => String(++seatNo));

    const order = async (u: TestUser, seatIds: string[], extra: Record<string, unknown> = {}) =>
      ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds, ...extra }, headers: u.auth }), 201).body.order;
    const pay = (id: string, amount: number) =>
      call(s.url, 'POST', `/api/v1/orders/${id}/payments`, { body: { method: 'cash', amount, reference: `R-${id}` }, headers: staff.auth });
    const paidOrder = async (n: number, u = buyer) => {
      const o = await order(u, nextSeats(n));
      ok(await pay(o.id, o.total));
      return o;
    };
    const tickets = async (id: string, u = buyer) => ok(await call(s.url, 'GET', `/api/v1/orders/${id}/tickets`, { headers: u.auth })).body.tickets;
    const checkin = (body: Record<string, unknown>, u = door) =>
      call(s.url, 'POST', '/api/v1/checkins', { body: { showDate: s.showDate, nonce: randomUUID(), ...body }, headers: u.auth });
    const ticketRows = async (orderId: string) =>
      (await s.db.query<{ seat_id: string; status: string }>('SELECT seat_id, status FROM tickets WHERE order_id = $1 ORDER BY seat_id', [orderId])).rows;

    before(async () => {
      // one buyer has many orders here: the per-user hold cap is not under test
      s = await startTestServer({ target, config: { maxSeatsPerUser: 500 } });
      [buyer, other] = await s.users(2);
      staff = await s.user('staff');
      admin = await s.user('admin');
      door = await s.user('door');
    });
    after(async () => {
      await checkInvariants(s.db);
      await s.close();
    });

    it('gives every order a unique Crockford code that staff can search by prefix', async () => {
      const a = await order(buyer, nextSeats(1), { customerName: 'Somchai Jaidee', customerPhone: '+66 81 234 5678' });
      const b = await order(buyer, nextSeats(1));
      assert.match(a.code, CODE);
      assert.match(b.code, CODE);
      assert.notEqual(a.code, b.code);
      assert.equal((await call(s.url, 'GET', `/api/v1/orders/${a.id}`, { headers: buyer.auth })).body.order.code, a.code);
      // read out loud and typed in lower case, with O for 0 and a dash: still found
      const spoken = `${a.code.slice(0, 2)}-${a.code.slice(2, 5)}`.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
      const found = ok(await call(s.url, 'GET', `/api/v1/orders?q=${encodeURIComponent(spoken)}`, { headers: staff.auth })).body;
      assert.ok(found.items.some((o: any) => o.id === a.id), JSON.stringify(found));
      assert.ok(found.items.every((o: any) => o.code.startsWith(a.code.slice(0, 5))));
      const byName = ok(await call(s.url, 'GET', '/api/v1/orders?q=jaidee', { headers: staff.auth })).body;
      assert.deepEqual(byName.items.map((o: any) => o.id), [a.id]);
      // a customer searching finds only their own orders
      assert.equal(ok(await call(s.url, 'GET', `/api/v1/orders?q=${a.code}`, { headers: other.auth })).body.total, 0);
      // the database made the codes: no order without one, all distinct
      const { rows } = await s.db.query<{ n: number; codes: number }>('SELECT count(*)::int AS n, count(DISTINCT code)::int AS codes FROM orders');
      assert.equal(rows[0].n, rows[0].codes);
    });

    it('issues one ticket per seat when the order is PAID, exactly once, and only then', async () => {
      const o = await order(buyer, nextSeats(3));
      assertError(await call(s.url, 'GET', `/api/v1/orders/${o.id}/tickets`, { headers: buyer.auth }), 409, 'ORDER_NOT_PAID');
      assertError(await call(s.url, 'GET', `/api/v1/orders/${o.id}/tickets.pdf`, { headers: buyer.auth }), 409, 'ORDER_NOT_PAID');
      ok(await pay(o.id, o.total));
      ok(await pay(o.id, o.total)); // the same payment recorded again (a retry)
      const list = await tickets(o.id);
      assert.equal(list.length, 3);
      assert.deepEqual(list.map((t: any) => t.seatId).sort(), o.seats.map((x: any) => x.seatId).sort());
      for (const t of list) {
        assert.equal(t.admission, 'seat');
        assert.equal(t.status, 'VALID');
        assert.equal(t.orderCode, o.code);
        assert.equal(t.showDate, s.showDate);
        assert.ok(t.row && t.zoneId && t.zoneName.th);
        assert.match(t.secret, /^[A-Za-z0-9_-]{43}$/); // 256 bits, URL-safe
        assert.match(t.qrSvg, /^<svg/);
      }
      assert.equal(new Set(list.map((t: any) => t.secret)).size, 3);
      assert.equal((await ticketRows(o.id)).length, 3);
      // staff see them too; another customer is told the order does not exist
      assert.equal((await tickets(o.id, staff)).length, 3);
      assertError(await call(s.url, 'GET', `/api/v1/orders/${o.id}/tickets`, { headers: other.auth }), 404, 'ORDER_NOT_FOUND');
    });

    it('revokes the tickets when staff cancel a paid order; the door answers REVOKED', async () => {
      const o = await paidOrder(2);
      const [t] = await tickets(o.id);
      ok(await call(s.url, 'PATCH', `/api/v1/orders/${o.id}/cancel`, { body: { reason: 'customer asked' }, headers: staff.auth }));
      const after = await tickets(o.id);
      assert.deepEqual(after.map((x: any) => x.status), ['REVOKED', 'REVOKED']);
      const res = ok(await checkin({ secret: t.secret }));
      assert.equal(res.body.result, 'REVOKED');
      assert.equal(res.body.ticket.seatId, t.seatId);
      assertError(await call(s.url, 'GET', `/api/v1/orders/${o.id}/tickets.pdf`, { headers: buyer.auth }), 409, 'ORDER_NOT_PAID');
    });

    it('a payment racing a cancel: each order ends PAID with one valid ticket per seat, or CANCELLED with none valid', async () => {
      const orders = await Promise.all(Array.from({ length: 10 }, () => order(buyer, nextSeats(2))));
      // the buyer cancels half of them (a PENDING order only), staff the other half (also a PAID one), while staff record payments
      await Promise.all(
        orders.flatMap((o, i) => [
          pay(o.id, o.total),
          call(s.url, 'PATCH', `/api/v1/orders/${o.id}/cancel`, { body: {}, headers: (i % 2 ? staff : buyer).auth }),
          pay(o.id, o.total),
        ]),
      );
      for (const o of orders) {
        const status = (await call(s.url, 'GET', `/api/v1/orders/${o.id}`, { headers: buyer.auth })).body.order.status;
        const rows = await ticketRows(o.id);
        if (status === 'PAID') {
          assert.deepEqual(rows.map((r) => r.seat_id), o.seats.map((x: any) => x.seatId).sort());
          assert.ok(rows.every((r) => r.status === 'VALID'));
        } else {
          assert.equal(status, 'CANCELLED');
          // paid first and then cancelled by staff: its tickets exist, revoked; cancelled first: none were made
          assert.ok(rows.length === 0 || rows.length === 2, JSON.stringify(rows));
          assert.ok(rows.every((r) => r.status === 'REVOKED'));
        }
      }
    });

    it('admits a ticket exactly once under 50 parallel scans', async () => {
      const o = await paidOrder(1);
      const [t] = await tickets(o.id);
      const doors = await s.users(5, 'door');
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => checkin({ secret: t.secret, gate: `G${i % 5}` }, doors[i % 5])));
      const results = answers.map((a) => ok(a).body.result);
      assert.equal(results.filter((r) => r === 'ADMITTED').length, 1);
      assert.equal(results.filter((r) => r === 'ALREADY_ADMITTED').length, 49);
      const first = answers.find((a) => a.body.result === 'ALREADY_ADMITTED')!.body.firstCheckin;
      assert.match(first.gate, /^G\d$/);
      assert.equal((await s.db.query('SELECT 1 FROM checkins WHERE ticket_id = $1', [t.id])).rows.length, 1);
      const used = (await tickets(o.id))[0];
      assert.equal(used.status, 'USED');
      assert.ok(used.checkedInAt);
    });

    it('answers a repeated nonce with the first answer', async () => {
      const o = await paidOrder(1);
      const [t] = await tickets(o.id);
      const nonce = randomUUID();
      const first = ok(await checkin({ secret: t.secret, nonce, gate: 'North' })).body;
      assert.equal(first.result, 'ADMITTED');
      const replay = ok(await checkin({ secret: t.secret, nonce, gate: 'North' })).body;
      assert.deepEqual(replay, first);
      const fresh = ok(await checkin({ secret: t.secret })).body;
      assert.equal(fresh.result, 'ALREADY_ADMITTED');
      assert.equal(fresh.firstCheckin.gate, 'North');
    });

    it('answers unknown, malformed and over-long secrets INVALID and other nights WRONG_SHOW', async () => {
      for (const secret of ['x', 'A'.repeat(43), '../../etc/passwd', '💥'.repeat(20), 'A'.repeat(4000), "' OR 1=1 --"]) {
        const res = ok(await checkin({ secret }));
        assert.deepEqual(res.body, { result: 'INVALID' });
      }
      const o = await paidOrder(1);
      const [t] = await tickets(o.id);
      const otherNight = (await s.services.catalog.listShows()).items.find((x) => x.showDate !== s.showDate)!.showDate;
      const wrong = ok(await checkin({ secret: t.secret, showDate: otherNight })).body;
      assert.equal(wrong.result, 'WRONG_SHOW');
      assert.equal(wrong.ticket.showDate, s.showDate);
      // only staff may force it in; a door account gets 403
      assertError(await checkin({ secret: t.secret, showDate: otherNight, force: true }), 403, 'FORBIDDEN');
      assert.equal(ok(await checkin({ secret: t.secret, showDate: otherNight, force: true }, staff)).body.result, 'ADMITTED');
      assertError(await checkin({ secret: t.secret }, buyer), 403, 'FORBIDDEN');
      assertError(await call(s.url, 'POST', '/api/v1/checkins', { body: { secret: t.secret, showDate: s.showDate, nonce: 'n-1' } }), 401, 'UNAUTHENTICATED');
    });

    it('takes an offline batch with a ticket scanned twice: once ADMITTED, once ALREADY_ADMITTED; a re-upload changes nothing', async () => {
      const o = await paidOrder(2);
      const [a, b] = await tickets(o.id);
      const t0 = s.clock.now().getTime() - 60_000;
      const scans = [
        { secret: a.secret, showDate: s.showDate, nonce: randomUUID(), gate: 'East', scannedAt: new Date(t0).toISOString() },
        { secret: a.secret, showDate: s.showDate, nonce: randomUUID(), gate: 'West', scannedAt: new Date(t0 + 1000).toISOString() },
        { secret: b.secret, showDate: s.showDate, nonce: randomUUID(), gate: 'East', scannedAt: new Date(t0 + 2000).toISOString() },
        { secret: 'nonsense', showDate: s.showDate, nonce: randomUUID(), scannedAt: new Date(t0 + 3000).toISOString() },
      ];
      const res = ok(await call(s.url, 'POST', '/api/v1/checkins/batch', { body: { scans }, headers: door.auth })).body;
      assert.deepEqual(res.results.map((r: any) => r.result), ['ADMITTED', 'ALREADY_ADMITTED', 'ADMITTED', 'INVALID']);
      assert.deepEqual(res.results[1].firstCheckin, { at: new Date(t0).toISOString(), gate: 'East' });
      const again = ok(await call(s.url, 'POST', '/api/v1/checkins/batch', { body: { scans }, headers: door.auth })).body;
      assert.deepEqual(again, res);
      assert.equal((await tickets(o.id)).find((t: any) => t.id === a.id).checkedInAt, new Date(t0).toISOString());
    });

    it('serves the manifest of secret hashes, and changes since a time', async () => {
      const o = await paidOrder(1);
      const [t] = await tickets(o.id);
      const m = ok(await call(s.url, 'GET', `/api/v1/shows/${s.showDate}/checkin-manifest`, { headers: door.auth })).body;
      const entry = m.tickets.find((x: any) => x.hash === sha256(t.secret));
      assert.deepEqual(entry, { hash: sha256(t.secret), admission: 'seat', seatId: t.seatId, zoneId: t.zoneId, row: t.row, number: t.number, orderCode: o.code, status: 'VALID' });
      assert.ok(!JSON.stringify(m).includes(t.secret));
      assert.ok(m.total >= 1 && m.admitted >= 0);
      // later changes: this ticket's order is cancelled (revoked) and another ticket checked in
      ok(await call(s.url, 'PATCH', `/api/v1/orders/${o.id}/cancel`, { body: {}, headers: staff.auth }));
      const o2 = await paidOrder(1);
      const since = ok(await call(s.url, 'GET', `/api/v1/shows/${s.showDate}/checkin-manifest?since=${encodeURIComponent(m.generatedAt)}`, { headers: door.auth })).body;
      assert.equal(since.tickets.find((x: any) => x.hash === sha256(t.secret))?.status, 'REVOKED');
      assert.ok(since.tickets.some((x: any) => x.orderCode === o2.code));
      assertError(await call(s.url, 'GET', `/api/v1/shows/${s.showDate}/checkin-manifest`, { headers: buyer.auth }), 403, 'FORBIDDEN');
    });

    it('tells staff and door sockets the live count', async () => {
      const o = await paidOrder(1);
      const [t] = await tickets(o.id);
      const before = ok(await call(s.url, 'GET', `/api/v1/shows/${s.showDate}/checkin-count`, { headers: staff.auth })).body;
      const staffSocket = await TestSocket.connect(s.url, { token: staff.token });
      const doorSocket = await TestSocket.connect(s.url, { token: door.token });
      const customerSocket = await TestSocket.connect(s.url, { token: buyer.token });
      try {
        ok(await checkin({ secret: t.secret }));
        const want = { showDate: s.showDate, admitted: before.admitted + 1, total: before.total };
        for (const sock of [staffSocket, doorSocket]) {
          const e = await waitFor(() => sock.of('checkin-count').at(-1), 5000, 'checkin-count');
          assert.deepEqual(e, want);
        }
        assert.equal(customerSocket.of('checkin-count').length, 0);
      } finally {
        staffSocket.close();
        doorSocket.close();
        customerSocket.close();
      }
    });

    it('lets an admin create door accounts that may only check in', async () => {
      const email = `gate-${randomUUID()}@test.local`;
      const body = { email, password: 'door-password-1', name: 'Gate 2', role: 'door' };
      assertError(await call(s.url, 'POST', '/api/v1/users', { body, headers: staff.auth }), 403, 'FORBIDDEN');
      const created = ok(await call(s.url, 'POST', '/api/v1/users', { body, headers: admin.auth }), 201).body.user;
      assert.equal(created.role, 'door');
      assertError(await call(s.url, 'POST', '/api/v1/users', { body, headers: admin.auth }), 409, 'EMAIL_TAKEN');
      const listed = ok(await call(s.url, 'GET', '/api/v1/users?role=door', { headers: admin.auth })).body;
      assert.ok(listed.items.some((u: any) => u.id === created.id));
      const login = ok(await call(s.url, 'POST', '/api/v1/auth/login', { body: { email, password: 'door-password-1' } })).body;
      const auth = { authorization: `Bearer ${login.accessToken}` };
      assert.equal(ok(await call(s.url, 'GET', '/api/v1/auth/me', { headers: auth })).body.user.role, 'door');
      assertError(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: nextSeats(1) }, headers: auth }), 403, 'FORBIDDEN');
      assertError(await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: nextSeats(1) }, headers: auth }), 403, 'FORBIDDEN');
      assertError(await call(s.url, 'GET', '/api/v1/orders', { headers: auth }), 403, 'FORBIDDEN');
      assertError(await call(s.url, 'GET', '/api/orders/enhanced/stats', { headers: auth }), 403, 'FORBIDDEN');
      assert.equal(ok(await checkin({ secret: 'nothing' }, { ...door, auth })).body.result, 'INVALID');
    });

    it('prints one PDF page per ticket with the order code and a QR code that decodes to the secret', async () => {
      const o = await paidOrder(2);
      const list = await tickets(o.id);
      const res = await fetch(`${s.url}/api/v1/orders/${o.id}/tickets.pdf`, { headers: { ...buyer.auth, 'accept-language': 'th' } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/pdf');
      const parser = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
      try {
        const text = await parser.getText();
        assert.equal(text.total, 2);
        for (const page of text.pages) {
          assert.ok(page.text.includes(o.code), page.text);
          assert.ok(page.text.includes('ที่นั่ง'), 'Thai label on the page');
        }
        const images = await parser.getImage({ imageBuffer: true });
        const decoded = images.pages.map((p) => {
          const png = decodePng(p.images[0].data);
          return jsQR(png.data, png.width, png.height)?.data;
        });
        assert.deepEqual(decoded.sort(), list.map((t: any) => t.secret).sort());
      } finally {
        await parser.destroy();
      }
    });
  });
}
