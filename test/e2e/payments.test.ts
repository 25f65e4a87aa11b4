/**
 * Paying in a real browser, against the Stripe stand-in: a buyer opens the pay page of a PENDING order, sees the
 * PromptPay QR of the intent and the amount, pays (the stand-in's intent succeeds and its signed webhook arrives),
 * and the page turns PAID by itself. Then a slip: the buyer uploads a PNG for a second order, staff in a second
 * browser context see it with its image on the payments page and approve it; the buyer's page turns PAID live.
 * Then card, by keyboard, in the stand-in's Stripe.js: a declined card shows Stripe's message and the order stays
 * payable; 4242 4242 4242 4242 pays it, and PAID shows when the webhook has arrived.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import QRCode from 'qrcode';
import type { Page } from 'playwright-core';
import type { TestServer, TestUser } from '../helpers/server.ts';
import { call, ok } from '../helpers/http.ts';
import { STANDIN_PUBLISHABLE_KEY, StripeStandin } from '../helpers/stripe-standin.ts';
import { e2eSuite, seriousAxeViolations } from './browser.ts';

const WEBHOOK_SECRET = 'whsec_test_boxoffice';

describe('paying in the web app', () => {
  let stripe: StripeStandin;
  // the server pays through the Stripe stand-in, started first
  const suite = e2eSuite({
    server: async () => {
      stripe = await StripeStandin.start();
      return {
        env: {
          PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_boxoffice', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: stripe.url,
          STRIPE_PUBLISHABLE_KEY: STANDIN_PUBLISHABLE_KEY, STRIPE_JS_URL: `${stripe.url}/v3/`,
        },
        config: { clock: { now: () => new Date() } as never },
      };
    },
  });
  const { consoleErrors } = suite;
  let server: TestServer;
  let buyer: TestUser;
  let staffUser: TestUser;

  const open = async (name: string, token: string): Promise<Page> => (await suite.open(name, token)).page;
  const order = async (seatIds: string[]) =>
    ok(await call(server.url, 'POST', '/api/v1/orders', { body: { showDate: server.showDate, seatIds }, headers: buyer.auth }), 201).body.order;

  before(async () => {
    server = suite.server;
    stripe.webhookTo = { appUrl: server.url, secret: WEBHOOK_SECRET };
    buyer = await server.user();
    staffUser = await server.user('staff');
  });

  after(async () => {
    await stripe?.close(); // after the suite's own after(): the server is closed first
  });

  it('a buyer pays by PromptPay through the provider and sees PAID without reloading', async () => {
    const o = await order(['301']);
    const page = await open('buyer', buyer.token);
    await page.goto(`${server.url}/#/pay/${o.id}`);
    const qr = page.locator('[data-testid="promptpay-qr"]');
    await qr.waitFor();
    assert.match((await page.textContent('[data-testid="pay-amount"]')) ?? '', /1,800/);
    assert.match((await page.textContent('[data-testid="pay-countdown"]')) ?? '', /left/);
    const intent = [...stripe.intents.values()].find((i) => i.metadata.orderId === o.id)!;
    assert.equal(await qr.getAttribute('data-payload'), intent.next_action!.promptpay_display_qr_code!.data, 'the QR shown is the intent\'s');
    assert.equal(await page.locator('[data-testid="promptpay-qr"] svg').count(), 1);

    stripe.succeed(intent.id);
    ok(await stripe.deliver(server.url, 'payment_intent.succeeded', stripe.snapshot(intent.id), { secret: WEBHOOK_SECRET }));
    await page.locator('[data-testid="pay-paid"]').waitFor({ timeout: 10_000 });
    assert.equal(await page.getAttribute('[data-testid="order-status"]', 'data-status'), 'PAID');
  });

  it('a slip uploaded by the buyer is approved by staff in another browser, and the buyer sees PAID live', async () => {
    const o = await order(['302']);
    const page = await open('buyer-slip', buyer.token);
    await page.goto(`${server.url}/#/pay/${o.id}`);
    await page.locator('[data-testid="promptpay-qr"]').waitFor();
    const png = await QRCode.toBuffer('slip of a transfer', { type: 'png' });
    await page.setInputFiles('[data-testid="slip-input"]', { name: 'slip.png', mimeType: 'image/png', buffer: png });
    await page.locator('[data-testid="my-slips"] li[data-status="SUBMITTED"]').waitFor();

    const staff = await open('staff', staffUser.token);
    await staff.goto(`${server.url}/#/payments`);
    const slip = staff.locator(`[data-testid="slip"][data-order-id="${o.id}"]`);
    await slip.waitFor();
    await slip.locator('[data-testid="slip-image"]').waitFor();
    await staff.waitForFunction((sel) => {
      const img = document.querySelector<HTMLImageElement>(sel);
      return Boolean(img?.complete && img.naturalWidth > 0);
    }, `[data-testid="slip"][data-order-id="${o.id}"] [data-testid="slip-image"]`, { timeout: 10_000 }); // the image really shows
    await slip.locator('[data-testid="approve-slip"]').click();
    await slip.waitFor({ state: 'detached' });

    await page.locator('[data-testid="pay-paid"]').waitFor({ timeout: 10_000 });
    assert.deepEqual(consoleErrors, []);
  });

  it('a buyer pays by card with the keyboard: a decline shows Stripe\'s message and the order stays payable; 4242 then turns it PAID live', async () => {
    const o = await order(['303']);
    const page = await open('buyer-card', buyer.token);
    const before = consoleErrors.length;
    await page.goto(`${server.url}/#/pay/${o.id}`);
    await page.locator('[data-testid="promptpay-qr"]').waitFor(); // PromptPay stays the default
    // choose card with the arrow key in the radio group, then Tab through the card form to the pay button
    await page.locator('[data-testid="method-promptpay"]').focus();
    await page.keyboard.press('ArrowRight');
    const number = page.locator('[data-testid="card-element"] input[name="cardnumber"]');
    await number.waitFor();
    assert.equal(await page.locator('[data-testid="method-card"]').isChecked(), true);
    await page.keyboard.press('Tab');
    assert.equal(await number.evaluate((el) => el === document.activeElement), true, 'Tab goes from the choice into the card number');
    await page.keyboard.type('4000000000000002');
    await page.keyboard.press('Tab');
    await page.keyboard.type('1234');
    await page.keyboard.press('Tab');
    await page.keyboard.type('123');
    await page.keyboard.press('Tab');
    const button = page.locator('[data-testid="card-pay-button"]');
    assert.equal(await button.evaluate((el) => el === document.activeElement), true, 'Tab reaches the pay button');
    assert.match((await button.textContent()) ?? '', /Pay .*1,800/);
    await page.keyboard.press('Enter');
    const error = page.locator('[data-testid="card-error"]');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /not charged.*Your card was declined\./);
    assert.deepEqual(await seriousAxeViolations(page), [], 'the card form with its decline passes axe');

    const intent = [...stripe.intents.values()].find((i) => i.metadata.orderId === o.id && i.payment_method_types[0] === 'card')!;
    assert.equal(await stripe.webhookSent('payment_intent.payment_failed', intent.id), 200);
    const after = ok(await call(server.url, 'GET', `/api/v1/orders/${o.id}`, { headers: buyer.auth })).body.order;
    assert.equal(after.status, 'PENDING');
    assert.equal(after.payments.find((p: any) => p.method === 'card').status, 'FAILED');
    assert.equal(await page.getAttribute('[data-testid="order-status"]', 'data-status'), 'PENDING');
    assert.match((await page.textContent('[data-testid="pay-countdown"]')) ?? '', /left/);

    // Stripe takes the card but is slow with its webhook: the page says so and does not call the order paid
    stripe.holdWebhooks = true;
    await number.fill('4242 4242 4242 4242');
    await button.click();
    await page.locator('[data-testid="card-sent"]').waitFor();
    assert.equal(intent.status, 'succeeded');
    assert.equal(await page.getAttribute('[data-testid="order-status"]', 'data-status'), 'PENDING');
    assert.equal(await page.locator('[data-testid="pay-paid"]').count(), 0);
    stripe.releaseWebhooks();
    await page.locator('[data-testid="pay-paid"]').waitFor({ timeout: 10_000 });
    assert.equal(await stripe.webhookSent('payment_intent.succeeded', intent.id), 200);
    assert.equal(await page.getAttribute('[data-testid="order-status"]', 'data-status'), 'PAID');
    // the browser logs Stripe's 402 answer to the declined card as a failed request, as with the real Stripe.js
    assert.deepEqual(consoleErrors.slice(before).filter((e) => !/status of 402/.test(e)), []);
  });
});
