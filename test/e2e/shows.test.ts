/**
 * Shows and inventory in a real browser: a buyer asks for the best 3 seats in a zone and gets a block side
 * by side on the map and in the basket, held for them; an admin blocks a seat and the buyer's map shows it
 * taken off sale without a reload.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { TestServer, TestUser } from '../helpers/server.ts';
import { call, ok } from '../helpers/http.ts';
import { demoVenue } from '../../src/modules/catalog/venue.ts';
import { e2eSuite, seat, signedInContext } from './browser.ts';

describe('web app: best available and blocked seats', () => {
  const suite = e2eSuite();
  const { consoleErrors } = suite;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let buyer: TestUser;

  before(async () => {
    ({ server, browser } = suite);
    buyer = await server.user('customer');
    ({ page } = await suite.open('buyer', buyer.token));
  });

  it('"Best available 3 in Front ringside" holds three seats side by side, shown on the map and in the basket', async () => {
    await page.goto(`${server.url}/#/show/${server.showDate}`);
    await page.waitForSelector('[data-testid="seat-map"] [data-seat-id]');
    await page.selectOption('[data-testid="best-quantity"]', '3');
    await page.selectOption('[data-testid="best-zone"]', 'front-ringside');
    assert.match((await page.textContent('[data-testid="best-submit"]'))!, /Best available 3 in Front ringside/);
    await page.click('[data-testid="best-submit"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="my-seat"]').length === 3, undefined, { timeout: 10_000 });
    const ids = await page.$$eval('[data-testid="my-seat"]', (els) => els.map((e) => e.getAttribute('data-seat-id')!));
    for (const id of ids) await page.waitForSelector(`${seat(id)}[data-status="mine"]`);
    const line = demoVenue().lines.find((l) => ids.every((id) => l.cells.includes(id)));
    assert.ok(line, `${ids} are not in one row`);
    assert.equal(line.zoneId, 'front-ringside');
    const at = ids.map((id) => line.cells.indexOf(id)).sort((x, y) => x - y);
    assert.deepEqual(at, [at[0], at[0] + 1, at[0] + 2], 'side by side');
    const { rows } = await server.db.query<{ seat_id: string }>(`SELECT seat_id FROM seat_inventory WHERE show_date = $1 AND holder_id = $2`, [server.showDate, buyer.id]);
    assert.deepEqual(rows.map((r) => r.seat_id).sort(), [...ids].sort());
  });

  it('a seat an admin blocks turns "not for sale" on the open map', async () => {
    const admin = await server.user('admin');
    const free = (await page.getAttribute('[data-seat-id][data-status="available"]', 'data-seat-id'))!;
    ok(await call(server.url, 'POST', `/api/v1/shows/${server.showDate}/seats/block`, { body: { seatIds: [free], reason: 'broken' }, headers: admin.auth }));
    await page.waitForSelector(`${seat(free)}[data-status="blocked"]`, { timeout: 5_000 });
    assert.deepEqual(consoleErrors, []);
  });

  it('an admin closes a show\'s sales and cancels another one after typing its date', async () => {
    const admin = await server.user('admin');
    const other = (await server.services.catalog.listShows()).items[2].showDate;
    const adminContext = await signedInContext(browser, admin.token);
    try {
      const p = await adminContext.newPage();
      await p.goto(`${server.url}/#/admin/shows`);
      const card = (d: string) => `[data-testid="admin-show-${d}"]`;
      const text = (await p.textContent(card(server.showDate)))!;
      await p.waitForSelector(`${card(server.showDate)} :text("Front ringside")`);
      assert.doesNotMatch((await p.textContent(card(server.showDate)))!, /front-ringside|standing-adult|\d{4}-\d{2}-\d{2}/, text);
      await p.click(`${card(server.showDate)} [data-testid="admin-close"]`);
      await p.waitForSelector(`${card(server.showDate)} [data-testid="admin-show-status"]:has-text("Closed")`);
      assert.equal((await server.services.catalog.getShow(server.showDate)).status, 'CLOSED');

      await p.click(`${card(other)} [data-testid="admin-cancel"]`);
      await p.fill(`${card(other)} [data-testid="admin-cancel-reason-input"]`, 'Storm warning');
      assert.equal(await p.isDisabled(`${card(other)} [data-testid="admin-cancel-confirm"]`), true, 'not before the date is typed');
      await p.fill(`${card(other)} [data-testid="admin-cancel-confirm-date"]`, other);
      await p.click(`${card(other)} [data-testid="admin-cancel-confirm"]`);
      await p.waitForSelector(`${card(other)} [data-testid="admin-show-status"]:has-text("Cancelled")`);
      assert.equal((await server.services.catalog.getShow(other)).cancelReason, 'Storm warning');
    } finally {
      await adminContext.close();
    }
  });

  it('"from" on the shows list is the cheapest ticket on sale: a child standing place, sold next to the map', async () => {
    await page.goto(server.url);
    const from = (await page.textContent(`[data-testid="show-card"][data-show-date="${server.showDate}"] .show-from`))!;
    assert.match(from, /1,200/);
  });

  it('a malformed show link or an unknown order shows a not-found page with the way back, titled so', async () => {
    await page.goto(`${server.url}/#/show/${server.showDate}`);
    await page.waitForSelector('[data-testid="seat-map"] [data-seat-id]');
    for (const bad of ['hello', '20261201', '2026-13-45', '2026-02-30']) {
      await page.evaluate((h) => (location.hash = h), `#/show/${bad}`);
      await page.waitForSelector('[data-testid="not-found"] h1:has-text("Show not found")');
      await page.waitForFunction(() => document.title.startsWith('Show not found'));
      assert.doesNotMatch((await page.textContent('[data-testid="not-found"]'))!, /March/, `${bad} is not rolled over to another date`);
    }
    await page.goBack(); // back through the bad links to the real show: the app is still alive
    await page.waitForSelector('[data-testid="not-found"]');
    await page.goto(`${server.url}/#/show/${server.showDate}`);
    await page.waitForSelector('[data-testid="seat-map"] [data-seat-id]');

    // an unknown order, and a link whose id cannot be an order's (cut short, mistyped: no request is even made)
    for (const id of ['00000000-0000-4000-8000-000000000000', 'unknown', '1234']) {
      for (const route of id.length === 36 ? ['order', 'pay'] : ['order', 'pay', 'tickets']) {
        await page.goto(`${server.url}/#/${route}/${id}`);
        await page.waitForSelector('[data-testid="not-found"] [data-testid="back-to-orders"]');
        assert.equal(await page.isVisible('[data-testid="error-box"]'), false, `no pointless "Try again" on #/${route}/${id}`);
        await page.waitForFunction(() => document.title.startsWith('Order not found'));
      }
    }
    await page.goto(`${server.url}/#/orders/unknown`);
    await page.waitForSelector('[data-testid="not-found"]');
    const page404 = /status of 404/;
    assert.deepEqual(consoleErrors.filter((e) => !page404.test(e)), []);
  });
});
