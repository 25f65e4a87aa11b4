import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';
import { checkInvariants } from './helpers/invariants.ts';
import { TestSocket } from './helpers/socket.ts';
import { STANDIN_PUBLISHABLE_KEY, StripeStandin } from './helpers/stripe-standin.ts';
import { REFUND_RETRY_BASE_MS } from '../src/modules/payments/service.ts';

const WEBHOOK_SECRET = 'whsec_test_boxoffice';

for (const target of dbTargets()) {
  describe(`payments through Stripe (local stand-in) on ${target}`, () => {
    let s: TestServer;
    let stripe: StripeStandin;
    let buyer: TestUser;
    let other: TestUser;
    let staff: TestUser;
    let seat = 205; // 206 onwards: one row without gaps (there is no seat 205)
    const nextSeats = (n = 1) => Array.from({ length: n }, () => String(++seat));
    const order = async (u: TestUser, seatIds = nextSeats()) =>
      ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds }, headers: u.auth }), 201).body.order;
    const intent = (u: TestUser, id: string, method = 'promptpay') => call(s.url, 'POST', `/api/v1/orders/${id}/payments/intents`, { body: { method }, headers: u.auth });
    const getOrder = async (id: string) => ok(await call(s.url, 'GET', `/api/v1/orders/${id}`, { headers: staff.auth })).body.order;
    const hook = (type: string, piId: string, opts: { eventId?: string; secret?: string; object?: unknown } = {}) =>
      stripe.deliver(s.url, type, opts.object ?? stripe.snapshot(piId), { secret: opts.secret ?? WEBHOOK_SECRET, eventId: opts.eventId });
    const started = async (seats?: string[]) => {
      const o = await order(buyer, seats);
      const p = ok(await intent(buyer, o.id), 201).body.payment;
      return { o, p, pi: p.reference as string };
    };
    const expireNow = async (o: any) => {
      const fresh = await getOrder(o.id);
      s.clock.advance(new Date(fresh.expiresAt).getTime() - s.clock.now().getTime() + 1);
      await s.services.orders.expireOrders();
    };

    before(async () => {
      stripe = await StripeStandin.start();
      s = await startTestServer({
        target,
        env: {
          PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_boxoffice', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: stripe.url,
          STRIPE_PUBLISHABLE_KEY: STANDIN_PUBLISHABLE_KEY, STRIPE_JS_URL: `${stripe.url}/v3/`,
        },
      });
      stripe.webhookTo = { appUrl: s.url, secret: WEBHOOK_SECRET };
      [buyer, other] = await s.users(2);
      staff = await s.user('staff');
    });
    after(async () => {
      await checkInvariants(s.db);
      await s.close();
      await stripe.close();
    });

    it('a PromptPay intent: QR from the intent, idempotency key, then the success webhook pays the order, live', async () => {
      const o = await order(buyer, nextSeats(2));
      const sock = await TestSocket.connect(s.url, { token: buyer.token });
      try {
        const res = await intent(buyer, o.id);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const p = res.body.payment;
        assert.deepEqual([p.provider, p.method, p.status, p.amount], ['stripe', 'promptpay', 'PENDING', o.total]);
        const pi = stripe.intents.get(p.reference)!;
        assert.deepEqual([pi.amount, pi.currency, pi.metadata.orderId, pi.metadata.paymentId], [o.total * 100, 'thb', o.id, p.id]);
        assert.equal(p.promptpay.payload, pi.next_action!.promptpay_display_qr_code!.data);
        assert.match(p.promptpay.qrSvg, /^<svg/);
        // a retry returns the same open payment without a second intent
        assert.equal(ok(await intent(buyer, o.id), 201).body.payment.id, p.id);
        assert.equal(stripe.requests.filter((r) => r === 'POST /v1/payment_intents').length, 1);

        stripe.succeed(pi.id);
        const wh = await hook('payment_intent.succeeded', pi.id);
        assert.equal(wh.status, 200, JSON.stringify(wh.body));
        await sock.next('payment-status-changed', (e) => e.paymentId === p.id && e.status === 'SUCCEEDED');
        await sock.next('order-status-changed', (e) => e.orderId === o.id && e.status === 'PAID');
        const paid = await getOrder(o.id);
        assert.deepEqual([paid.status, paid.amountPaid, paid.payments[0].status], ['PAID', o.total, 'SUCCEEDED']);

        // the same event again (Stripe retries) and a stale failure arriving late change nothing
        const dup = await hook('payment_intent.succeeded', pi.id, { eventId: wh.eventId });
        assert.deepEqual([dup.status, dup.body.duplicate], [200, true]);
        ok(await hook('payment_intent.payment_failed', pi.id, { object: { ...(stripe.snapshot(pi.id) as object), status: 'requires_payment_method' } }));
        const still = await getOrder(o.id);
        assert.deepEqual(still.payments.map((x: any) => x.status), ['SUCCEEDED']);
        assert.equal(still.status, 'PAID');
      } finally {
        sock.close();
      }
    });

    it('a card intent gives its client secret; a failure then a later success converge on PAID', async () => {
      const o = await order(buyer);
      const p = ok(await intent(buyer, o.id, 'card'), 201).body.payment;
      assert.match(p.clientSecret, /^pi_[0-9a-f]+_secret_/);
      assert.equal((await getOrder(o.id)).payments[0].clientSecret, undefined, 'the secret goes to the payer only');
      stripe.fail(p.reference);
      ok(await hook('payment_intent.payment_failed', p.reference));
      assert.equal((await getOrder(o.id)).payments[0].status, 'FAILED');
      stripe.succeed(p.reference);
      ok(await hook('payment_intent.succeeded', p.reference));
      const paid = await getOrder(o.id);
      assert.deepEqual([paid.status, paid.payments[0].status], ['PAID', 'SUCCEEDED']);
    });

    it('offers card with the publishable key and STRIPE_JS_URL, and its policy lets that Stripe.js and API in', async () => {
      const res = ok(await call(s.url, 'GET', '/api/v1/payments/methods'));
      assert.deepEqual(res.body, { methods: ['promptpay', 'card'], stripe: { publishableKey: STANDIN_PUBLISHABLE_KEY, jsUrl: `${stripe.url}/v3/` } });
      const csp = res.headers.get('content-security-policy') ?? '';
      for (const directive of ['script-src', 'frame-src', 'connect-src']) assert.match(csp, new RegExp(`${directive} [^;]*${stripe.url.replace(/[.]/g, '\\.')}(;|$)`), directive);
    });

    it("card confirmed as Stripe.js does it: a decline leaves the order PENDING and payable, then 4242 pays it through the webhook", async () => {
      const o = await order(buyer);
      const p = ok(await intent(buyer, o.id, 'card'), 201).body.payment;
      const confirm = (number: string, fields: Record<string, string> = {}) =>
        fetch(`${stripe.url}/v1/payment_intents/${p.reference}/confirm`, {
          method: 'POST',
          body: new URLSearchParams({ key: STANDIN_PUBLISHABLE_KEY, client_secret: p.clientSecret, 'payment_method_data[type]': 'card', 'payment_method_data[card][number]': number, ...fields }),
        }).then(async (r) => ({ status: r.status, body: await r.json() }));
      // Stripe.js must bring the publishable key and the intent's own client secret
      assert.equal((await confirm('4242424242424242', { key: 'pk_test_wrong' })).status, 401);
      assert.equal((await confirm('4242424242424242', { client_secret: `${p.reference}_secret_wrong` })).status, 404);

      const declined = await confirm('4000000000000002');
      assert.equal(declined.status, 402);
      assert.deepEqual([declined.body.error.type, declined.body.error.code, declined.body.error.message], ['card_error', 'card_declined', 'Your card was declined.']);
      assert.equal(await stripe.webhookSent('payment_intent.payment_failed', p.reference), 200);
      const still = await getOrder(o.id);
      assert.deepEqual([still.status, still.payments[0].status, still.payments[0].failureReason], ['PENDING', 'FAILED', 'Your card was declined.']);
      assert.ok(Date.parse(still.expiresAt) > s.clock.now().getTime(), 'still within its time to pay');

      const paid = await confirm('4242424242424242');
      assert.deepEqual([paid.status, paid.body.status, paid.body.metadata], [200, 'succeeded', undefined], 'a publishable key does not see metadata');
      assert.equal(await stripe.webhookSent('payment_intent.succeeded', p.reference), 200);
      const done = await getOrder(o.id);
      assert.deepEqual([done.status, done.amountPaid, done.payments.length, done.payments[0].status], ['PAID', o.total, 1, 'SUCCEEDED']);
      // confirming a succeeded intent again is refused by Stripe, and changes nothing here
      assert.equal((await confirm('4242424242424242')).body.error.code, 'payment_intent_unexpected_state');
    });

    it('a webhook with a bad signature is refused with 400 and changes nothing', async () => {
      const { o, pi } = await started();
      stripe.succeed(pi);
      const bad = await hook('payment_intent.succeeded', pi, { secret: 'whsec_wrong' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'VALIDATION_FAILED');
      const forged = await fetch(`${s.url}/api/v1/payments/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"evt_x","type":"payment_intent.succeeded"}' });
      assert.equal(forged.status, 400);
      const same = await getOrder(o.id);
      assert.deepEqual([same.status, same.payments[0].status], ['PENDING', 'PENDING']);
      // the real event, signed, still works afterwards (the bad one did not consume its id)
      ok(await hook('payment_intent.succeeded', pi, { eventId: bad.eventId }));
      assert.equal((await getOrder(o.id)).status, 'PAID');
    });

    it('an amount that does not match the order is not taken: REFUND_DUE, refunded through Stripe, order unpaid', async () => {
      const { o, pi } = await started();
      stripe.succeed(pi, 100);
      ok(await hook('payment_intent.succeeded', pi));
      const after1 = await getOrder(o.id);
      assert.equal(after1.status, 'PENDING');
      assert.equal(after1.payments[0].status, 'REFUNDED');
      assert.equal(stripe.charges.get(stripe.intents.get(pi)!.latest_charge!)!.refunded, true);
      // Stripe's charge.refunded afterwards changes nothing more
      ok(await hook('charge.refunded', pi, { object: { id: stripe.intents.get(pi)!.latest_charge, object: 'charge', payment_intent: pi, refunded: true } }));
      assert.equal((await getOrder(o.id)).payments[0].status, 'REFUNDED');
    });

    it('a refund that fails because Stripe is down is retried by itself with backoff, and money goes back once', async () => {
      const { o, pi } = await started();
      stripe.succeed(pi, 100);
      stripe.refundsDown = true;
      const refundCalls = () => stripe.requests.filter((r) => r === 'POST /v1/refunds').length;
      try {
        ok(await hook('payment_intent.succeeded', pi));
        const p = (await getOrder(o.id)).payments[0];
        assert.equal(p.status, 'REFUND_DUE');
        assert.equal(await s.services.payments.retryDueRefunds(), 0, 'not due before its backoff');
        s.clock.advance(REFUND_RETRY_BASE_MS + 1);
        assert.equal(await s.services.payments.retryDueRefunds(), 1, 'due after 30 s');
        assert.equal((await getOrder(o.id)).payments[0].status, 'REFUND_DUE');
        s.clock.advance(REFUND_RETRY_BASE_MS + 1);
        assert.equal(await s.services.payments.retryDueRefunds(), 0, 'the second failure waits twice as long');
      } finally {
        stripe.refundsDown = false;
      }
      const before = refundCalls();
      s.clock.advance(REFUND_RETRY_BASE_MS);
      assert.equal(await s.services.payments.retryDueRefunds(), 1);
      assert.equal(refundCalls(), before + 1);
      assert.equal((await getOrder(o.id)).payments[0].status, 'REFUNDED');
      assert.equal(stripe.charges.get(stripe.intents.get(pi)!.latest_charge!)!.refunded, true);
      assert.equal(await s.services.payments.retryDueRefunds(), 0, 'nothing left to retry');
    });

    it('provider down: starting a payment answers 503 with nothing recorded; a webhook answers 503 and works once Stripe is back', async () => {
      const o = await order(buyer);
      stripe.down = true;
      try {
        assertError(await intent(buyer, o.id), 503, 'PAYMENT_PROVIDER_UNAVAILABLE');
        const same = await getOrder(o.id);
        assert.deepEqual([same.payments.length, same.expiresAt], [0, o.expiresAt]);
      } finally {
        stripe.down = false;
      }
      const p = ok(await intent(buyer, o.id), 201).body.payment;
      stripe.succeed(p.reference);
      stripe.down = true;
      let res;
      try {
        res = await hook('payment_intent.succeeded', p.reference);
        assert.equal(res.status, 503);
        assert.equal((await getOrder(o.id)).status, 'PENDING');
      } finally {
        stripe.down = false;
      }
      ok(await hook('payment_intent.succeeded', p.reference, { eventId: res.eventId }));
      assert.equal((await getOrder(o.id)).status, 'PAID');
    });

    it('a webhook that beats the HTTP answer: both converge on one paid payment', async () => {
      const o = await order(buyer);
      stripe.beforeCreateAnswer = async (pi) => {
        stripe.beforeCreateAnswer = undefined;
        stripe.succeed(pi.id);
        ok(await hook('payment_intent.succeeded', pi.id));
      };
      const p = ok(await intent(buyer, o.id), 201).body.payment;
      const paid = await getOrder(o.id);
      assert.equal(paid.status, 'PAID');
      assert.deepEqual(paid.payments.map((x: any) => [x.id, x.status]), [[p.id, 'SUCCEEDED']]);
    });

    it('late payment: seats still free → booked again and PAID; seats taken → CANCELLED and refunded', async () => {
      const a = await started();
      await expireNow(a.o);
      assert.equal((await getOrder(a.o.id)).status, 'CANCELLED');
      stripe.succeed(a.pi);
      ok(await hook('payment_intent.succeeded', a.pi));
      const rebooked = await getOrder(a.o.id);
      assert.deepEqual([rebooked.status, rebooked.amountPaid], ['PAID', a.o.total]);

      const b = await started();
      await expireNow(b.o);
      await order(other, b.o.seats.map((x: any) => x.seatId));
      stripe.succeed(b.pi);
      ok(await hook('payment_intent.succeeded', b.pi));
      const lost = await getOrder(b.o.id);
      assert.deepEqual([lost.status, lost.amountPaid, lost.amountRefunded, lost.payments[0].status], ['CANCELLED', 0, b.o.total, 'REFUNDED']);
      assert.equal(stripe.charges.get(stripe.intents.get(b.pi)!.latest_charge!)!.refunded, true);
      const queue = ok(await call(s.url, 'GET', '/api/v1/payments/refunds', { headers: staff.auth })).body.items;
      assert.ok(queue.some((x: any) => x.payment.id === lost.payments[0].id && x.payment.status === 'REFUNDED'));
    });

    // ------------------------------------------------------------ staff refunds of money paid through Stripe

    /** A PAID order of `seats` seats, paid by card through Stripe; its intent id. */
    const paidByCard = async (seats = 2) => {
      const o = await order(buyer, nextSeats(seats));
      const p = ok(await intent(buyer, o.id, 'card'), 201).body.payment;
      stripe.succeed(p.reference);
      ok(await hook('payment_intent.succeeded', p.reference));
      const paid = await getOrder(o.id);
      assert.equal(paid.status, 'PAID');
      return { o: paid, pi: p.reference as string };
    };
    const refund = (u: TestUser, id: string, amount: number, method = 'card') =>
      call(s.url, 'POST', `/api/v1/orders/${id}/refunds`, { body: { amount, method, reason: 'one guest could not come' }, headers: u.auth });
    const refundMails = async (orderId: string) =>
      (await s.db.query<{ payload: { refundId?: string; amount: number } }>("SELECT payload FROM outbox WHERE order_id = $1 AND kind = 'order-refunded' ORDER BY id", [orderId])).rows.map((r) => r.payload);
    const stripeRefunds = (pi: string) => [...stripe.refunds.values()].filter((r) => r.payment_intent === pi);

    it('a card refund goes through Stripe: PENDING with the refund id, then DONE by the webhook, and only then the buyer is mailed', async () => {
      const { o, pi } = await paidByCard(2);
      const seatPrice = o.seats[0].price;
      stripe.refundOutcome = 'pending';
      try {
        const res = await refund(staff, o.id, seatPrice);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const r = res.body.refund;
        const [re] = stripeRefunds(pi);
        assert.ok(re, 'a refund was created at Stripe');
        assert.deepEqual([r.status, r.reference, r.method, r.amount, r.completedAt], ['PENDING', re.id, 'card', seatPrice, undefined]);
        assert.equal(re.amount, seatPrice * 100, 'the refund amount in satang, not the whole charge');
        // the idempotency key is the refund record's: the stand-in derives the refund id from it
        assert.equal(re.id, `re_${Buffer.from(`boxoffice-refund-${r.id}`).toString('hex').slice(-24)}`);
        const pending = await getOrder(o.id);
        assert.deepEqual([pending.amountRefunded, pending.refunds.map((x: any) => x.status)], [seatPrice, ['PENDING']], 'a PENDING refund counts as given back');
        assert.deepEqual(await refundMails(o.id), [], 'no notice before the money is on its way');

        // a refund.updated that still says pending changes nothing
        ok(await hook('refund.updated', pi, { object: stripe.refundSnapshot(re.id) }));
        assert.equal((await getOrder(o.id)).refunds[0].status, 'PENDING');

        stripe.settleRefund(re.id, 'succeeded');
        const sock = await TestSocket.connect(s.url, { token: buyer.token });
        try {
          const wh = await hook('refund.updated', pi, { object: stripe.refundSnapshot(re.id) });
          assert.equal(wh.status, 200, JSON.stringify(wh.body));
          await sock.next('order-status-changed', (e) => e.orderId === o.id);
        } finally {
          sock.close();
        }
        const done = await getOrder(o.id);
        assert.equal(done.refunds[0].status, 'DONE');
        assert.ok(done.refunds[0].completedAt, 'completedAt set');
        assert.deepEqual((await refundMails(o.id)).map((m) => [m.refundId, m.amount]), [[r.id, seatPrice]]);
        // the same event again, and charge.refunded afterwards: no second notice, nothing moves
        ok(await hook('charge.refunded', pi, { object: { id: re.charge, object: 'charge', payment_intent: pi, refunded: false } }));
        assert.equal((await refundMails(o.id)).length, 1);
        assert.deepEqual((await getOrder(o.id)).payments.map((x: any) => x.status), ['SUCCEEDED']);
      } finally {
        stripe.refundOutcome = 'succeeded';
      }
      await checkInvariants(s.db);
    });

    it('Stripe fails a refund: FAILED, no notice, and the money can be refunded again (at once when Stripe says succeeded)', async () => {
      const { o, pi } = await paidByCard(2);
      stripe.refundOutcome = 'pending';
      let first;
      try {
        first = ok(await refund(staff, o.id, o.total), 201).body.refund;
      } finally {
        stripe.refundOutcome = 'succeeded';
      }
      assertError(await refund(staff, o.id, 1), 422, 'REFUND_EXCEEDS_PAID');
      stripe.settleRefund(first.reference, 'failed');
      ok(await hook('refund.updated', pi, { object: stripe.refundSnapshot(first.reference) }));
      const failed = await getOrder(o.id);
      assert.deepEqual([failed.refunds[0].status, failed.amountRefunded], ['FAILED', 0]);
      assert.deepEqual(await refundMails(o.id), []);

      // refundable again; this time Stripe answers succeeded at once: DONE in the answer, mailed
      const again = ok(await refund(staff, o.id, o.total), 201).body.refund;
      assert.equal(again.status, 'DONE');
      assert.notEqual(again.reference, first.reference);
      const end = await getOrder(o.id);
      assert.equal(end.amountRefunded, o.total);
      assert.deepEqual(Object.fromEntries(end.refunds.map((x: any) => [x.id, x.status])), { [first.id]: 'FAILED', [again.id]: 'DONE' });
      assert.deepEqual((await refundMails(o.id)).map((m) => m.refundId), [again.id]);
      assert.equal(stripe.charges.get(stripe.intents.get(pi)!.latest_charge!)!.refunded, true);
    });

    it('two staff refunding a Stripe payment at once never refund more than was paid (one reaches Stripe)', async () => {
      const staff2 = await s.user('staff');
      for (let round = 0; round < 3; round++) {
        const { o, pi } = await paidByCard(1);
        stripe.refundOutcome = round % 2 === 0 ? 'pending' : 'succeeded';
        try {
          const answers = await Promise.all([refund(staff, o.id, o.total), refund(staff2, o.id, o.total)]);
          assert.deepEqual(answers.map((a) => a.status).sort(), [201, 422], JSON.stringify(answers.map((a) => a.body)));
          assertError(answers.find((a) => a.status === 422)!, 422, 'REFUND_EXCEEDS_PAID');
        } finally {
          stripe.refundOutcome = 'succeeded';
        }
        assert.equal(stripeRefunds(pi).length, 1, `round ${round}: one refund at Stripe`);
        assert.equal((await getOrder(o.id)).amountRefunded, o.total);
      }
    });

    it('Stripe down when staff refund: PENDING, sent by the refund retries after the backoff, once', async () => {
      const { o, pi } = await paidByCard(1);
      stripe.refundsDown = true;
      let r;
      try {
        r = ok(await refund(staff, o.id, o.total), 201).body.refund;
        assert.deepEqual([r.status, r.reference], ['PENDING', undefined]);
        assert.equal(await s.services.payments.retryDueRefunds(), 0, 'not due before its backoff');
      } finally {
        stripe.refundsDown = false;
      }
      s.clock.advance(REFUND_RETRY_BASE_MS + 1);
      assert.equal(await s.services.payments.retryDueRefunds(), 1);
      const done = (await getOrder(o.id)).refunds[0];
      assert.deepEqual([done.id, done.status], [r.id, 'DONE']);
      assert.equal(stripeRefunds(pi).length, 1);
      assert.equal(await s.services.payments.retryDueRefunds(), 0, 'nothing left to retry');
    });

    it('refund methods: cash of a Stripe payment is DONE by hand; card of an order paid cash → 422 PAYMENT_METHOD_UNAVAILABLE', async () => {
      const { o, pi } = await paidByCard(2);
      const cash = ok(await refund(staff, o.id, o.seats[0].price, 'cash'), 201).body.refund;
      assert.equal(cash.status, 'DONE');
      assert.equal(stripeRefunds(pi).length, 0, 'no money went back through Stripe');
      const c = await order(buyer);
      ok(await call(s.url, 'POST', `/api/v1/orders/${c.id}/payments`, { body: { method: 'cash', amount: c.total, reference: 'R-cash' }, headers: staff.auth }));
      const refused = await refund(staff, c.id, c.total, 'card');
      assertError(refused, 422, 'PAYMENT_METHOD_UNAVAILABLE');
      assert.deepEqual(refused.body.details?.paidWith, ['cash']);
      assertError(await refund(staff, c.id, c.total, 'promptpay'), 422, 'PAYMENT_METHOD_UNAVAILABLE');
      assert.deepEqual((await getOrder(c.id)).refunds, [], 'nothing recorded');
    });

    it('webhook, staff confirmation and expiry racing on one order end in one outcome, money accounted for', async () => {
      for (let round = 0; round < 6; round++) {
        const { o, pi } = await started();
        const fresh = await getOrder(o.id);
        // even rounds: at the deadline (expiry may win the race); odd: just before it (staff may win)
        s.clock.advance(new Date(fresh.expiresAt).getTime() - s.clock.now().getTime() + (round % 2 === 0 ? 0 : -1_000));
        stripe.succeed(pi);
        const [wh, manual] = await Promise.all([
          hook('payment_intent.succeeded', pi),
          call(s.url, 'POST', `/api/v1/orders/${o.id}/payments`, { body: { method: 'cash', amount: o.total, reference: `R${round}` }, headers: staff.auth }),
          s.services.orders.expireOrders(),
        ]);
        assert.equal(wh.status, 200);
        assert.ok([200, 409].includes(manual.status), JSON.stringify(manual.body));
        const end = await getOrder(o.id);
        assert.equal(end.status, 'PAID', `round ${round}`);
        const succeeded = end.payments.filter((x: any) => x.status === 'SUCCEEDED');
        assert.equal(succeeded.length, 1, `round ${round}: one payment pays, ${JSON.stringify(end.payments)}`);
        for (const x of end.payments.filter((y: any) => y.status !== 'SUCCEEDED')) assert.equal(x.status, 'REFUNDED', 'the other money goes back');
        await checkInvariants(s.db);
      }
    });
  });
}
