/**
 * Issue 12 (hardening): one regression test per kind of input or state that used to answer 500 or let
 * someone in. Each runs on PGlite and on PostgreSQL. SECURITY.md lists the kinds with these tests.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { startTestServer, dbTargets, migratedPgliteDb, writeMigratedPgliteDir, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { DEMO_ACCOUNTS } from '../src/db/seed.ts';
import { addDays, dayIn } from '../src/modules/catalog/dates.ts';

/** A whole app in production on a given database (built like src/server.ts does), for app.inject. */
async function productionApp(db: { databaseUrl?: string; dataDir: string }, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig(
    { NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'silent', DEMO_SHOW_NIGHTS: '1', ...env },
    { databaseUrl: db.databaseUrl, dataDir: db.dataDir, serveWeb: false, sweepIntervalMs: 3_600_000 },
  );
  // an embedded database in memory starts from the migrated tarball (initdb in WebAssembly is seconds of CPU)
  const { app } = await buildApp(config, { db: !db.databaseUrl && db.dataDir === 'memory://' ? await migratedPgliteDb() : undefined });
  await app.ready();
  return app;
}
const inject = async (app: FastifyInstance, method: 'GET' | 'POST' | 'OPTIONS', url: string, opts: { body?: unknown; headers?: Record<string, string> } = {}) => {
  const res = await app.inject({ method, url, payload: opts.body as object, headers: opts.headers });
  let body: any;
  try {
    body = res.json();
  } catch {
    body = res.body;
  }
  return { status: res.statusCode, body, headers: new Headers(res.headers as Record<string, string>) };
};

/** Text PostgreSQL cannot store (NUL, lone surrogates) and other control characters a person never types. */
const UNSAFE_TEXT = ['a\u0000b', 'x\uD800', '\uDC00y', 'bell\u0007', '\u001b[31mred', 'del\u007f', 'c1\u0085', 'line\u2028sep', 'evil\u202Egnp.exe', 'iso\u2066late'];
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

    /** A development app (demo accounts seeded) on an embedded data directory, for kind 1 on PGlite. */
    const developmentApp = async (dataDir: string) => {
      const config = loadConfig({ NODE_ENV: 'development', JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'silent', DEMO_SHOW_NIGHTS: '1' }, { dataDir, serveWeb: false, sweepIntervalMs: 3_600_000 });
      const built = await buildApp(config);
      await built.app.ready();
      return Object.assign(built.app, { seedReport: built.seedReport });
    };

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
        for (const blank of [' ', '   ', '\u3000', '\t', '\u200B', ' \u200B\u200D ', '\uFEFF']) {
          assertError(await call(s.url, 'POST', '/api/v1/auth/register', { body: { email: 'blank@example.com', password: 'long-enough-pass', name: blank } }), 400, 'VALIDATION_FAILED');
          assertError(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['121'], customerName: blank }, headers: customer.auth }), 400, 'VALIDATION_FAILED');
        }
        const reg = ok(await call(s.url, 'POST', '/api/v1/auth/register', { body: { email: 'trim@example.com', password: 'long-enough-pass', name: '  สมชาย ใจดี  ' } }), 201);
        assert.equal(reg.body.user.name, 'สมชาย ใจดี');
        const order = ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['122'], customerName: ' Nok ' }, headers: customer.auth }), 201);
        assert.equal(order.body.order.customerName, 'Nok');
      });
    });

    describe('kind 1: demo accounts never work in production', () => {
      it('a database first used in development: a production start disables the demo accounts (no sign-in, tokens refused) and lists no passwords', async () => {
        // `s` ran in development on its database and created the demo accounts: sign in as the demo admin there
        const devLogin = ok(await call(s.url, 'POST', '/api/v1/auth/login', { body: { email: 'admin@boxoffice.local', password: 'admin-demo-pass' } }));
        const dir = await mkdtemp(path.join(tmpdir(), 'boxoffice-prod-'));
        let prod: FastifyInstance | undefined;
        try {
          // on PGlite `s` lives in memory: the development run happens here, in a data directory production reopens
          if (target === 'pglite') {
            await writeMigratedPgliteDir(dir);
            await (await developmentApp(dir)).close();
          }
          prod = await productionApp(target === 'pg' ? { databaseUrl: s.config.databaseUrl, dataDir: 'memory://' } : { dataDir: dir });
          for (const a of DEMO_ACCOUNTS) {
            const res = await inject(prod, 'POST', '/api/v1/auth/login', { body: { email: a.email, password: a.password } });
            assertError(res, 401, 'INVALID_CREDENTIALS');
          }
          if (target === 'pg') {
            // the same JWT secret would not save a token issued in development either
            const me = await call(s.url, 'GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${devLogin.body.accessToken}` } });
            assertError(me, 401, 'UNAUTHENTICATED');
          }
          if (target === 'pglite') {
            // a later development start on the same data says why it shows no demo passwords
            await prod.close();
            prod = undefined;
            const again = await developmentApp(dir);
            await again.close();
            assert.deepEqual(again.seedReport.demoAccounts, []);
            assert.deepEqual(again.seedReport.demoAccountsDisabled, DEMO_ACCOUNTS.map((a) => a.email));
          }
        } finally {
          await prod?.close();
          await rm(dir, { recursive: true, force: true });
        }
      });
    });

    describe('kind 8: a token whose user is gone, or whose subject is not a user id → 401', () => {
      it('a deleted user cannot lock or order; a non-uuid subject is refused everywhere', async () => {
        const gone = await s.user();
        await s.db.query('DELETE FROM users WHERE id = $1', [gone.id]);
        assertError(await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: ['130'] }, headers: gone.auth }), 401, 'UNAUTHENTICATED');
        assertError(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['130'] }, headers: gone.auth }), 401, 'UNAUTHENTICATED');
        const odd = { authorization: `Bearer ${s.app.jwt.sign({ sub: '42', role: 'customer', email: 'x@example.com' })}` };
        for (const [method, url, body] of [
          ['GET', '/api/v1/auth/me'],
          ['POST', '/api/orders/enhanced/seats/lock', { showDate: s.showDate, seatIds: ['130'] }],
          ['GET', '/api/v1/orders'],
        ] as const) {
          assertError(await call(s.url, method, url, { body, headers: odd }), 401, 'UNAUTHENTICATED');
        }
        const seat = ok(await call(s.url, 'GET', `/api/orders/enhanced/seats/status/130?showDate=${s.showDate}`, { headers: customer.auth })).body;
        assert.equal(seat.status, 'AVAILABLE', 'nothing was locked');
      });
    });

    describe('kinds 4, 9: production trusts no proxy unless told, and /metrics needs METRICS_TOKEN', () => {
      it('by default a forged X-Forwarded-For neither changes the client address nor escapes the login limit; /metrics is closed', async () => {
        const prod = await productionApp(target === 'pg' ? { databaseUrl: s.config.databaseUrl, dataDir: 'memory://' } : { dataDir: 'memory://' }, { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_AUTH_MAX: '3', SEED_DEMO: 'false' });
        try {
          const statuses: number[] = [];
          for (let i = 0; i < 5; i++) {
            const res = await inject(prod, 'POST', '/api/v1/auth/login', { body: { email: 'nobody@example.com', password: 'wrong-password' }, headers: { 'x-forwarded-for': `203.0.113.${i + 1}` } });
            statuses.push(res.status);
          }
          assert.deepEqual(statuses, [401, 401, 401, 429, 429], 'forged addresses got their own login budgets');
          assertError(await inject(prod, 'GET', '/metrics'), 401, 'UNAUTHENTICATED');
          assertError(await inject(prod, 'GET', '/metrics', { headers: { authorization: 'Bearer guess-guess-guess-guess' } }), 401, 'UNAUTHENTICATED');
        } finally {
          await prod.close();
        }
      });

      it('TRUST_PROXY names the proxy whose X-Forwarded-For counts; METRICS_TOKEN opens /metrics to its bearer only', async () => {
        const token = randomBytes(24).toString('hex');
        const prod = await productionApp(target === 'pg' ? { databaseUrl: s.config.databaseUrl, dataDir: 'memory://' } : { dataDir: 'memory://' }, { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_AUTH_MAX: '2', SEED_DEMO: 'false', TRUST_PROXY: '127.0.0.1', METRICS_TOKEN: token });
        try {
          const login = (ip: string) => inject(prod, 'POST', '/api/v1/auth/login', { body: { email: 'nobody@example.com', password: 'wrong-password' }, headers: { 'x-forwarded-for': ip } });
          assert.deepEqual([(await login('198.51.100.1')).status, (await login('198.51.100.1')).status, (await login('198.51.100.1')).status], [401, 401, 429]);
          assert.equal((await login('198.51.100.2')).status, 401, 'another client behind the trusted proxy has its own budget');
          const metrics = await inject(prod, 'GET', '/metrics', { headers: { authorization: `Bearer ${token}` } });
          assert.equal(metrics.status, 200);
          assert.match(String(metrics.body), /boxoffice_http_requests_total/);
          assertError(await inject(prod, 'GET', '/metrics', { headers: { authorization: `Bearer ${token}x` } }), 401, 'UNAUTHENTICATED');
        } finally {
          await prod.close();
        }
      });

      it('development keeps /metrics open', async () => {
        assert.equal((await call(s.url, 'GET', '/metrics')).status, 200);
      });
    });

    describe('kinds 12, 13, 15: CORS methods, an empty JSON body, request ids', () => {
      it('a preflight for PATCH from another origin is allowed (the SDK’s cancelOrder)', async () => {
        const res = await fetch(`${s.url}/api/v1/orders/${randomUUID()}/cancel`, {
          method: 'OPTIONS',
          headers: { origin: 'http://shop.example.com', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization, content-type' },
        });
        assert.ok(res.status === 204 || res.status === 200, String(res.status));
        const allowed = (res.headers.get('access-control-allow-methods') ?? '').split(/\s*,\s*/);
        for (const m of ['GET', 'POST', 'PATCH']) assert.ok(allowed.includes(m), `${m} in ${allowed.join(',')}`);
      });

      it('PATCH …/cancel with Content-Type: application/json and no body cancels the order', async () => {
        const orderId = await pendingOrder();
        const res = await call(s.url, 'PATCH', `/api/v1/orders/${orderId}/cancel`, { headers: { ...customer.auth, 'content-type': 'application/json' } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.order.status, 'CANCELLED');
        // a route that needs a body still says so
        assertError(await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { headers: { ...customer.auth, 'content-type': 'application/json' } }), 400, 'VALIDATION_FAILED');
      });

      it('a client X-Request-Id is used only when short and plain; anything else is replaced by a new id', async () => {
        const plain = await call(s.url, 'GET', '/api/v1/shows', { headers: { 'x-request-id': 'edge-42.a:b_c' } });
        assert.equal(plain.headers.get('x-request-id'), 'edge-42.a:b_c');
        for (const bad of ['x'.repeat(129), 'two words', 'semi;colon', '<script>']) {
          const res = await call(s.url, 'GET', '/api/v1/nope', { headers: { 'x-request-id': bad } });
          const id = res.headers.get('x-request-id') ?? '';
          assert.match(id, /^[0-9a-f-]{36}$/, `${bad} → ${id}`);
          assert.equal(res.body.requestId, id);
        }
      });
    });

    describe('kind 10: public health says what is down, not why', () => {
      it('a database outage shows as down, without the driver’s message (host, port)', async () => {
        const query = s.db.query;
        s.db.query = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432 (db.internal)'), { code: 'ECONNREFUSED' }));
        try {
          const health = await call(s.url, 'GET', '/api/orders/enhanced/health');
          assert.equal(health.status, 503);
          assert.deepEqual(health.body.checks.database, { status: 'down' });
          assert.doesNotMatch(JSON.stringify(health.body), /ECONNREFUSED|10\.1\.2\.3|5432|db\.internal/);
        } finally {
          s.db.query = query;
        }
        assert.equal((await call(s.url, 'GET', '/api/orders/enhanced/health')).status, 200);
      });
    });

    describe('kind 5: a show dated before today (venue time) cannot be opened', () => {
      it('POST /api/v1/shows with yesterday → 422 SHOW_IN_PAST', async () => {
        const yesterday = addDays(dayIn(s.config.venueTimeZone, s.config.clock.now()), -1);
        assertError(await call(s.url, 'POST', '/api/v1/shows', { body: { showDate: yesterday }, headers: admin.auth }), 422, 'SHOW_IN_PAST');
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
