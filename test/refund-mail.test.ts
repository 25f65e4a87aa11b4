/**
 * The refund notice ('order-refunded'): written to the outbox in the transaction that records the refund, by staff at
 * the counter (POST /orders/:id/refunds) or when a payment becomes REFUNDED (a late payment given back), and delivered
 * as DATA_DIR/mail/*.eml in the buyer's language. Kept apart from mail.test.ts, whose SMTP and crash tests are slow.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import { simpleParser } from 'mailparser';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';
import { waitFor } from './helpers/socket.ts';

async function register(url: string, lang: 'th' | 'en'): Promise<{ auth: { authorization: string } }> {
  const email = `refund-${lang}-${Math.random().toString(36).slice(2)}@test.local`;
  const r = ok(await call(url, 'POST', '/api/v1/auth/register', { body: { email, password: 'buyer-password-1', name: lang === 'th' ? 'สมหญิง' : 'Sue' }, headers: { 'accept-language': lang } }), 201);
  return { auth: { authorization: `Bearer ${r.body.accessToken}` } };
}

for (const target of dbTargets()) {
  describe(`refund notices on ${target}`, () => {
    let s: TestServer;
    let staff: TestUser;
    let dir: string;
    let seat = 300;

    const emls = (code: string, kind: string) => readdirSync(dir).filter((f) => f.endsWith('.eml') && f.includes(code) && f.includes(kind));
    const refundRows = async (orderId: string) =>
      (await s.db.query("SELECT count(*)::int AS n FROM outbox WHERE order_id = $1 AND kind = 'order-refunded'", [orderId])).rows[0].n as number;

    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'bo-refund-mail-'));
      s = await startTestServer({ target, config: { mailDir: dir, mailPollMs: 100 } });
      staff = await s.user('staff');
    });
    after(async () => {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('a refund at the counter mails the buyer the amount, in Thai for a Thai buyer; a refused refund mails nothing', async () => {
      const buyer = await register(s.url, 'th');
      const o = ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: [String(++seat), String(++seat)] }, headers: buyer.auth }), 201).body.order;
      ok(await call(s.url, 'POST', `/api/v1/orders/${o.id}/payments`, { body: { method: 'cash', amount: o.total, reference: 'R-1' }, headers: staff.auth }));
      assertError(
        await call(s.url, 'POST', `/api/v1/orders/${o.id}/refunds`, { body: { amount: o.total + 1, method: 'cash', reason: 'too much' }, headers: staff.auth }),
        422,
        'REFUND_EXCEEDS_PAID',
      );
      assert.equal(await refundRows(o.id), 0, 'a refund that was not recorded is not announced');

      const amount = Math.floor(o.total / 2);
      ok(await call(s.url, 'POST', `/api/v1/orders/${o.id}/refunds`, { body: { amount, method: 'cash', reason: 'one guest could not come' }, headers: staff.auth }), 201);
      assert.equal(await refundRows(o.id), 1, 'written with the refund');
      const [file] = await waitFor(() => emls(o.code, 'order-refunded').length > 0 && emls(o.code, 'order-refunded'), 20_000, 'the refund notice .eml');
      const mail = await simpleParser(readFileSync(path.join(dir, file)));
      assert.equal(mail.subject, `คืนเงินคำสั่งซื้อ ${o.code}`);
      const thb = new Intl.NumberFormat('th-TH', { style: 'currency', currency: 'THB', maximumFractionDigits: 0 }).format(amount);
      assert.ok(mail.text!.includes(`เราได้คืนเงิน ${thb}`), `the refunded amount, not the order total: ${mail.text}`);
      assert.equal(mail.headers.get('x-boxoffice-mail'), 'order-refunded');
    });

    it('a late payment given back (REFUNDED) mails an English buyer the payment amount', async () => {
      const buyer = await register(s.url, 'en');
      const other = await s.user('customer');
      const mine = String(++seat);
      const o = ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: [mine] }, headers: buyer.auth }), 201).body.order;
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(await QRCode.toBuffer('a transfer slip', { type: 'png' }))], { type: 'image/png' }), 'slip.png');
      const slip = await (await fetch(`${s.url}/api/v1/orders/${o.id}/slips`, { method: 'POST', headers: buyer.auth, body: form })).json();
      // the order runs out of time and its seat is sold to someone else before the slip is approved: the money is due back
      const waiting = ok(await call(s.url, 'GET', `/api/v1/orders/${o.id}`, { headers: staff.auth })).body.order; // the slip extended its deadline
      s.clock.advance(new Date(waiting.expiresAt).getTime() - s.clock.now().getTime() + 1);
      await s.services.orders.expireOrders();
      ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: [mine] }, headers: other.auth }), 201);
      ok(await call(s.url, 'POST', `/api/v1/slips/${(slip as { slip: { id: string } }).slip.id}/approve`, { headers: staff.auth }));
      const [p] = ok(await call(s.url, 'GET', `/api/v1/orders/${o.id}`, { headers: staff.auth })).body.order.payments;
      assert.equal(p.status, 'REFUND_DUE');
      assert.equal(await refundRows(o.id), 0);

      ok(await call(s.url, 'POST', `/api/v1/payments/${p.id}/refund`, { body: { reference: 'SCB back 7' }, headers: staff.auth }));
      assert.equal(await refundRows(o.id), 1);
      const [file] = await waitFor(() => emls(o.code, 'order-refunded').length > 0 && emls(o.code, 'order-refunded'), 20_000, 'the refund notice .eml');
      const mail = await simpleParser(readFileSync(path.join(dir, file)));
      assert.equal(mail.subject, `Refund for order ${o.code}`);
      const thb = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'THB', maximumFractionDigits: 0 }).format(p.amount);
      assert.ok(mail.text!.includes(`We have refunded ${thb}`), mail.text);

      // refunding it again changes nothing and mails nothing more
      ok(await call(s.url, 'POST', `/api/v1/payments/${p.id}/refund`, { body: { reference: 'SCB back 7' }, headers: staff.auth }));
      assert.equal(await refundRows(o.id), 1);
    });

    it("a counter sale mails the customer's email, never the cashier's account; a walk-in without email gets no mail at all", async () => {
      // the worker marks a mail SENT once it is delivered, or when there is nobody to deliver it to
      const outboxDone = async (orderId: string, n: number) => {
        const deadline = Date.now() + 20_000;
        while ((await s.db.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE order_id = $1 AND status = 'SENT'", [orderId])).rows[0].n < n) {
          assert.ok(Date.now() < deadline, 'outbox delivered');
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const sale = async (extra: Record<string, unknown>) => {
        const seatIds = [String(++seat)];
        const price = (await s.db.query<{ n: number }>('SELECT z.price AS n FROM seats st JOIN venue_zones z ON z.id = st.zone_id WHERE st.id = $1', [seatIds[0]])).rows[0].n;
        return ok(
          await call(s.url, 'POST', '/api/v1/boxoffice/sales', { body: { showDate: s.showDate, seatIds, payment: { method: 'cash', amount: price }, ...extra }, headers: staff.auth }),
          201,
        ).body.order;
      };
      const walkIn = await sale({ customerName: 'Walk-in' });
      ok(await call(s.url, 'POST', `/api/v1/orders/${walkIn.id}/refunds`, { body: { amount: 100, method: 'cash', reason: 'discount' }, headers: staff.auth }), 201);
      await outboxDone(walkIn.id, 2);
      assert.deepEqual(readdirSync(dir).filter((f) => f.includes(walkIn.code)), [], 'neither the tickets nor the refund notice went anywhere');

      const email = `walkin-${Math.random().toString(36).slice(2)}@guest.local`;
      const known = await sale({ customerName: 'Guest', customerEmail: email });
      const [file] = await waitFor(() => emls(known.code, 'order-paid').length > 0 && emls(known.code, 'order-paid'), 20_000, 'the tickets .eml');
      const mail = await simpleParser(readFileSync(path.join(dir, file)));
      assert.equal((mail.to as { value: { address: string }[] }).value[0].address, email);
      assert.notEqual(email, staff.email);
    });
  });
}
