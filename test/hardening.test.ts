/**
 * Issue 12 (hardening): one regression test per kind of input or state that used to answer 500 or let
 * someone in. Each runs on PGlite and on PostgreSQL. SECURITY.md lists the kinds with these tests.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';

/** Text PostgreSQL cannot store (NUL, lone surrogates) and other control characters a person never types. */
const UNSAFE_TEXT = ['a\u0000b', 'x\uD800', '\uDC00y', 'bell\u0007', '\u001b[31mred', 'del\u007f', 'c1\u0085', 'line\u2028sep'];
/** Dates PostgreSQL cannot hold or that no box office deals in. */
const OUT_OF_RANGE_DATES = ['0000-01-01', '1899-12-31', '1999-12-31', '2100-01-01', '9999-12-31'];

for (const target of dbTargets()) {
  describe(`hardening on ${target}`, () => {
    let s: TestServer;
    let customer: TestUser;
    let staff: TestUser;
    let admin: TestUser;
    const seats = ['101', '102', '103', '104', '105', '106', '107', '108', '109', '110'];
    let nextSeat = 0;
    before(async () => {
      s = await startTestServer({ target });
      [customer, staff, admin] = [await s.user('customer'), await s.user('staff'), await s.user('admin')];
    });
    after(async () => await s?.close());

    /** A fresh PENDING order of the customer's. */
    const pendingOrder = async (): Promise<string> => {
      const seatIds = [seats[nextSeat++]];
      return ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds }, headers: customer.auth }), 201).body.order.id;
    };

    describe('kind 6: control characters, NUL and lone surrogates in any string → 400, blank names refused, names trimmed', () => {
      it('register, login, order, cancel, payment and show title refuse them with VALIDATION_FAILED', async () => {
        const orderId = await pendingOrder();
        for (const bad of UNSAFE_TEXT) {
          const cases: [string, string, unknown, Record<string, string>?][] = [
            ['POST', '/api/v1/auth/register', { email: 'nul@example.com', password: 'long-enough-pass', name: bad }],
            ['POST', '/api/v1/auth/register', { email: 'nul@example.com', password: `long-enough-${bad}`, name: 'N' }],
            ['POST', '/api/v1/auth/login', { email: `a${bad}@example.com`, password: 'whatever-pass' }],
            ['POST', '/api/v1/auth/login', { email: 'a@example.com', password: bad }],
            ['POST', '/api/v1/orders', { showDate: s.showDate, seatIds: ['120'], customerName: bad }, customer.auth],
            ['PATCH', `/api/v1/orders/${orderId}/cancel`, { reason: bad.replace('line\u2028', '\u0000') }, customer.auth],
            ['POST', `/api/v1/orders/${orderId}/payments`, { method: 'cash', amount: 1, reference: bad }, staff.auth],
            ['POST', '/api/v1/shows', { showDate: '2098-01-01', title: bad }, admin.auth],
          ];
          for (const [method, path, body, headers] of cases) {
            const res = await call(s.url, method, path, { body, headers });
            assert.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
            assertError(res, 400, 'VALIDATION_FAILED');
          }
        }
        // nothing was half-done: the order is still pending, the show was not opened
        assert.equal(ok(await call(s.url, 'GET', `/api/v1/orders/${orderId}`, { headers: customer.auth })).body.order.status, 'PENDING');
        assertError(await call(s.url, 'GET', '/api/v1/shows/2098-01-01/seats'), 404, 'SHOW_NOT_FOUND');
      });

      it('a multi-line cancel reason keeps its line breaks; a blank name is refused; names are stored trimmed', async () => {
        const orderId = await pendingOrder();
        const cancelled = ok(await call(s.url, 'PATCH', `/api/v1/orders/${orderId}/cancel`, { body: { reason: 'changed plans\n\tsee you' }, headers: customer.auth }));
        assert.equal(cancelled.body.order.status, 'CANCELLED');
        for (const blank of [' ', '   ', '\u3000', '\t']) {
          assertError(await call(s.url, 'POST', '/api/v1/auth/register', { body: { email: 'blank@example.com', password: 'long-enough-pass', name: blank } }), 400, 'VALIDATION_FAILED');
          assertError(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['121'], customerName: blank }, headers: customer.auth }), 400, 'VALIDATION_FAILED');
        }
        const reg = ok(await call(s.url, 'POST', '/api/v1/auth/register', { body: { email: 'trim@example.com', password: 'long-enough-pass', name: '  สมชาย ใจดี  ' } }), 201);
        assert.equal(reg.body.user.name, 'สมชาย ใจดี');
        const order = ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['122'], customerName: ' Nok ' }, headers: customer.auth }), 201);
        assert.equal(order.body.order.customerName, 'Nok');
      });
    });

    describe('kind 7: dates outside the supported range → 400 on every route that takes one', () => {
      it('show dates in paths, queries and bodies', async () => {
        for (const date of OUT_OF_RANGE_DATES) {
          const cases: [string, string, unknown?, Record<string, string>?][] = [
            ['GET', `/api/v1/shows/${date}/seats`],
            ['POST', '/api/v1/shows', { showDate: date }, admin.auth],
            ['POST', '/api/orders/enhanced/seats/lock', { showDate: date, seatIds: ['101'] }, customer.auth],
            ['POST', '/api/orders/enhanced/seats/release', { showDate: date, seatIds: ['101'] }, customer.auth],
            ['POST', '/api/v1/orders', { showDate: date, seatIds: ['101'] }, customer.auth],
            ['GET', `/api/v1/orders?showDate=${date}`, undefined, staff.auth],
            ['GET', `/api/orders/enhanced/seats/status/101?showDate=${date}`],
          ];
          for (const [method, path, body, headers] of cases) {
            const res = await call(s.url, method, path, { body, headers });
            assert.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
            assertError(res, 400, 'VALIDATION_FAILED');
          }
        }
      });
    });
  });
}
