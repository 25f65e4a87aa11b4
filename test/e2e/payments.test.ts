/**
 * Paying in a real browser, against the Stripe stand-in: a buyer opens the pay page of a PENDING order, sees the
 * PromptPay QR of the intent and the amount, pays (the stand-in's intent succeeds and its signed webhook arrives),
 * and the page turns PAID by itself. Then a slip: the buyer uploads a PNG for a second order, staff in a second
 * browser context see it with its image on the payments page and approve it; the buyer's page turns PAID live.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import QRCode from 'qrcode';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';
import { call, ok } from '../helpers/http.ts';
import { StripeStandin } from '../helpers/stripe-standin.ts';
import { ensureWebBuild, launchBrowser, signedInContext, watchConsole } from './browser.ts';

const WEBHOOK_SECRET = 'whsec_test_boxoffice';

describe('paying in the web app', () => {
  let server: TestServer;
  let stripe: StripeStandin;
  let browser: Browser;
  let buyer: TestUser;
  let staffUser: TestUser;
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];

  const open = async (name: string, token: string): Promise<Page> => {
    const context = await signedInContext(browser, token);
    contexts.push(context);
    watchConsole(context, name, consoleErrors);
    return context.newPage();
  };
  const order = async (seatIds: string[]) =>
    ok(await call(server.url, 'POST', '/api/v1/orders', { body: { showDate: server.showDate, seatIds }, headers: buyer.auth }), 201).body.order;

  before(async () => {
    ensureWebBuild();
    browser = await launchBrowser();
    stripe = await StripeStandin.start();
    server = await startTestServer({
      env: { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_boxoffice', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: stripe.url },
      config: { clock: { now: () => new Date() } as never },
    });
    buyer = await server.user();
    staffUser = await server.user('staff');
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    await stripe?.close();
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
});
