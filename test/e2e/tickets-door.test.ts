/**
 * Tickets and the door in a real browser. A buyer opens the tickets of a paid order from My orders (big QR that
 * decodes to the ticket's secret, seat, zone, row, start time, order code), then reloads the page with the network
 * off and still has them. A door account scans the first ticket with the camera (Chromium's fake capture fed a
 * video of its QR, shown, taken away, shown again): ADMITTED with the seat, then ALREADY_ADMITTED with time and gate;
 * offline it decides from the manifest, queues, and uploads when back, listing a ticket admitted elsewhere meanwhile.
 * Staff admit a ticket of another night by force. An admin creates a door account on the users page (bad input named
 * on its field) and the new account signs in through the form straight to the scanner. Screenshots of every page go to test-results/tickets-door/ (desktop and phone, EN and TH).
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createClient, type Order, type Ticket } from '../../src/client/index.ts';
import type { TestServer, TestUser } from '../helpers/server.ts';
import { decodePng } from '../helpers/png.ts';
import { RESULTS_DIR, e2eSuite, signInThroughForm } from './browser.ts';
import { writeQrVideo } from './fake-camera.ts';

const SHOTS = path.join(RESULTS_DIR, 'tickets-door');
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

describe('tickets and the door in the web app', () => {
  // chromium's camera plays a video of the first ticket's QR, made in before() once the tickets exist
  const suite = e2eSuite({ browserArgs: () => ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`] });
  const { consoleErrors } = suite;
  let server: TestServer;
  let buyer: TestUser;
  let staff: TestUser;
  let paid: Order;
  let tickets: Ticket[];
  /** a ticket of the same show in another order, and one of another night */
  let otherTicket: Ticket;
  let laterTicket: Ticket;
  /** a standing (general admission) child place */
  let standingPaid: Order;
  let standingTicket: Ticket;
  let video: string;

  const open = (name: string, token: string, opts: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page }> =>
    suite.open(name, token, { viewport: DESKTOP, ...opts });
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = suite.server;
    buyer = await server.user('customer');
    staff = await server.user('staff');
    const buyerApi = createClient({ baseUrl: server.url, token: buyer.token });
    const staffApi = createClient({ baseUrl: server.url, token: staff.token });
    const order = await buyerApi.createOrder({ showDate: server.showDate, seatIds: ['101', '102'], customerName: 'Anong S.' });
    const other = await buyerApi.createOrder({ showDate: server.showDate, seatIds: ['103'] });
    otherTicket = (await buyerApi.tickets((await staffApi.recordPayment(other.id, { method: 'cash', amount: other.total, reference: 'E2E-2' })).id))[0];
    const standing = await buyerApi.createOrder({ showDate: server.showDate, standing: { child: 1 } });
    standingPaid = await staffApi.recordPayment(standing.id, { method: 'cash', amount: standing.total, reference: 'E2E-4' });
    standingTicket = (await buyerApi.tickets(standingPaid.id))[0];
    const shows = await buyerApi.listShows();
    const anotherNight = shows.find((x) => x.showDate !== server.showDate)!.showDate;
    const later = await buyerApi.createOrder({ showDate: anotherNight, seatIds: ['104'] });
    laterTicket = (await buyerApi.tickets((await staffApi.recordPayment(later.id, { method: 'cash', amount: later.total, reference: 'E2E-3' })).id))[0];
    paid = await staffApi.recordPayment(order.id, { method: 'cash', amount: order.total, reference: 'E2E-1' });
    tickets = await buyerApi.tickets(paid.id);
    // the door's camera shows the first ticket's QR, taken away and shown again (looped by Chromium)
    video = writeQrVideo(path.join(mkdtempSync(path.join(tmpdir(), 'bo-camera-')), 'ticket.y4m'), tickets[0].secret);
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

  it('a standing ticket shows its admission type, no seat or row', async () => {
    const { page } = await open('buyer-standing', buyer.token, { viewport: PHONE, isMobile: true, hasTouch: true });
    await page.goto(`${server.url}/#/tickets/${standingPaid.id}`);
    await page.waitForSelector('[data-testid="tickets-page"][data-source="fresh"]');
    const ticket = page.locator('[data-testid="ticket"]');
    assert.equal(await ticket.count(), 1);
    assert.equal(await ticket.getAttribute('data-admission'), 'standing-child');
    assert.equal((await page.textContent('[data-testid="ticket-place"]'))!.trim(), 'Standing · Child');
    assert.equal(await page.locator('[data-testid="ticket-seat"], [data-testid="ticket-row"], [data-testid="ticket-zone"]').count(), 0);
    await shot(page, 'tickets-standing-phone-en');
  });

  it('signing out forgets the saved tickets of the device', async () => {
    const { page } = await open('buyer-signout', buyer.token);
    await page.goto(`${server.url}/#/tickets/${paid.id}`);
    await page.waitForSelector('[data-testid="tickets-page"][data-source="fresh"]');
    assert.ok(await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('boxoffice.tickets.'))));
    await page.click('[data-testid="sign-out"]');
    assert.equal(await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('boxoffice.tickets.') || k === 'boxoffice.user')), false);
  });

  const result = (page: Page, result: string, offline = false) =>
    page.waitForSelector(`[data-testid="door-result"][data-result="${result}"][data-offline="${offline}"]`, { timeout: 15_000 });
  const typeCode = async (page: Page, secret: string) => {
    await page.fill('[data-testid="door-manual"]', secret.replace(/(.{4})/g, '$1 ')); // typed in groups, as printed
    await page.click('[data-testid="door-manual-submit"]');
  };

  it('the door scans a ticket with the camera: ADMITTED with the seat, shown again: already admitted, with time and gate', async () => {
    const door = await server.user('door');
    const { page } = await open('door', door.token);
    await page.goto(`${server.url}/#/door`);
    await page.selectOption('[data-testid="door-show"]', server.showDate);
    await page.fill('[data-testid="door-gate"]', 'North gate');
    await page.waitForSelector('[data-testid="door-manifest"]:has-text("4 tickets")');
    assert.match((await page.textContent('[data-testid="door-count"]'))!, /0 \/ 4/);
    await page.click('[data-testid="door-start-camera"]');

    await result(page, 'ADMITTED');
    assert.equal((await page.textContent('[data-testid="door-result-place"]'))!.trim(), 'Right stand · Row A · Seat 101');
    assert.match((await page.textContent('[data-testid="door-result"]'))!, new RegExp(paid.code));
    await page.waitForSelector('[data-testid="door-count"]:has-text("1 / 4")'); // the checkin-count event
    await shot(page, 'door-admitted-desktop-en');

    await result(page, 'ALREADY_ADMITTED');
    assert.match((await page.textContent('[data-testid="door-first-checkin"]'))!, /First in at .*North gate/);
    await page.click('[data-testid="door-stop-camera"]');
    await typeCode(page, laterTicket.secret);
    await result(page, 'WRONG_SHOW');
    assert.equal(await page.isVisible('[data-testid="door-force"]'), false, 'a door account cannot force');
    const [t1] = await createClient({ baseUrl: server.url, token: buyer.token }).tickets(paid.id);
    assert.equal(t1.status, 'USED');
  });

  it('offline: decided from the manifest, queued, uploaded when back; a ticket admitted elsewhere meanwhile is a conflict', async () => {
    const door = await server.user('door');
    const { context, page } = await open('door-offline', door.token, { viewport: PHONE, isMobile: true, hasTouch: true });
    await page.goto(`${server.url}/#/door`);
    await page.selectOption('[data-testid="door-show"]', server.showDate);
    await page.waitForSelector('[data-testid="door-manifest"]:has-text("4 tickets")');
    await page.waitForSelector('[data-testid="door-count"]:has-text("1 / 4")');
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null);

    await context.setOffline(true);
    await typeCode(page, tickets[1].secret);
    await result(page, 'ADMITTED', true);
    assert.equal((await page.textContent('[data-testid="door-result-place"]'))!.trim(), 'Right stand · Row A · Seat 102');
    await typeCode(page, tickets[1].secret);
    await result(page, 'ALREADY_ADMITTED', true);
    await typeCode(page, tickets[0].secret); // admitted before the connection went
    await page.waitForSelector('[data-testid="door-waiting"][data-waiting="3"]');
    await typeCode(page, otherTicket.secret);
    await result(page, 'ADMITTED', true);
    await typeCode(page, 'not-a-ticket');
    await result(page, 'INVALID', true);
    await page.waitForSelector('[data-testid="door-waiting"][data-waiting="5"]');
    assert.match((await page.textContent('[data-testid="door-count"]'))!, /3 \/ 4/, 'counted here while offline');
    await page.click('[data-testid="lang-toggle"]');
    await shot(page, 'door-offline-phone-th');
    await page.click('[data-testid="lang-toggle"]');

    // meanwhile another gate, online, lets the other ticket in first
    const otherGate = createClient({ baseUrl: server.url, token: (await server.user('door')).token });
    assert.equal((await otherGate.checkin({ secret: otherTicket.secret, showDate: server.showDate, nonce: 'gate-b-1', gate: 'Gate B' })).result, 'ADMITTED');

    // the scanner itself survives a reload without a network: list, queue and count are on the device
    await page.reload();
    await page.waitForSelector('[data-testid="door-manifest"]:has-text("4 tickets")');
    await page.waitForSelector('[data-testid="door-count"]');

    await context.setOffline(false);
    await page.waitForSelector('[data-testid="door-waiting"][data-waiting="0"]', { timeout: 20_000 });
    await page.waitForSelector('[data-testid="door-conflict"]');
    assert.equal(await page.locator('[data-testid="door-conflict"]').count(), 1);
    assert.match((await page.textContent('[data-testid="door-conflict"]'))!, /Seat 103.*Already admitted.*Gate B/);
    const after = await createClient({ baseUrl: server.url, token: buyer.token }).tickets(paid.id);
    assert.deepEqual(after.map((x) => x.status), ['USED', 'USED'], 'the offline admission reached the server');
    await page.waitForSelector('[data-testid="door-count"]:has-text("3 / 4")');
    await shot(page, 'door-uploaded-phone-en');
  });

  it('staff admit a ticket of another night by force; a door account cannot', async () => {
    const { page } = await open('staff-door', staff.token);
    await page.goto(`${server.url}/#/door`);
    await page.selectOption('[data-testid="door-show"]', server.showDate);
    await page.waitForSelector('[data-testid="door-manifest"]:has-text("4 tickets")');
    await typeCode(page, laterTicket.secret);
    await result(page, 'WRONG_SHOW');
    await page.click('[data-testid="door-force"]');
    await result(page, 'ADMITTED');
    assert.equal((await page.textContent('[data-testid="door-result-place"]'))!.trim(), 'Right stand · Row A · Seat 104');
    await typeCode(page, standingTicket.secret);
    await page.waitForSelector('[data-testid="door-result-place"]:has-text("Standing · Child")');
    assert.equal(await page.getAttribute('[data-testid="door-result"]', 'data-result'), 'ADMITTED');
    await page.click('[data-testid="lang-toggle"]');
    await shot(page, 'door-forced-desktop-th');
  });

  it('an admin creates a door account on the users page; it signs in and lands on the scanner', async () => {
    const admin = await server.user('admin');
    const { page } = await open('admin', admin.token);
    await page.goto(`${server.url}/#/admin`);
    await page.click('[data-testid="manage-users"]');
    await page.waitForSelector('[data-testid="users-table"]');

    // nothing filled in: every field says what is wrong, nothing is sent
    await page.click('[data-testid="user-submit"]');
    assert.match((await page.textContent('[data-testid="account-name-error"]'))!, /name/);
    assert.match((await page.textContent('[data-testid="account-email-error"]'))!, /email address/);
    assert.match((await page.textContent('[data-testid="account-password-error"]'))!, /at least 8/);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'account-name', 'focus goes to the first bad field');

    const email = `gate-${Date.now()}@example.com`;
    await page.fill('[data-testid="account-name"]', 'Gate Keeper');
    await page.fill('[data-testid="account-email"]', email);
    await page.fill('[data-testid="account-password"]', 'short');
    await page.click('[data-testid="user-submit"]');
    await page.waitForSelector('[data-testid="account-password-error"]');
    assert.equal(await page.isVisible('[data-testid="account-name-error"]'), false);
    await page.fill('[data-testid="account-password"]', 'door-pass-1234');
    await page.check('[data-testid="user-role-door"]');
    await page.click('[data-testid="user-submit"]');
    await page.waitForSelector('[data-testid="user-created"]');
    const row = page.locator(`[data-testid="user-row"][data-email="${email}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-role'), 'door');
    assert.match((await row.textContent())!, /Gate Keeper.*Door/);

    // the same address again: EMAIL_TAKEN, named on the email field
    await page.fill('[data-testid="account-name"]', 'Someone Else');
    await page.fill('[data-testid="account-email"]', email);
    await page.fill('[data-testid="account-password"]', 'another-pass-1');
    await page.click('[data-testid="user-submit"]');
    assert.match((await (await page.waitForSelector('[data-testid="account-email-error"]')).textContent())!, /already/i);
    await shot(page, 'users-desktop-en');
    await page.setViewportSize(PHONE);
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForSelector('[data-testid="users-table"] th:has-text("บทบาท")');
    await shot(page, 'users-phone-th');

    // the new door account signs in through the form and gets the scanner
    const { page: doorPage } = await suite.open('new-door', undefined, { viewport: PHONE });
    await doorPage.goto(`${server.url}/#/login`);
    await signInThroughForm(doorPage, { email, password: 'door-pass-1234' });
    await doorPage.waitForSelector('[data-testid="door-page"]');
    assert.equal(await doorPage.isVisible('[data-testid="nav-orders"]'), false, 'no My orders for a door account');
  });

  it('no console errors', () => {
    // offline reloads make Chromium log the failed API and socket requests; anything else is a defect
    const unexpected = consoleErrors.filter((e) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|WebSocket connection/.test(e));
    assert.deepEqual(unexpected, []);
  });
});
