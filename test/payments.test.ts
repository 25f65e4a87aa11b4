import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import QRCode from 'qrcode';
import { parse as parseEmvco, checksum } from 'promptparse';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';
import { checkInvariants } from './helpers/invariants.ts';
import { TestSocket, assertEventShape } from './helpers/socket.ts';

const MAX_HOLD_MS = 10 * 60_000; // shorter than a payment's 15 min: the cap decides

/** Uploads `bytes` as the multipart field `file` (what a browser form sends). */
async function upload(url: string, path: string, auth: Record<string, string>, bytes: Uint8Array, name = 'slip.png', type = 'image/png') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await fetch(url + path, { method: 'POST', headers: auth, body: form, signal: AbortSignal.timeout(60_000) });
  return { status: res.status, body: (await res.json()) as any };
}

for (const target of dbTargets()) {
  describe(`payments without a provider (PromptPay QR, slips) on ${target}`, () => {
    let s: TestServer;
    let buyer: TestUser;
    let other: TestUser;
    let staff: TestUser;
    let png: Buffer;
    const order = async (u: TestUser, seatIds: string[]) =>
      ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds }, headers: u.auth }), 201).body.order;
    const intent = (u: TestUser, id: string, method = 'promptpay') => call(s.url, 'POST', `/api/v1/orders/${id}/payments/intents`, { body: { method }, headers: u.auth });
    const getOrder = async (id: string) => ok(await call(s.url, 'GET', `/api/v1/orders/${id}`, { headers: staff.auth })).body.order;
    const seatState = async (seatId: string) =>
      (await s.db.query<{ state: string }>('SELECT state FROM seat_inventory WHERE show_date = $1 AND seat_id = $2', [s.showDate, seatId])).rows[0].state;
    const expireNow = async (o: any) => {
      s.clock.advance(new Date(o.expiresAt).getTime() - s.clock.now().getTime() + 1);
      await s.services.orders.expireOrders();
    };

    before(async () => {
      s = await startTestServer({ target, env: { PROMPTPAY_ID: '0812345678', ORDER_MAX_HOLD_MS: String(MAX_HOLD_MS) } });
      [buyer, other] = await s.users(2);
      staff = await s.user('staff');
      png = await QRCode.toBuffer('a transfer slip', { type: 'png' });
    });
    after(async () => {
      await checkInvariants(s.db);
      await s.close();
    });

    it('gives a PromptPay QR for the exact amount: EMVCo fields and CRC as an independent decoder reads them', async () => {
      const o = await order(buyer, ['101', '102']);
      const res = await intent(buyer, o.id);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const p = res.body.payment;
      assert.deepEqual([p.method, p.provider, p.status, p.amount, p.currency, p.orderId], ['promptpay', 'promptpay', 'PENDING', o.total, 'THB', o.id]);
      const qr = parseEmvco(p.promptpay.payload, true, true);
      assert.ok(qr, 'promptparse reads the payload');
      assert.equal(qr.getTagValue('00'), '01'); // payload format indicator
      assert.equal(qr.getTagValue('01'), '12'); // dynamic QR: carries an amount
      assert.equal(qr.getTagValue('29', '00'), 'A000000677010111'); // PromptPay AID
      assert.equal(qr.getTagValue('29', '01'), '0066812345678'); // the phone number, +66 form
      assert.equal(qr.getTagValue('53'), '764'); // THB
      assert.equal(qr.getTagValue('54'), `${o.total}.00`);
      assert.equal(qr.getTagValue('58'), 'TH');
      assert.ok(qr.validate('63'), 'CRC-16 of the payload');
      assert.equal(qr.getTagValue('63'), checksum(p.promptpay.payload.slice(0, -4), true));
      assert.match(p.promptpay.qrSvg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      // the hold follows the payment, capped at ORDER_MAX_HOLD_MS after the order was created
      const after1 = await getOrder(o.id);
      assert.equal(after1.expiresAt, new Date(new Date(o.createdAt).getTime() + MAX_HOLD_MS).toISOString());
      assert.equal(p.expiresAt, after1.expiresAt, 'one deadline: the payment expires with the hold');
      // asking again gives the same open QR, not a second payment
      const again = ok(await intent(buyer, o.id), 201).body.payment;
      assert.equal(again.id, p.id);
      assert.equal((await getOrder(o.id)).payments.length, 1);
    });

    it('refuses card without a provider (and does not offer it), other people\'s orders and orders past their deadline', async () => {
      assert.deepEqual(ok(await call(s.url, 'GET', '/api/v1/payments/methods')).body, { methods: ['promptpay'] });
      const o = await order(buyer, ['103']);
      assertError(await intent(buyer, o.id, 'card'), 422, 'PAYMENT_METHOD_UNAVAILABLE');
      assertError(await intent(other, o.id), 404, 'ORDER_NOT_FOUND');
      assertError(await call(s.url, 'POST', `/api/v1/orders/${o.id}/payments/intents`, { body: { method: 'promptpay', amount: 1 }, headers: buyer.auth }), 400, 'VALIDATION_FAILED');
      await expireNow(o);
      assertError(await intent(buyer, o.id), 409, 'ORDER_NOT_PAYABLE');
    });

    it('staff confirm a scanned QR: the QR payment succeeds, the order is PAID, owner hears both events', async () => {
      const o = await order(buyer, ['104']);
      const p = ok(await intent(buyer, o.id), 201).body.payment;
      const sock = await TestSocket.connect(s.url, { token: buyer.token });
      try {
        const res = ok(await call(s.url, 'POST', `/api/v1/orders/${o.id}/payments`, { body: { method: 'promptpay', amount: o.total, reference: 'KBANK 123' }, headers: staff.auth }));
        const paid = res.body.order;
        assert.equal(paid.status, 'PAID');
        assert.equal(paid.amountPaid, o.total);
        assert.deepEqual(paid.payments.map((x: any) => [x.id, x.provider, x.status, x.reference]), [[p.id, 'promptpay', 'SUCCEEDED', 'KBANK 123']]);
        assert.deepEqual(paid.payment, { method: 'promptpay', amount: o.total, reference: 'KBANK 123' });
        const ev = await sock.next('payment-status-changed', (e) => e.paymentId === p.id && e.status === 'SUCCEEDED');
        assertEventShape('payment-status-changed', ev);
        assert.equal(ev.userId, buyer.id);
        await sock.next('order-status-changed', (e) => e.orderId === o.id && e.status === 'PAID');
      } finally {
        sock.close();
      }
      const cash = ok(await call(s.url, 'POST', `/api/v1/orders/${o.id}/payments`, { body: { method: 'promptpay', amount: o.total, reference: 'KBANK 123' }, headers: staff.auth }));
      assert.equal(cash.body.order.payments.length, 1, 'the same confirmation twice records one payment');
    });

    it('takes a slip only if it is really a PNG or JPEG, and lets staff see and approve it', async () => {
      const o = await order(buyer, ['105']);
      const notImage = await upload(s.url, `/api/v1/orders/${o.id}/slips`, buyer.auth, new TextEncoder().encode('<script>alert(1)</script>'), 'slip.png', 'image/png');
      assertError(notImage, 400, 'SLIP_INVALID');
      const tooBig = Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024)]);
      assertError(await upload(s.url, `/api/v1/orders/${o.id}/slips`, buyer.auth, tooBig), 400, 'SLIP_INVALID');
      assertError(await upload(s.url, `/api/v1/orders/${o.id}/slips`, other.auth, png), 404, 'ORDER_NOT_FOUND');
      const up = await upload(s.url, `/api/v1/orders/${o.id}/slips`, buyer.auth, png, '../../etc/passwd', 'application/octet-stream');
      assert.equal(up.status, 201, JSON.stringify(up.body));
      assert.equal(up.body.slip.status, 'SUBMITTED');
      const slipId = up.body.slip.id;

      assertError(await call(s.url, 'GET', '/api/v1/slips?status=SUBMITTED', { headers: buyer.auth }), 403, 'FORBIDDEN');
      const listed = ok(await call(s.url, 'GET', '/api/v1/slips?status=SUBMITTED', { headers: staff.auth })).body.items.find((x: any) => x.id === slipId);
      assert.deepEqual([listed.amountDue, listed.orderId, listed.mime], [o.total, o.id, 'image/png']);
      const img = await fetch(`${s.url}/api/v1/slips/${slipId}/image`, { headers: staff.auth });
      assert.equal(img.headers.get('content-type'), 'image/png');
      assert.deepEqual(Buffer.from(await img.arrayBuffer()), png);
      assert.equal((await fetch(`${s.url}/api/v1/slips/${slipId}/image`, { headers: other.auth })).status, 404);

      const approved = ok(await call(s.url, 'POST', `/api/v1/slips/${slipId}/approve`, { headers: staff.auth })).body.slip;
      assert.equal(approved.status, 'APPROVED');
      const paid = await getOrder(o.id);
      assert.equal(paid.status, 'PAID');
      assert.deepEqual(paid.payments.map((x: any) => [x.id, x.method, x.provider, x.status, x.amount]), [[approved.paymentId, 'promptpay', 'promptpay', 'SUCCEEDED', o.total]]);
      assert.equal(ok(await call(s.url, 'POST', `/api/v1/slips/${slipId}/approve`, { headers: staff.auth })).body.slip.paymentId, approved.paymentId, 'approving twice pays once');
      assertError(await call(s.url, 'POST', `/api/v1/slips/${slipId}/reject`, { body: { reason: 'no' }, headers: staff.auth }), 400, 'VALIDATION_FAILED');
      assertError(await upload(s.url, `/api/v1/orders/${o.id}/slips`, buyer.auth, png), 409, 'ORDER_NOT_PAYABLE');
    });

    it('rejects a slip with a reason the buyer reads; the order stays unpaid', async () => {
      const o = await order(buyer, ['106']);
      const slipId = (await upload(s.url, `/api/v1/orders/${o.id}/slips`, buyer.auth, png)).body.slip.id;
      assertError(await call(s.url, 'POST', `/api/v1/slips/${slipId}/reject`, { body: {}, headers: staff.auth }), 400, 'VALIDATION_FAILED');
      ok(await call(s.url, 'POST', `/api/v1/slips/${slipId}/reject`, { body: { reason: 'Amount on the slip is 100 THB' }, headers: staff.auth }));
      const mine = ok(await call(s.url, 'GET', `/api/v1/orders/${o.id}/slips`, { headers: buyer.auth })).body.items;
      assert.deepEqual(mine.map((x: any) => [x.status, x.rejectReason]), [['REJECTED', 'Amount on the slip is 100 THB']]);
      assert.equal((await getOrder(o.id)).status, 'PENDING');
    });

    it('a slip approved after the order expired books the seats again when they are still free', async () => {
      const o = await order(buyer, ['107']);
      ok(await intent(buyer, o.id), 201);
      const slipId = (await upload(s.url, `/api/v1/orders/${o.id}/slips`, buyer.auth, png)).body.slip.id;
      await expireNow(await getOrder(o.id));
      const expired = await getOrder(o.id);
      assert.deepEqual([expired.status, expired.cancelReason, expired.payments[0].status], ['CANCELLED', 'EXPIRED', 'EXPIRED']);
      assert.equal(await seatState('107'), 'AVAILABLE');
      ok(await call(s.url, 'POST', `/api/v1/slips/${slipId}/approve`, { headers: staff.auth }));
      const paid = await getOrder(o.id);
      assert.equal(paid.status, 'PAID');
      assert.equal(paid.cancelReason, undefined);
      assert.equal(paid.amountPaid, o.total);
      assert.equal(await seatState('107'), 'BOOKED');
      await checkInvariants(s.db);
    });

    it('a late payment books again only the seats a partial cancel left in the order; the cancelled seat stays free for others', async () => {
      const o = await order(buyer, ['109', '110']);
      const partial = ok(await call(s.url, 'PATCH', `/api/v1/orders/${o.id}/cancel`, { body: { seatIds: ['110'] }, headers: staff.auth })).body.order;
      assert.deepEqual(partial.seats.map((x: any) => x.seatId), ['109']);
      const slipId = (await upload(s.url, `/api/v1/orders/${o.id}/slips`, buyer.auth, png)).body.slip.id;
      await expireNow(await getOrder(o.id));
      ok(await call(s.url, 'POST', `/api/v1/slips/${slipId}/approve`, { headers: staff.auth }));
      const paid = await getOrder(o.id);
      assert.equal(paid.status, 'PAID');
      assert.deepEqual(paid.seats.map((x: any) => x.seatId), ['109'], 'only the seat still in the order');
      assert.deepEqual(paid.cancelledItems.map((x: any) => x.seatId), ['110']);
      assert.equal(await seatState('109'), 'BOOKED');
      assert.equal(await seatState('110'), 'AVAILABLE', 'the cancelled seat was not taken back');
      const rows = (await s.db.query<{ seat_id: string; active: boolean }>('SELECT seat_id, active FROM order_seats WHERE order_id = $1 ORDER BY seat_id', [o.id])).rows;
      assert.deepEqual(rows.map((r) => [r.seat_id, r.active]), [['109', true], ['110', false]]);
      const theirs = await order(other, ['110']);
      assert.deepEqual(theirs.seats.map((x: any) => x.seatId), ['110'], 'someone else can buy the cancelled seat');
      await checkInvariants(s.db);
    });

    it('a slip approved after the seats went to someone else: order stays CANCELLED, payment REFUND_DUE until staff refund it', async () => {
      const o = await order(buyer, ['108']);
      const slipId = (await upload(s.url, `/api/v1/orders/${o.id}/slips`, buyer.auth, png)).body.slip.id;
      await expireNow(await getOrder(o.id));
      await order(other, ['108']);
      ok(await call(s.url, 'POST', `/api/v1/slips/${slipId}/approve`, { headers: staff.auth }));
      const lost = await getOrder(o.id);
      assert.equal(lost.status, 'CANCELLED');
      assert.equal(lost.amountPaid, 0);
      const [p] = lost.payments;
      assert.deepEqual([p.status, p.amount], ['REFUND_DUE', o.total]);
      const queue = ok(await call(s.url, 'GET', '/api/v1/payments/refunds', { headers: staff.auth })).body.items;
      assert.ok(queue.some((x: any) => x.payment.id === p.id && x.order.id === o.id), 'the staff refund list shows it');
      assertError(await call(s.url, 'POST', `/api/v1/payments/${p.id}/refund`, { body: {}, headers: staff.auth }), 400, 'VALIDATION_FAILED');
      const refunded = ok(await call(s.url, 'POST', `/api/v1/payments/${p.id}/refund`, { body: { reference: 'SCB back 42' }, headers: staff.auth })).body.payment;
      assert.equal(refunded.status, 'REFUNDED');
      const after1 = await getOrder(o.id);
      assert.deepEqual([after1.status, after1.amountPaid, after1.amountRefunded], ['CANCELLED', 0, o.total]);
      assert.equal(await seatState('108'), 'BOOKED');
    });
  });
}
