/**
 * Each example app (React, Vue, Angular) in a real browser against a running boxoffice: a customer signs up in
 * the example, holds a seat, sees the countdown, and the main web app (another customer) shows that seat locked;
 * a conflict is reported in Thai; the order turns the seat booked in the web app too and turns PAID live; after
 * a spell offline the example's map has caught up. Each is built here with its own Vite config (the only build of
 * the examples in the tests) and its bundle checked first.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createClient } from '../../src/client/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { ensureWebBuild, launchBrowser, seat, signedInContext, watchConsole } from '../e2e/browser.ts';
import { EXAMPLES, buildExample, serveStatic } from './harness.ts';

/**
 * Chromium logs every 4xx answer as a console error (the 409 of the conflict is expected), and so every request
 * that fails while the page is offline (a health poll may fall into that window).
 */
const EXPECTED_CONSOLE = [/Failed to load resource: the server responded with a status of 409/, /net::ERR_INTERNET_DISCONNECTED/];

describe('example apps end to end', () => {
  let server: TestServer;
  let browser: Browser;
  const cleanups: (() => Promise<void> | void)[] = [];
  const consoleErrors: string[] = [];

  before(async () => {
    ensureWebBuild();
    browser = await launchBrowser(); // throws when chromium is missing: the test fails, never skips
    server = await startTestServer();
  });

  after(async () => {
    await browser?.close();
    for (const fn of cleanups.reverse()) await fn();
    await server?.close();
  });

  for (const name of (process.env.EXAMPLES?.split(',') as typeof EXAMPLES[number][] | undefined) ?? EXAMPLES) {
    it(`${name}: hold a seat in the example and see it locked in the web app`, async (t) => {
      // Each example's pages close with its test: none of them stays open (and on the console) while the next
      // example is built, which starves the machine for half a minute.
      const contexts: BrowserContext[] = [];
      t.after(async () => {
        for (const c of contexts) await c.close().catch(() => undefined);
      });
      const built = await buildExample(name, server.url);
      cleanups.push(built.remove);
      // one bundle, loaded by index.html, with the SDK in it (its calls, not a stub) and this server's address
      const html = readFileSync(path.join(built.outDir, 'index.html'), 'utf8');
      const scripts = readdirSync(path.join(built.outDir, 'assets')).filter((f) => f.endsWith('.js'));
      assert.equal(scripts.length, 1, `one bundle: ${scripts.join(', ')}`);
      assert.ok(html.includes(`assets/${scripts[0]}`), 'index.html loads the bundle');
      const bundle = readFileSync(path.join(built.outDir, 'assets', scripts[0]), 'utf8');
      assert.ok(bundle.includes('/api/orders/enhanced/seats/lock'), 'the SDK is bundled');
      assert.ok(bundle.includes(server.url), 'VITE_BOXOFFICE_URL is compiled in');
      const site = await serveStatic(built.outDir);
      cleanups.push(site.close);

      // The customer of the example signs up through the example's own form.
      const exampleContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
      contexts.push(exampleContext);
      watchConsole(exampleContext, name, consoleErrors);
      const ex: Page = await exampleContext.newPage();
      await ex.goto(site.url);
      await ex.click('[data-testid="signin-mode"]');
      await ex.fill('[data-testid="signin-name"]', `Example ${name}`);
      await ex.fill('[data-testid="signin-email"]', `${name}-${Date.now()}@example.com`);
      await ex.fill('[data-testid="signin-password"]', 'correct-horse-battery');
      await ex.click('[data-testid="signin-submit"]');
      const showDate = (await (await ex.waitForSelector('[data-testid="show"][data-show-date]', { timeout: 10_000 })).getAttribute('data-show-date'))!;
      await ex.waitForSelector('[data-seat-id][data-status="available"]', { timeout: 10_000 });
      await ex.waitForSelector('[data-testid="health"][data-health="ok"]', { timeout: 10_000 });

      // Another customer watches the same show in the main web app.
      const webContext = await signedInContext(browser, await server.token('customer'));
      contexts.push(webContext);
      watchConsole(webContext, `${name}/web`, consoleErrors);
      const web = await webContext.newPage();
      await web.goto(`${server.url}/#/show/${showDate}`);
      await web.waitForSelector('[data-testid="seat-map"] [data-seat-id]');

      // Hold the first free seat in the example: it turns "mine" with a countdown, and "locked" in the web app.
      const seatX = (await ex.getAttribute('[data-seat-id][data-status="available"]', 'data-seat-id'))!;
      // The SDK's SeatPicker holds it on the click (after its 300 ms batching window): no separate Hold button.
      await ex.click(seat(seatX));
      await ex.waitForSelector(`${seat(seatX)}[data-status="mine"][aria-pressed="true"]`, { timeout: 5000 });
      assert.match((await ex.textContent('[data-testid="countdown"]'))!, /[0-5]:[0-5]\d/);
      await web.waitForSelector(`${seat(seatX)}[data-status="locked"]`, { timeout: 5000 });

      // Someone else is faster: the example's hold request for a seat reaches the server after a rival's hold of it
      // (the request is held back until then), and the server's answer is shown in the chosen language (Thai),
      // naming the seat. A seat the map already shows held by someone else cannot be picked at all.
      await ex.selectOption('[data-testid="lang-select"]', 'th');
      const seatY = (await ex.getAttribute('[data-seat-id][data-status="available"]', 'data-seat-id'))!;
      const rival = createClient({ baseUrl: server.url, token: await server.token('customer') });
      let rivalHolds!: () => void;
      const rivalHeld = new Promise<void>((resolve) => (rivalHolds = resolve));
      await ex.route('**/api/orders/enhanced/seats/lock', async (route) => {
        await rivalHeld;
        await route.continue();
      });
      await ex.click(seat(seatY));
      await rival.lockSeats({ showDate, seatIds: [seatY] });
      rivalHolds();
      const alert = await ex.waitForSelector('[role="alert"][data-testid="error"][data-code="SEAT_UNAVAILABLE"]', { timeout: 5000 });
      const text = (await alert.textContent())!;
      assert.match(text, /[\u0E00-\u0E7F]/, `the conflict message is in Thai: ${text}`);
      assert.ok(text.includes(seatY), `the message names the seat: ${text}`);
      assert.equal(await ex.getAttribute(seat(seatX), 'data-status'), 'mine', 'all or nothing: the own hold is untouched');
      await ex.unroute('**/api/orders/enhanced/seats/lock');
      await ex.waitForSelector(`${seat(seatY)}[data-status="locked"]:disabled`, { timeout: 5000 }); // live event: not pickable

      // Order the held seat: PENDING in the example, booked in the web app.
      await ex.click('[data-testid="order-button"]');
      await ex.waitForSelector('[data-testid="order-status"][data-status="PENDING"]', { timeout: 5000 });
      await web.waitForSelector(`${seat(seatX)}[data-status="booked"]`, { timeout: 5000 });
      await ex.waitForSelector(`${seat(seatX)}[data-status="booked"]`, { timeout: 5000 });

      // Staff take the payment; the example's order status turns PAID live (order-status-changed).
      const orderId = (await ex.textContent('[data-testid="order-id"]'))!.trim();
      const staff = createClient({ baseUrl: server.url, token: await server.token('staff') });
      const order = await staff.getOrder(orderId);
      await staff.recordPayment(orderId, { method: 'cash', amount: order.total, reference: `e2e-${name}` });
      await ex.waitForSelector('[data-testid="order-status"][data-status="PAID"]', { timeout: 5000 });

      // Offline: the banner shows; a seat booked meanwhile is on the map once the network is back.
      const seatZ = (await ex.getAttribute('[data-seat-id][data-status="available"]', 'data-seat-id'))!;
      await exampleContext.setOffline(true);
      await ex.waitForSelector('[data-testid="offline-banner"]', { timeout: 5000 });
      await rival.createOrder({ showDate, seatIds: [seatZ] });
      await web.waitForSelector(`${seat(seatZ)}[data-status="booked"]`, { timeout: 5000 });
      assert.equal(await ex.getAttribute(seat(seatZ), 'data-status'), 'available', 'offline: not heard of yet');
      await exampleContext.setOffline(false);
      await ex.waitForSelector('[data-testid="offline-banner"]', { state: 'detached', timeout: 10_000 });
      await ex.waitForSelector(`${seat(seatZ)}[data-status="booked"]`, { timeout: 5000 });

      const unexpected = consoleErrors.filter((e) => !EXPECTED_CONSOLE.some((re) => re.test(e)));
      assert.deepEqual(unexpected, [], 'no console errors or uncaught exceptions');
    });
  }
});
