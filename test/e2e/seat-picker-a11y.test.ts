/**
 * The seat picker as people use it (issue 18), in Chromium at laptop (1366×768) and phone (390×844) sizes:
 * - anonymous: browse the shows and a live map without an account; the first hold asks for sign-in (a quick
 *   registration here) and the same map comes back with the same seats, now held;
 * - keyboard only: from the page heading to the Book button, the map is ONE Tab stop (arrows inside it);
 * - phone: the map fits the width, a tap zooms to the zone, seats are then ≥ 24 px, a tap previews, Hold holds,
 *   and the sticky bar (count, total, countdown, Book) leads to the details step and books;
 * - every page in English and Thai, at both sizes: axe-core finds no serious or critical violation, the page has its
 *   own title, and a screenshot goes to test-results/pages/<page>-<lang>-<size>.png; every seat state's number has
 *   ≥ 4.5:1 contrast;
 * - nothing the buyer needs (countdown, total, Book, the held seats) is under a sticky element, at both sizes.
 * One server and one browser for the whole file.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createClient } from '../../src/client/index.ts';
import type { TestServer } from '../helpers/server.ts';
import { RESULTS_DIR, e2eSuite, placeOf, seriousAxeViolations, signInThroughForm, signedInContext } from './browser.ts';

const SHOTS = path.join(RESULTS_DIR, 'pages');
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
/** Chromium logs 4xx answers as console errors: the 404 of the not-found show and a 409 are expected. */
const EXPECTED_CONSOLE = [/Failed to load resource: the server responded with a status of (404|409)/];

/**
 * Contrast of each seat state's number with its seat, from the app's own CSS (WCAG relative luminance).
 * A string, so the test runner's transpiler adds nothing to the code that runs in the page.
 */
const CONTRAST_SCRIPT = `(() => {
  const svg = document.querySelector('svg.seat-map');
  const lum = (c) => {
    const [r, g, b] = (c.match(/[\\d.]+/g) || []).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const out = {};
  for (const look of ['available', 'selected', 'pending', 'mine', 'locked', 'booked']) {
    const g = document.createElementNS('http://www.w3.org/2000/svg', 'g');
    g.setAttribute('class', 'seat seat-' + look);
    g.innerHTML = '<rect x="0" y="0" width="10" height="10"></rect><text x="5" y="5">1</text>';
    svg.appendChild(g);
    const a = lum(getComputedStyle(g.querySelector('rect')).fill);
    const b = lum(getComputedStyle(g.querySelector('text')).fill);
    out[look] = Math.round(((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) * 100) / 100;
    g.remove();
  }
  return out;
})()`;

const mapSeat = (id: string) => `g[data-seat-id="${id}"]`;

/**
 * The seats a finger can reach now: those whose middle is inside the map's frame and on screen, with the size of
 * the smallest one's hit box (the seat's drawn box, CSS px) and the least distance between two seats' middles.
 * A string, like CONTRAST_SCRIPT.
 */
const IN_FRAME_SCRIPT = `(() => {
  const frame = document.querySelector('[data-testid="map-viewport"]').getBoundingClientRect();
  const all = [...document.querySelectorAll('g[data-seat-id]')].map((el) => {
    const r = el.getBoundingClientRect();
    return { id: el.getAttribute('data-seat-id'), label: el.getAttribute('aria-label'), r, x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
  const inside = all.filter((s) => s.x > frame.left && s.x < frame.right && s.y > Math.max(frame.top, 0) && s.y < Math.min(frame.bottom, innerHeight));
  let minSize = Infinity, minSpacing = Infinity;
  for (const s of inside) {
    minSize = Math.min(minSize, s.r.width, s.r.height);
    for (const o of all) if (o !== s) minSpacing = Math.min(minSpacing, Math.hypot(o.x - s.x, o.y - s.y));
  }
  return { seats: inside.map((s) => s.id), labels: inside.map((s) => s.label), minSize, minSpacing };
})()`;
type InFrame = { seats: string[]; labels: string[]; minSize: number; minSpacing: number };
const inFrameTargets = async (page: Page) => (await page.evaluate(IN_FRAME_SCRIPT)) as InFrame;

describe('seat picker: anonymous, keyboard, phone, accessibility', () => {
  const suite = e2eSuite();
  const { track } = suite;
  let server: TestServer;
  let browser: Browser;
  let showDate: string;
  /** Free seats of the map, in drawing order. */
  const freeSeats = (page: Page) => page.$$eval('g[data-seat-id][data-status="available"]', (els) => els.map((e) => e.getAttribute('data-seat-id')!));

  before(() => {
    mkdirSync(SHOTS, { recursive: true });
    ({ server, browser } = suite);
    showDate = server.showDate;
  });

  it('anonymous: browse a live map without an account; sign-in at the first hold returns to the same seats, held', async () => {
    const context = track(await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' }), 'anonymous');
    const page = await context.newPage();
    await page.goto(server.url);
    await page.click(`[data-testid="show-card"][data-show-date="${showDate}"]`);
    await page.waitForSelector('g[data-seat-id]');
    assert.equal(await page.isVisible('[data-testid="login-form"]'), false, 'no sign-in form in the way');

    // Live without an account: another customer's hold appears.
    const [s1, s2, s3] = await freeSeats(page);
    const other = createClient({ baseUrl: server.url, token: await server.token('customer') });
    await other.lockSeats({ showDate, seatIds: [s3] });
    await page.waitForSelector(`${mapSeat(s3)}[data-status="locked"]`, { timeout: 3000 });

    // Two picks in one go; holding them asks for an account, over the map.
    await page.$$eval([mapSeat(s1), mapSeat(s2)].join(', '), (els) => els.forEach((el) => el.dispatchEvent(new MouseEvent('click', { bubbles: true }))));
    await page.waitForSelector('[data-testid="sign-in-dialog"][open]');
    assert.deepEqual([await page.getAttribute(mapSeat(s1), 'data-status'), await page.getAttribute(mapSeat(s2), 'data-status')], ['selected', 'selected']);
    await signInThroughForm(page, { name: 'Nok', email: `nok-${Date.now()}@example.com`, password: 'correct-horse-battery' }, '[data-testid="sign-in-dialog"]');

    await page.waitForSelector(`${mapSeat(s1)}[data-status="mine"]`, { timeout: 5000 });
    await page.waitForSelector(`${mapSeat(s2)}[data-status="mine"]`, { timeout: 5000 });
    assert.equal(new URL(page.url()).hash, `#/show/${showDate}`, 'still on the same map');
    assert.equal(await page.isVisible('[data-testid="sign-in-dialog"]'), false);
    assert.equal(await page.textContent('[data-testid="user-name"]'), 'Nok');
    assert.deepEqual(await page.$$eval('[data-testid="my-seat"]', (els) => els.map((e) => e.getAttribute('data-seat-id'))), [s1, s2].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
  });

  it('keyboard only: the map is one Tab stop between the heading and Book; arrows, Enter and Escape work inside it', async () => {
    const context = track(await signedInContext(browser, await server.token('customer'), { viewport: DESKTOP }), 'keyboard');
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForSelector(`[data-testid="show-card"][data-show-date="${showDate}"]`);
    await page.focus(`[data-testid="show-card"][data-show-date="${showDate}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('g[data-seat-id]');
    // Navigation moved the focus to the new page's heading, and the title names the page.
    await page.waitForFunction(() => document.activeElement?.id === 'show-title');
    assert.match(await page.title(), /Muay Thai Night.* · boxoffice$/);

    const focused = () => page.evaluate(() => ({ seat: document.activeElement?.getAttribute('data-seat-id') ?? undefined, testid: document.activeElement?.getAttribute('data-testid') ?? undefined }));
    let tabs = 0;
    const tab = async () => {
      tabs++;
      await page.keyboard.press('Tab');
      return focused();
    };
    while (!(await tab()).seat) assert.ok(tabs < 10, 'the map is reached in a few Tab presses');
    const tabsToMap = tabs;
    assert.equal(await page.$$eval('g[data-seat-id][tabindex="0"]', (els) => els.length), 1, 'one seat in the tab order');

    // The first seat is the first zone's top-left one: ArrowRight moves along its row, ArrowLeft comes back.
    const first = (await focused()).seat!;
    await page.keyboard.press('ArrowRight');
    const next = (await focused()).seat!;
    assert.ok(next && next !== first, 'ArrowRight moves along the row');
    await page.keyboard.press('ArrowLeft');
    assert.equal((await focused()).seat, first, `ArrowLeft comes back (${first} → ${next} → back)`);
    // Arrow on to a free seat and hold it with Enter.
    let seat = first;
    for (let i = 0; i < 30 && (await page.getAttribute(mapSeat(seat), 'data-status')) !== 'available'; i++) {
      await page.keyboard.press(i % 2 ? 'ArrowDown' : 'ArrowRight');
      seat = (await focused()).seat!;
    }
    const label = (await page.getAttribute(mapSeat(seat), 'aria-label'))!;
    assert.match(label, new RegExp(`^[\\w ]+, row \\w+, seat ${seat}, THB\\s[\\d,]+, Available$`), `the seat announces zone, row, number, price and state: ${label}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${mapSeat(seat)}[data-status="mine"]`, { timeout: 5000 });

    // Escape leaves the map for the basket; Tab from the map never lands on another seat.
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'basket-title');
    await page.focus(mapSeat(seat));
    tabs = tabsToMap;
    let now = await tab();
    assert.equal(now.seat, undefined, 'one Tab leaves the map');
    while (now.testid !== 'book-button') {
      assert.ok(tabs < 20, `Book is reached in a few Tab presses (${tabs} so far)`);
      now = await tab();
    }
    // between them: zoom and best-available controls, the standing steppers (adult/child − +), name and phone;
    // never a seat (the 315 seats are one stop)
    assert.ok(tabs <= 16, `heading → map → Book in ${tabs} Tab presses`);
    await page.waitForSelector('[data-testid="book-button"]:not([disabled])');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="order-status"][data-status="PENDING"]');
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    assert.match(await page.title(), /^Order .* · boxoffice$/);
  });

  it('phone: the map opens with seats ≥ 24 px apart and across (tap targets), the side stands a zone away; a tap previews, a second tap or Hold holds; the sticky bar leads to the details and Book', async () => {
    const context = track(await signedInContext(browser, await server.token('customer'), PHONE), 'phone');
    const page = await context.newPage();
    await page.goto(`${server.url}/#/show/${showDate}`);
    await page.waitForSelector('g[data-seat-id]');
    const viewport = (await page.locator('[data-testid="map-viewport"]').boundingBox())!;
    assert.ok(viewport.width <= 390 && viewport.width > 340, `the map is as wide as the screen (${viewport.width} px)`);
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'no sideways scrolling');
    const bar = (await page.locator('[data-testid="sticky-bar"]').boundingBox())!;
    assert.ok(bar.y + bar.height <= 844 + 1 && bar.y > 700, `the bar sits at the bottom of the screen (${bar.y})`);

    // At the default zoom, every seat in the frame is a tap target of at least 24 × 24 CSS px, and no two seats
    // are closer than 24 px centre to centre (WCAG 2.5.8: the nearest seat is the one tapped).
    const targets = await inFrameTargets(page);
    assert.ok(targets.seats.length >= 20, `seats to tap in the frame at the default zoom (${targets.seats.length})`);
    assert.ok(targets.minSize >= 24, `the smallest seat in the frame is ${targets.minSize.toFixed(1)} px`);
    assert.ok(targets.minSpacing >= 24, `the closest two seats are ${targets.minSpacing.toFixed(1)} px apart`);
    // The other side of the venue is one choice away, at the same usable size.
    await page.selectOption('[data-testid="zoom-zone"]', 'right');
    await page.waitForFunction(`${IN_FRAME_SCRIPT}.labels.filter((l) => l.includes('Right stand')).length >= 10`);
    const right = await inFrameTargets(page);
    assert.ok(right.minSize >= 24 && right.minSpacing >= 24, `right stand: ${right.minSize.toFixed(1)} px, ${right.minSpacing.toFixed(1)} px apart`);

    // A tap on a seat in the frame previews it (zone, row, price) and holds nothing; a second tap holds it.
    const free = new Set(await freeSeats(page));
    const [first, second] = right.seats.filter((id, i) => free.has(id) && right.labels[i].includes('Right stand'));
    await page.tap(mapSeat(first));
    const preview = await page.waitForSelector(`[data-testid="seat-preview"]:has-text("Seat ${first}")`);
    assert.match((await preview.textContent())!, new RegExp(`Seat ${first}.*Row \\w+.*Right stand.*THB`));
    assert.equal(await page.getAttribute(mapSeat(first), 'data-status'), 'available', 'a tap previews, it does not hold');
    await page.tap(mapSeat(first));
    await page.waitForSelector(`${mapSeat(first)}[data-status="mine"]`, { timeout: 5000 });
    // or a tap and the Hold button
    await page.tap(mapSeat(second));
    await page.waitForSelector(`[data-testid="seat-preview"]:has-text("Seat ${second}")`);
    assert.equal(await page.getAttribute(mapSeat(second), 'data-status'), 'available', 'a tap on another seat previews it too');
    await page.tap('[data-testid="preview-hold"]');
    await page.waitForSelector(`${mapSeat(second)}[data-status="mine"]`, { timeout: 5000 });

    await page.waitForSelector('[data-testid="bar-count"]:has-text("2 seats")');
    assert.match((await page.textContent('[data-testid="bar-total"]'))!, /THB\s?3,600/);
    assert.match((await page.textContent('[data-testid="bar-countdown"]'))!, /^[0-5]:\d\d$/);
    await page.screenshot({ path: path.join(SHOTS, 'show-phone-held-en.png') });
    await page.tap('[data-testid="bar-book"]:not([disabled])');
    // the bar's Book goes through the same details step as the desktop: name and phone, then Book
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'customer-name');
    await page.tap('[data-testid="book-button"]:not([disabled])');
    await page.waitForSelector('[data-testid="order-status"][data-status="PENDING"]');
    assert.equal((await page.textContent('[data-testid="order-seats"]'))!.replace(/\s/g, ''), [first, second].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).join(','));
  });

  it('nothing the buyer needs is under a sticky element: countdown, total, Book and the seats list at 390×844 and 1366×768, English and Thai, and offline nothing is under the banner', async () => {
    const covered: string[] = [];
    for (const [size, opts] of [['phone', PHONE], ['laptop', { viewport: DESKTOP }]] as const) {
      for (const lang of ['en', 'th'] as const) {
        const token = await server.token('customer');
        const api = createClient({ baseUrl: server.url, token });
        const seats = (await api.getSeatMap(showDate)).seats.filter((x) => x.status === 'AVAILABLE').slice(0, 6).map((x) => x.id);
        await api.lockSeats({ showDate, seatIds: seats, standing: { adult: 1 } });
        const context = track(await signedInContext(browser, token, opts), `sticky-${size}-${lang}`);
        await context.addInitScript((l) => {
          if (location.protocol.startsWith('http')) localStorage.setItem('boxoffice.lang', l);
        }, lang);
        const page = await context.newPage();
        await page.goto(`${server.url}/#/show/${showDate}`);
        await page.waitForSelector(`[data-testid="my-seat"][data-seat-id="${seats[5]}"]`);
        // each one brought into view as a browser does (the page, and the basket where it scrolls): it is the
        // element found at its own middle, not a sticky bar or form over it
        for (const id of ['lock-countdown', 'basket-total', 'book-button', 'release-all', 'my-seat', 'standing-adult-plus']) {
          const { covered: hit } = await placeOf(page, `[data-testid="${id}"]`, { scroll: true });
          if (hit) covered.push(`${size}/${lang}: ${id} is under ${hit}`);
        }
        await page.screenshot({ path: path.join(SHOTS, `show-basket-${size}-${lang}.png`) });
        // offline, the banner tells so, but it is no lid: brought into view, Book and the rest are clear of it
        // (and taps would go through it)
        await context.setOffline(true);
        const banner = await page.waitForSelector('[data-testid="offline-banner"]');
        for (const id of ['book-button', 'basket-total', 'release-all']) {
          const { covered: hit } = await placeOf(page, `[data-testid="${id}"]`, { scroll: true });
          const [b, el] = [(await banner.boundingBox())!, (await page.locator(`[data-testid="${id}"]`).boundingBox())!];
          const overlaps = el.y + el.height > b.y && el.y < b.y + b.height && el.x + el.width > b.x && el.x < b.x + b.width;
          if (hit || overlaps) covered.push(`${size}/${lang}, offline: ${id} is under ${hit || 'the offline banner'}`);
        }
        await page.screenshot({ path: path.join(SHOTS, `show-basket-offline-${size}-${lang}.png`) });
        await context.setOffline(false);
      }
    }
    assert.deepEqual(covered, []);
  });

  it('every page in English and Thai at 1366×768 and 390×844: no serious or critical axe violations, its own title, a screenshot', async () => {
    // one admin owns the orders and looks at every page (only the buyer may pay an order)
    const adminToken = await server.token('admin');
    const admin = createClient({ baseUrl: server.url, token: adminToken });
    const free = (await admin.getSeatMap(showDate)).seats.filter((s) => s.status === 'AVAILABLE').map((s) => s.id);
    const order = await admin.createOrder({ showDate, seatIds: [free[0]], customerName: 'Axe' });
    const bought = await admin.createOrder({ showDate, seatIds: [free[1], free[2]], standing: { adult: 1 }, customerName: 'Axe Paid' });
    await admin.recordPayment(bought.id, { method: 'cash', amount: bought.total, reference: 'AXE-1' });
    const pages: [string, string, boolean][] = [
      ['shows', '', false],
      ['show', `show/${showDate}`, false],
      ['sign-in', 'login', false],
      ['not-found', 'nowhere', false],
      ['show-not-found', 'show/2031-01-01', false],
      ['my-orders', 'orders', true],
      ['order', `order/${order.id}`, true],
      ['pay', `pay/${order.id}`, true],
      ['order-paid', `order/${bought.id}`, true],
      ['tickets', `tickets/${bought.id}`, true],
      ['door', 'door', true],
      ['payments', 'payments', true],
      ['staff', 'staff', true],
      ['staff-order', `staff/${order.id}`, true],
      ['counter', `counter/${showDate}`, true],
      ['reports', 'reports', true],
      ['audit', 'audit', true],
      ['referrers', 'referrers', true],
      ['admin', 'admin', true],
      ['admin-shows', 'admin/shows', true],
      ['admin-users', 'admin/users', true],
    ];
    const failures: string[] = [];
    for (const [size, opts] of [['laptop', { viewport: DESKTOP }], ['phone', { ...PHONE, deviceScaleFactor: 1 }]] as const) {
      for (const lang of ['en', 'th'] as const) {
        const anonymous = track(await browser.newContext({ locale: 'en-GB', ...opts }), `anonymous-${size}-${lang}`);
        const staff = track(await signedInContext(browser, adminToken, opts), `admin-${size}-${lang}`);
        for (const context of [anonymous, staff]) {
          await context.addInitScript((l) => {
            if (location.protocol.startsWith('http')) localStorage.setItem('boxoffice.lang', l);
          }, lang);
        }
        const tabs = { anonymous: await anonymous.newPage(), staff: await staff.newPage() };
        for (const [name, route, signedIn] of pages) {
          const page = signedIn ? tabs.staff : tabs.anonymous;
          await page.goto(`${server.url}/#/${route}`);
          await page.waitForFunction((r) => location.hash === `#/${r}`, route);
          await page.waitForSelector('main h1');
          await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .skeleton'), undefined, { timeout: 10_000 });
          if (name === 'show') await page.waitForSelector('g[data-seat-id]');
          await page.waitForFunction(() => document.title.endsWith(' · boxoffice'), undefined, { timeout: 5000 }).catch(() => undefined);
          const title = await page.title();
          if (title === 'boxoffice' || !title.endsWith(' · boxoffice')) failures.push(`${name}/${lang}: page title "${title}"`);
          if (lang === 'th' && !/[\u0E00-\u0E7F]/.test(title)) failures.push(`${name}/th: title not in Thai: "${title}"`);
          if (name === 'show') {
            const venue = (await page.textContent('[data-testid="venue-name"]'))?.trim();
            if (venue !== { en: 'Demo Muay Thai Stadium', th: 'เวทีมวยไทยสาธิต' }[lang]) failures.push(`show/${lang}: venue name "${venue}"`);
          }
          await page.screenshot({ path: path.join(SHOTS, `${name}-${lang}-${size}.png`) });
          failures.push(...(await seriousAxeViolations(page)).map((v) => `${name}/${lang}/${size}: ${v}`));
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  it('every seat state: the seat number has at least 4.5:1 contrast with the seat', async () => {
    const context = track(await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' }), 'contrast');
    const page = await context.newPage();
    await page.goto(`${server.url}/#/show/${showDate}`);
    await page.waitForSelector('g[data-seat-id]');
    const ratios = (await page.evaluate(CONTRAST_SCRIPT)) as Record<string, number>;
    for (const [look, ratio] of Object.entries(ratios)) assert.ok(ratio >= 4.5, `${look}: ${ratio}:1`);
  });

  it('no console errors on any page', () => {
    assert.deepEqual(suite.unexpectedConsoleErrors(EXPECTED_CONSOLE), []);
  });
});
