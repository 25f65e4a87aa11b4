import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

for (const target of dbTargets()) {
  describe(`foundation on ${target}`, () => {
    let s: TestServer;
    let customer: TestUser;
    let admin: TestUser;
    before(async () => {
      s = await startTestServer({ target });
      customer = await s.user('customer');
      admin = await s.user('admin');
    });
    after(() => s.close());

    describe('auth', () => {
      it('registers a customer, signs in and answers /me', async () => {
        const reg = await call(s.url, 'POST', '/api/v1/auth/register', { body: { email: 'Nok@Example.com', password: 'long-enough-pw', name: 'Nok' } });
        assert.equal(reg.status, 201);
        assert.equal(reg.body.user.role, 'customer');
        assert.equal(reg.body.user.email, 'Nok@Example.com');
        assert.ok(!JSON.stringify(reg.body).includes('long-enough-pw'), 'password echoed');
        const login = await call(s.url, 'POST', '/api/v1/auth/login', { body: { email: 'nok@example.com', password: 'long-enough-pw' } });
        assert.equal(login.status, 200);
        const me = await call(s.url, 'GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${login.body.accessToken}` } });
        assert.equal(me.status, 200);
        assert.equal(me.body.user.id, reg.body.user.id);
      });

      it('never lets registration create staff or admin', async () => {
        const res = await call(s.url, 'POST', '/api/v1/auth/register', { body: { email: 'sneaky@example.com', password: 'long-enough-pw', name: 'x', role: 'admin' } });
        assertError(res, 400, 'VALIDATION_FAILED');
        const ok = await call(s.url, 'POST', '/api/v1/auth/register', { body: { email: 'sneaky@example.com', password: 'long-enough-pw', name: 'x' } });
        assert.equal(ok.body.user.role, 'customer');
      });

      it('refuses a taken email (any case) with EMAIL_TAKEN', async () => {
        await call(s.url, 'POST', '/api/v1/auth/register', { body: { email: 'dup@example.com', password: 'long-enough-pw', name: 'a' } });
        const res = await call(s.url, 'POST', '/api/v1/auth/register', { body: { email: 'DUP@example.com', password: 'long-enough-pw', name: 'b' } });
        assertError(res, 409, 'EMAIL_TAKEN');
      });

      it('answers a wrong password and an unknown email alike: INVALID_CREDENTIALS', async () => {
        await call(s.url, 'POST', '/api/v1/auth/register', { body: { email: 'pw@example.com', password: 'long-enough-pw', name: 'a' } });
        const wrong = await call(s.url, 'POST', '/api/v1/auth/login', { body: { email: 'pw@example.com', password: 'not-the-password' } });
        const unknown = await call(s.url, 'POST', '/api/v1/auth/login', { body: { email: 'nobody@example.com', password: 'not-the-password' } });
        assertError(wrong, 401, 'INVALID_CREDENTIALS');
        assertError(unknown, 401, 'INVALID_CREDENTIALS');
        assert.deepEqual(wrong.body.messages, unknown.body.messages);
      });

      it('rejects a missing, expired, tampered, alg:none and wrong-secret token with UNAUTHENTICATED', async () => {
        const [header, payload] = customer.token.split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
        const expired = s.app.jwt.sign({ sub: customer.id, role: 'customer', email: customer.email }, { expiresIn: -10 });
        const tampered = `${header}.${b64({ ...claims, role: 'admin' })}.${customer.token.split('.')[2]}`;
        const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, role: 'admin' })}.`;
        const unsigned = `${header}.${b64({ ...claims, role: 'admin' })}`;
        const otherSecret = (() => {
          const h = b64({ alg: 'HS256', typ: 'JWT' });
          const p = b64({ ...claims, role: 'admin' });
          return `${h}.${p}.${createHmac('sha256', 'some-other-secret').update(`${h}.${p}`).digest('base64url')}`;
        })();
        assertError(await call(s.url, 'GET', '/api/v1/auth/me'), 401, 'UNAUTHENTICATED');
        for (const token of [expired, tampered, none, unsigned, otherSecret, 'garbage']) {
          const res = await call(s.url, 'GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } });
          assertError(res, 401, 'UNAUTHENTICATED');
          const admin = await call(s.url, 'POST', '/api/v1/shows', { body: { showDate: '2031-01-01' }, headers: { authorization: `Bearer ${token}` } });
          assertError(admin, 401, 'UNAUTHENTICATED');
        }
      });

      it('forbids a customer an admin route: FORBIDDEN', async () => {
        assertError(await call(s.url, 'POST', '/api/v1/shows', { body: { showDate: '2031-01-02' }, headers: customer.auth }), 403, 'FORBIDDEN');
        assertError(await call(s.url, 'POST', '/api/orders/enhanced/cleanup', { headers: customer.auth }), 403, 'FORBIDDEN');
        assertError(await call(s.url, 'GET', '/api/orders/enhanced/stats', { headers: customer.auth }), 403, 'FORBIDDEN');
      });
    });

    describe('errors', () => {
      it('speaks Thai when asked and carries both languages always', async () => {
        const th = await call(s.url, 'GET', '/api/v1/shows/2031-05-05/seats', { headers: { 'accept-language': 'th-TH,th;q=0.9,en;q=0.5' } });
        assertError(th, 404, 'SHOW_NOT_FOUND');
        assert.equal(th.body.message, 'ไม่พบรอบการแสดงนี้');
        assert.equal(th.body.messages.en, 'There is no such show.');
        const en = await call(s.url, 'GET', '/api/v1/shows/2031-05-05/seats');
        assert.equal(en.body.message, 'There is no such show.');
      });

      it('reports failing fields of a schema violation as VALIDATION_FAILED details', async () => {
        const res = await call(s.url, 'POST', '/api/v1/auth/register', { body: { email: 'not-an-email', password: 'short', name: '' } });
        assertError(res, 400, 'VALIDATION_FAILED');
        assert.equal(res.body.details.context, 'body');
        assert.ok(res.body.details.errors.length >= 1);
        assert.ok(res.body.details.errors.every((e: any) => typeof e.path === 'string' && typeof e.message === 'string'));
      });

      it('answers malformed JSON with VALIDATION_FAILED and unknown routes with NOT_FOUND', async () => {
        const bad = await call(s.url, 'POST', '/api/v1/auth/login', { rawBody: '{"email":', headers: { 'content-type': 'application/json' } });
        assertError(bad, 400, 'VALIDATION_FAILED');
        assertError(await call(s.url, 'GET', '/api/v1/nothing-here'), 404, 'NOT_FOUND');
        assertError(await call(s.url, 'DELETE', '/api/v1/shows'), 404, 'NOT_FOUND');
      });

      it('refuses a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
        const res = await call(s.url, 'POST', '/api/v1/auth/login', { body: { email: 'a@b.c', password: 'x'.repeat(200_000) } });
        assertError(res, 413, 'PAYLOAD_TOO_LARGE');
      });

      it('answers headers or a URL over the parser limit with 413 PAYLOAD_TOO_LARGE in the standard body', async () => {
        const res = await call(s.url, 'GET', `/api/v1/shows?x=${'a'.repeat(20_000)}`);
        assertError(res, 413, 'PAYLOAD_TOO_LARGE');
      });

      it('hides the cause of a 500: no stack, no SQL', async () => {
        const broken = await startTestServer({ target });
        try {
          // a bug in the database layer: a function every lock calls is gone
          await broken.db.query('DROP FUNCTION bo_user_holds');
          const user = await broken.user();
          const res = await call(broken.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: broken.showDate, seatIds: ['343'] }, headers: user.auth });
          assertError(res, 500, 'INTERNAL');
          const text = JSON.stringify(res.body);
          assert.doesNotMatch(text, /bo_user_holds|bo_hold_seats|bo_hold_batch|function|SELECT|at \w+ \(/i);
          assert.equal(res.body.details, undefined);
        } finally {
          await broken.close();
        }
      });
    });

    describe('catalogue', () => {
      it('lists the seeded shows with counts of the 315-seat venue', async () => {
        const res = await call(s.url, 'GET', '/api/v1/shows');
        assert.equal(res.status, 200);
        assert.equal(res.body.items.length, 3);
        for (const show of res.body.items) {
          assert.equal(show.status, 'ON_SALE');
          assert.equal(show.salesOpen, true);
          const c = show.counts;
          assert.equal(c.available + c.locked + c.booked + c.blocked, 315);
        }
      });

      it('serves a seat map with the real seat ids, zones, prices and x/y', async () => {
        const res = await call(s.url, 'GET', `/api/v1/shows/${s.showDate}/seats`);
        assert.equal(res.status, 200);
        assert.equal(res.body.seats.length, 315);
        assert.equal(res.body.zones.length, 5);
        assert.ok(res.body.zones.every((z: any) => z.price === 1800 && z.currency === 'THB'));
        const seat = res.body.seats.find((x: any) => x.id === '343');
        assert.equal(seat.zoneId, 'left');
        assert.equal(seat.status, 'AVAILABLE');
        assert.equal(typeof seat.x, 'number');
        const row = (id: string) => res.body.seats.find((x: any) => x.id === id).row;
        // rows are lettered from the ring outwards in every zone
        assert.deepEqual(['301', '386', '101', '185', '201', '253', '401', '470'].map(row), ['A', 'E', 'A', 'E', 'A', 'E', 'A', 'F']);
        const positions = new Set(res.body.seats.map((x: any) => `${x.x},${x.y}`));
        assert.equal(positions.size, 315, 'two seats drawn on the same spot');
        assert.equal(typeof res.body.seq, 'number');
      });

      it('lets an admin open a show; a second time is SHOW_EXISTS; an impossible date is refused', async () => {
        const res = await call(s.url, 'POST', '/api/v1/shows', { body: { showDate: '2031-03-01', title: 'Gala' }, headers: admin.auth });
        assert.equal(res.status, 201);
        assert.equal(res.body.show.counts.available, 315);
        assertError(await call(s.url, 'POST', '/api/v1/shows', { body: { showDate: '2031-03-01' }, headers: admin.auth }), 409, 'SHOW_EXISTS');
        assertError(await call(s.url, 'POST', '/api/v1/shows', { body: { showDate: '2031-02-30' }, headers: admin.auth }), 400, 'VALIDATION_FAILED');
        const seats = await call(s.url, 'GET', '/api/v1/shows/2031-03-01/seats');
        assert.equal(seats.body.seats.length, 315);
      });
    });

    describe('ops and docs', () => {
      it('sends the security headers on every answer, errors included', async () => {
        for (const path of ['/api/v1/shows', '/api/v1/nothing-here', '/api/docs/json']) {
          const res = await call(s.url, 'GET', path);
          assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/, path);
          assert.doesNotMatch(res.headers.get('content-security-policy') ?? '', /upgrade-insecure-requests/, path);
          assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
          assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN', path);
          assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, path);
        }
      });

      it('serves the web app compressed, its hashed assets cached for a year and the page itself asked again', async () => {
        const page = await fetch(`${s.url}/`);
        assert.equal(page.status, 200, 'npm install builds web/dist');
        assert.equal(page.headers.get('cache-control'), 'no-cache');
        const html = await page.text();
        const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
        assert.ok(script, 'index.html loads a hashed script');
        const raw = async (encoding: string) => {
          const r = await fetch(`${s.url}${script}`, { headers: { 'accept-encoding': encoding } });
          return { r, bytes: Buffer.from(await r.arrayBuffer()) };
        };
        const plain = await raw('identity');
        const br = await raw('br');
        assert.equal(plain.r.headers.get('content-encoding'), null);
        assert.equal(br.r.headers.get('content-encoding'), 'br');
        assert.equal(br.r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        assert.match(br.r.headers.get('vary') ?? '', /accept-encoding/i);
        // fetch decodes what it asked for: the same script, sent in a third of the bytes or less
        assert.equal(br.bytes.toString(), plain.bytes.toString());
        assert.ok(Number(br.r.headers.get('content-length')) * 3 < plain.bytes.length, `${br.r.headers.get('content-length')} of ${plain.bytes.length} bytes`);
      });

      it('reports health with the database latency', async () => {
        const res = await call(s.url, 'GET', '/api/orders/enhanced/health');
        assert.equal(res.status, 200);
        assert.equal(res.body.status, 'ok');
        assert.equal(res.body.checks.database.status, 'ok');
        assert.equal(typeof res.body.checks.database.latencyMs, 'number');
      });

      it('serves Prometheus metrics with request counts and latency by route', async () => {
        await call(s.url, 'GET', '/api/v1/shows');
        const res = await call(s.url, 'GET', '/metrics');
        assert.equal(res.status, 200);
        assert.match(res.body, /boxoffice_http_requests_total\{method="GET",route="\/api\/v1\/shows",status="200"\} \d+/);
        assert.match(res.body, /boxoffice_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/v1\/shows"\}/);
      });

      it('publishes an OpenAPI 3 document where every route has response schemas, errors included', async () => {
        const res = await call(s.url, 'GET', '/api/docs/json');
        assert.equal(res.status, 200);
        assert.match(res.body.openapi, /^3\./);
        const paths = res.body.paths;
        for (const p of ['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/auth/me', '/api/v1/shows', '/api/v1/shows/{showDate}/seats',
          '/api/orders/enhanced/seats/lock', '/api/orders/enhanced/seats/release', '/api/orders/enhanced/seats/status/{seatId}',
          '/api/v1/orders', '/api/v1/orders/{id}', '/api/v1/orders/{id}/cancel', '/api/v1/orders/{id}/payments',
          '/api/orders/enhanced/health', '/api/orders/enhanced/stats', '/api/orders/enhanced/cleanup']) {
          assert.ok(paths[p], `missing ${p}`);
          for (const [method, op] of Object.entries<any>(paths[p])) {
            const codes = Object.keys(op.responses);
            assert.ok(codes.some((c) => c.startsWith('2')), `${method} ${p} has no 2xx schema`);
            if (p !== '/api/orders/enhanced/health') assert.ok(codes.includes('400') && codes.includes('500'), `${method} ${p} lacks error schemas`);
          }
        }
        assert.ok(res.body.components.schemas.ErrorBody, 'ErrorBody schema missing');
        const ui = await fetch(`${s.url}/api/docs/`);
        assert.equal(ui.status, 200);
        assert.match(await ui.text(), /swagger/i);
      });
    });
  });
}
