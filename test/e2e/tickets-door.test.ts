/**
 * Tickets and the door in a real browser. A buyer opens the tickets of a paid order from My orders (big QR that
 * decodes to the ticket's secret, seat, zone, row, start time, order code), then reloads the page with the network
 * off and still has them. Screenshots of every page go to test-results/tickets-door/ (desktop and phone, EN and TH).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createClient, type Order, type Ticket } from '../../src/client/index.ts';
import { startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';
import { decodePng } from '../helpers/png.ts';
import { RESULTS_DIR, ensureWebBuild, launchBrowser, signedInContext, watchConsole } from './browser.ts';
import { writeQrVideo } from './fake-camera.ts';

const SHOTS = path.join(RESULTS_DIR, 'tickets-door');
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

describe('tickets and the door in the web app', () => {
  let server: TestServer;
  let browser: Browser;
  let buyer: TestUser;
  let staff: TestUser;
  let paid: Order;
  let tickets: Ticket[];
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];

  const open = async (name: string, token: string, opts: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await signedInContext(browser, token, { viewport: DESKTOP, ...opts });
    contexts.push(context);
    watchConsole(context, name, consoleErrors);
    return { context, page: await context.newPage() };
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  before(async () => {
    ensureWebBuild();
    mkdirSync(SHOTS, { recursive: true });
    server = await startTestServer();
    buyer = await server.user('customer');
    staff = await server.user('staff');
    const buyerApi = createClient({ baseUrl: server.url, token: buyer.token });
    const staffApi = createClient({ baseUrl: server.url, token: staff.token });
    const order = await buyerApi.createOrder({ showDate: server.showDate, seatIds: ['101', '102'], customerName: 'Anong S.' });
    paid = await staffApi.recordPayment(order.id, { method: 'cash', amount: order.total, reference: 'E2E-1' });
    tickets = await buyerApi.tickets(paid.id);
    // the door's camera shows the first ticket's QR, taken away and shown again (looped by Chromium)
    const video = writeQrVideo(path.join(mkdtempSync(path.join(tmpdir(), 'bo-camera-')), 'ticket.y4m'), tickets[0].secret);
    browser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  it('the buyer opens the tickets from My orders: a QR that reads as the secret, seat, zone, row, time and order code', async () => {
    const { page } = await open('buyer', buyer.token);
    await page.goto(`${server.url}/#/orders`);
    await page.click(`[data-testid="order-tickets"][href="#/tickets/${paid.id}"]`);
    await page.waitForSelector('[data-testid="tickets-page"][data-source="fresh"]');
    assert.equal(await page.locator('[data-testid="ticket"]').count(), 2);
    assert.equal((await page.textContent('[data-testid="tickets-order-code"]'))!.trim(), paid.code);

    const first = page.locator(`[data-testid="ticket"][data-ticket-id="${tickets[0].id}"]`);
    assert.equal(await first.getAttribute('data-status'), 'VALID');
    assert.equal((await first.locator('[data-testid="ticket-seat"]').textContent())!.trim(), String(tickets[0].number ?? tickets[0].seatId));
    assert.equal((await first.locator('[data-testid="ticket-row"]').textContent())!.trim(), tickets[0].row);
    assert.equal((await first.locator('[data-testid="ticket-zone"]').textContent())!.trim(), tickets[0].zoneName!.en);
    assert.match((await first.locator('[data-testid="ticket-show"]').textContent())!, /21:00/, 'start time in the venue time zone');
    assert.match((await first.textContent())!, new RegExp(paid.code));
    assert.equal((await first.locator('[data-testid="ticket-code"]').textContent())!.replace(/\s/g, ''), tickets[0].secret, 'the code for entry by hand');

    // the big QR really is the ticket: what a camera reads from the page is the secret
    const qr = first.locator('[data-testid="ticket-qr"]');
    const box = (await qr.boundingBox())!;
    assert.ok(box.width >= 240, `the QR is big (${box.width}px)`);
    const png = decodePng(await qr.screenshot());
    assert.equal(jsQR(png.data, png.width, png.height)?.data, tickets[0].secret);

    // the PDF downloads
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="tickets-pdf"]')]);
    assert.equal(download.suggestedFilename(), `tickets-${paid.code}.pdf`);
    await shot(page, 'tickets-desktop-en');
  });

  it('the order page links to the tickets, and they open again with the network off (reload offline)', async () => {
    const { context, page } = await open('buyer-offline', buyer.token, { viewport: PHONE, isMobile: true, hasTouch: true });
    await page.goto(`${server.url}/#/order/${paid.id}`);
    await page.click('[data-testid="view-tickets"]');
    await page.waitForSelector('[data-testid="tickets-page"][data-source="fresh"]');
    // the service worker has taken over the page and kept the app shell
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null);
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForSelector('[data-testid="tickets-pdf"]:has-text("PDF")');
    assert.match((await page.textContent('[data-testid="ticket-place"] >> nth=0'))!, /[\u0E00-\u0E7F]/, 'in Thai');
    await shot(page, 'tickets-phone-th');

    await context.setOffline(true);
    const reload = await page.reload();
    assert.ok(reload?.fromServiceWorker(), 'the page itself came from the service worker');
    await page.waitForSelector('[data-testid="tickets-page"][data-source="offline"]');
    assert.equal(await page.locator('[data-testid="ticket"]').count(), 2);
    assert.ok(await page.isVisible('[data-testid="tickets-offline"]'), 'says it is the copy saved on the device');
    assert.ok(await page.isVisible('[data-testid="ticket-qr"] >> nth=0'));
    assert.ok(await page.isDisabled('[data-testid="tickets-pdf"]'), 'no PDF without a network');
    const png = decodePng(await page.locator('[data-testid="ticket-qr"]').first().screenshot());
    assert.equal(jsQR(png.data, png.width, png.height)?.data, tickets[0].secret, 'the offline QR is the same ticket');
    await shot(page, 'tickets-phone-th-offline');

    // My orders cannot load offline but lists the tickets saved here
    await page.goto(`${server.url}/#/orders`);
    await page.waitForSelector(`[data-testid="saved-ticket-link"][href="#/tickets/${paid.id}"]`);
    await context.setOffline(false);
  });

  it('signing out forgets the saved tickets of the device', async () => {
    const { page } = await open('buyer-signout', buyer.token);
    await page.goto(`${server.url}/#/tickets/${paid.id}`);
    await page.waitForSelector('[data-testid="tickets-page"][data-source="fresh"]');
    assert.ok(await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('boxoffice.tickets.'))));
    await page.click('[data-testid="sign-out"]');
    assert.equal(await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('boxoffice.tickets.') || k === 'boxoffice.user')), false);
  });

  it('no console errors', () => {
    // offline reloads make Chromium log the failed API and socket requests; anything else is a defect
    const unexpected = consoleErrors.filter((e) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|WebSocket connection/.test(e));
    assert.deepEqual(unexpected, []);
  });
});
