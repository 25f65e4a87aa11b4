import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoxofficeError, createClient, backoffDelay, parseRetryAfter, DEFAULT_RETRY, randomUuid, type ClientOptions } from '../../src/client/index.ts';
import { errorBody, json, scriptedFetch } from './fakes.ts';

const BASE = 'http://boxoffice.test';
const order = {
  id: '0b7c7ad5-3c1e-4c33-8d0c-7b1d1b1c1a01',
  showDate: '2026-12-01',
  status: 'PENDING',
  seats: [{ seatId: '343', zoneId: 'left', price: 1800 }],
  total: 1800,
  currency: 'THB',
  userId: '0b7c7ad5-3c1e-4c33-8d0c-7b1d1b1c1a02',
  createdAt: '2026-12-01T12:00:00.000Z',
  expiresAt: '2026-12-01T12:05:00.000Z',
};

/** A client whose waits are recorded instead of slept, with jitter fixed at the middle. */
function setup(fetchFn: typeof fetch, extra: Partial<ClientOptions> = {}) {
  const sleeps: number[] = [];
  const client = createClient({
    baseUrl: BASE,
    fetch: fetchFn,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...extra,
  });
  return { client, sleeps };
}

test('a 503 is retried with exponential backoff and jitter, then the answer is returned', async () => {
  const fetch = scriptedFetch(json(503, errorBody(503, 'SERVICE_UNAVAILABLE')), json(503, errorBody(503, 'SERVICE_UNAVAILABLE')), json(200, { items: [] }));
  const { client, sleeps } = setup(fetch);
  assert.deepEqual(await client.listShows(), []);
  assert.equal(fetch.calls.length, 3);
  // base 200 ms: the first wait is between 100 and 200 ms, the second between 200 and 400 ms (random 0.5 → the middle).
  assert.deepEqual(sleeps, [150, 300]);
});

test('at most 3 attempts in total, then the last error is thrown', async () => {
  const fetch = scriptedFetch(...Array.from({ length: 5 }, () => json(503, errorBody(503, 'SERVICE_UNAVAILABLE'))));
  const { client, sleeps } = setup(fetch);
  await assert.rejects(client.getSeatMap('2026-12-01'), (err: unknown) => {
    assert.ok(err instanceof BoxofficeError);
    assert.equal(err.code, 'SERVICE_UNAVAILABLE');
    assert.equal(err.status, 503);
    return true;
  });
  assert.equal(fetch.calls.length, 3);
  assert.equal(sleeps.length, 2);
});

test('a 429 waits exactly the Retry-After seconds', async () => {
  const fetch = scriptedFetch(json(429, errorBody(429, 'RATE_LIMITED'), { 'retry-after': '2' }), json(200, { items: [] }));
  const { client, sleeps } = setup(fetch);
  await client.listShows();
  assert.deepEqual(sleeps, [2000]);
});

test('a 429 is retried even for requests that are not idempotent (the server did nothing)', async () => {
  const user = { id: order.userId, email: 'a@b.co', name: 'A', role: 'customer', createdAt: order.createdAt };
  const fetch = scriptedFetch(json(429, errorBody(429, 'RATE_LIMITED'), { 'retry-after': '1' }), json(201, { user, accessToken: 'tok' }));
  const { client, sleeps } = setup(fetch);
  await client.register({ email: 'a@b.co', password: 'password1', name: 'A' });
  assert.deepEqual(sleeps, [1000]);
  assert.equal(client.getToken(), 'tok');
});

test('a 429 asking for a longer wait than allowed goes to the caller at once', async () => {
  const fetch = scriptedFetch(json(429, errorBody(429, 'RATE_LIMITED'), { 'retry-after': '120' }));
  const { client, sleeps } = setup(fetch);
  await assert.rejects(client.listShows(), { code: 'RATE_LIMITED', status: 429 });
  assert.equal(fetch.calls.length, 1);
  assert.deepEqual(sleeps, []);
});

test('network errors are retried for safe requests and surface as a BoxofficeError with status 0', async () => {
  const fetch = scriptedFetch(new TypeError('fetch failed'), new TypeError('fetch failed'), new TypeError('fetch failed'));
  const { client } = setup(fetch);
  await assert.rejects(client.listShows(), (err: unknown) => {
    assert.ok(err instanceof BoxofficeError);
    assert.equal(err.isNetworkError, true);
    assert.equal(err.status, 0);
    assert.equal(err.code, 'SERVICE_UNAVAILABLE');
    assert.ok(err.cause instanceof TypeError);
    return true;
  });
  assert.equal(fetch.calls.length, 3);
});

test('requests that could do something twice are not retried on network errors or 503', async () => {
  const fetch = scriptedFetch(new TypeError('fetch failed'), json(503, errorBody(503, 'SERVICE_UNAVAILABLE')), new TypeError('fetch failed'));
  const { client } = setup(fetch, { token: 'staff-token' });
  await assert.rejects(client.register({ email: 'a@b.co', password: 'password1', name: 'A' }), { status: 0 });
  await assert.rejects(client.recordPayment(order.id, { method: 'cash', amount: 1800, reference: 'r1' }), { status: 503 });
  await assert.rejects(client.cancelOrder(order.id), { status: 0 });
  assert.equal(fetch.calls.length, 3);
});

test('client errors (4xx) are never retried', async () => {
  const fetch = scriptedFetch(json(409, errorBody(409, 'SEAT_UNAVAILABLE')));
  const { client, sleeps } = setup(fetch);
  await assert.rejects(client.lockSeats({ showDate: '2026-12-01', seatIds: ['343'] }), { code: 'SEAT_UNAVAILABLE' });
  assert.equal(fetch.calls.length, 1);
  assert.deepEqual(sleeps, []);
});

test('createOrder sends an Idempotency-Key and reuses it on every retry; a new order gets a new key', async () => {
  const fetch = scriptedFetch(
    new TypeError('socket hang up'),
    json(503, errorBody(503, 'SERVICE_UNAVAILABLE')),
    json(201, { order }),
    json(201, { order }),
  );
  const { client } = setup(fetch);
  const body = { showDate: '2026-12-01', seatIds: ['343'], customerName: 'Somchai' };
  assert.deepEqual(await client.createOrder(body), order);
  assert.equal(fetch.calls.length, 3);
  const keys = fetch.calls.map((c) => c.headers['idempotency-key']);
  assert.match(keys[0], /^[0-9a-f-]{36}$/);
  assert.deepEqual(new Set(keys).size, 1);
  assert.deepEqual(fetch.calls[2].body, body);

  await client.createOrder(body);
  assert.notEqual(fetch.calls[3].headers['idempotency-key'], keys[0]);
});

test('createOrder uses a caller-supplied Idempotency-Key', async () => {
  const fetch = scriptedFetch(json(201, { order }));
  const { client } = setup(fetch);
  await client.createOrder({ showDate: '2026-12-01', seatIds: ['343'] }, { idempotencyKey: 'my-key-1' });
  assert.equal(fetch.calls[0].headers['idempotency-key'], 'my-key-1');
});

test('error body fields are exposed, the message in the client language, SEAT_UNAVAILABLE seats listed', async () => {
  const details = { unavailable: [{ seatId: '343', status: 'LOCKED' }] };
  const fetch = scriptedFetch(json(409, errorBody(409, 'SEAT_UNAVAILABLE', { details, requestId: 'req-42', message: 'SEAT_UNAVAILABLE (th)' })));
  const { client } = setup(fetch, { lang: 'th' });
  const err = await client.lockSeats({ showDate: '2026-12-01', seatIds: ['343', '344'] }).catch((e: unknown) => e);
  assert.ok(err instanceof BoxofficeError);
  assert.equal(err.code, 'SEAT_UNAVAILABLE');
  assert.equal(err.status, 409);
  assert.equal(err.message, 'SEAT_UNAVAILABLE (th)');
  assert.deepEqual(err.messages, { en: 'SEAT_UNAVAILABLE (en)', th: 'SEAT_UNAVAILABLE (th)' });
  assert.equal(err.requestId, 'req-42');
  assert.deepEqual(err.details, details);
  assert.deepEqual(err.unavailableSeats, details.unavailable);
  assert.equal(fetch.calls[0].headers['accept-language'], 'th');
});

test('a non-contract error answer (a proxy page) still becomes a BoxofficeError', async () => {
  const fetch = scriptedFetch(new Response('<html>Bad gateway</html>', { status: 502, headers: { 'x-request-id': 'edge-1' } }));
  const { client } = setup(fetch);
  await assert.rejects(client.me(), (err: unknown) => {
    assert.ok(err instanceof BoxofficeError);
    assert.equal(err.status, 502);
    assert.equal(err.code, 'SERVICE_UNAVAILABLE');
    assert.equal(err.requestId, 'edge-1');
    return true;
  });
});

test('login keeps the token and sends it as a Bearer header; logout forgets it', async () => {
  const user = { id: order.userId, email: 'a@b.co', name: 'A', role: 'customer', createdAt: order.createdAt };
  const tokens: (string | undefined)[] = [];
  const fetch = scriptedFetch(json(200, { user, accessToken: 'jwt-1' }), json(200, { user }), json(200, { items: [] }));
  const { client } = setup(fetch, { onTokenChange: (t) => tokens.push(t) });
  await client.login({ email: 'a@b.co', password: 'password1' });
  assert.deepEqual(client.user, user);
  assert.deepEqual(await client.me(), user);
  assert.equal(fetch.calls[1].headers.authorization, 'Bearer jwt-1');
  client.logout();
  await client.listShows();
  assert.equal(fetch.calls[2].headers.authorization, undefined);
  assert.equal(client.user, undefined);
  assert.deepEqual(tokens, ['jwt-1', undefined]);
});

test('paths, methods and query strings follow the contract', async () => {
  const fetch = scriptedFetch(...Array.from({ length: 8 }, () => json(200, { order, items: [], show: {} })));
  const { client } = setup(fetch, { baseUrl: `${BASE}/` });
  await client.seatStatus('343', '2026-12-01');
  await client.seatStatus('343');
  await client.listOrders({ status: 'PENDING', page: 2 });
  await client.getOrder(order.id);
  await client.cancelOrder(order.id, { reason: 'changed my mind' });
  await client.recordPayment(order.id, { method: 'promptpay', amount: 1800, reference: 'PP-1' });
  await client.releaseSeats({ showDate: '2026-12-01', seatIds: ['343'] });
  await client.createShow({ showDate: '2026-12-24', title: 'Christmas fights' });
  assert.deepEqual(
    fetch.calls.map((c) => `${c.method} ${c.url.slice(BASE.length)}`),
    [
      'GET /api/orders/enhanced/seats/status/343?showDate=2026-12-01',
      'GET /api/orders/enhanced/seats/status/343',
      'GET /api/v1/orders?status=PENDING&page=2',
      `GET /api/v1/orders/${order.id}`,
      `PATCH /api/v1/orders/${order.id}/cancel`,
      `POST /api/v1/orders/${order.id}/payments`,
      'POST /api/orders/enhanced/seats/release',
      'POST /api/v1/shows',
    ],
  );
});

test('health returns the degraded body of a 503 instead of throwing, and does not retry it', async () => {
  const degraded = { status: 'degraded', checks: { database: { status: 'down' }, realtime: { status: 'ok', connections: 0 } }, uptimeS: 1, version: '0.1.0' };
  const fetch = scriptedFetch(json(503, degraded));
  const { client } = setup(fetch);
  assert.deepEqual(await client.health(), degraded);
  assert.equal(fetch.calls.length, 1);
});

test('an aborted call stops retrying', async () => {
  const controller = new AbortController();
  const fetch = scriptedFetch(() => {
    controller.abort(new Error('user left'));
    return json(503, errorBody(503, 'SERVICE_UNAVAILABLE'));
  });
  const { client } = setup(fetch);
  await assert.rejects(client.listShows({ signal: controller.signal }), { status: 503 });
  assert.equal(fetch.calls.length, 1);
});

test('backoff doubles up to the cap and stays within [half, full] of it', () => {
  const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(backoffDelay(1, policy, () => 0), 50);
  assert.equal(backoffDelay(1, policy, () => 0.999999), 100);
  assert.equal(backoffDelay(3, policy, () => 0), 200);
  assert.equal(backoffDelay(10, policy, () => 0.999999), 1000);
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter('soon'), undefined);
  const now = Date.parse('2026-12-01T12:00:00Z');
  assert.equal(parseRetryAfter('Tue, 01 Dec 2026 12:00:05 GMT', now), 5000);
});

test('randomUuid makes v4 UUIDs', () => {
  assert.match(randomUuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('serverNow follows the server clock from the Date header when it is more than 2 s off', async () => {
  const ahead = new Date(Date.now() + 60_000).toUTCString();
  const close = new Date(Date.now() + 1_000).toUTCString();
  const fetch = scriptedFetch(json(200, { items: [] }, { date: ahead }), json(200, { items: [] }, { date: close }));
  const { client } = setup(fetch);
  assert.ok(Math.abs(client.serverNow() - Date.now()) < 50, 'no answer yet: our own clock');
  await client.listShows();
  const lead = client.serverNow() - Date.now();
  assert.ok(lead > 58_000 && lead < 62_000, `server is about a minute ahead (${lead} ms)`);
  await client.listShows();
  assert.ok(Math.abs(client.serverNow() - Date.now()) < 50, 'within the header precision: our own clock');
});
