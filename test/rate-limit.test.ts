import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';

describe('rate limits', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_MAX: '8', RATE_LIMIT_AUTH_MAX: '3' } });
  });
  after(() => s.close());

  it('limits login attempts per IP more strictly: 429 RATE_LIMITED with Retry-After', async () => {
    const attempts = [];
    for (let i = 0; i < 4; i++) {
      attempts.push(await call(s.url, 'POST', '/api/v1/auth/login', { body: { email: 'x@example.com', password: 'wrong-password' }, headers: { 'accept-language': 'th' } }));
    }
    assert.deepEqual(attempts.map((r) => r.status), [401, 401, 401, 429]);
    const limited = attempts[3];
    assertError(limited, 429, 'RATE_LIMITED');
    assert.equal(limited.body.message, 'มีคำขอมากเกินไป กรุณารอสักครู่');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });

  it('limits each client per minute, by user when signed in, so one bot does not starve others', async () => {
    const [bot, fan] = await s.users(2);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await call(s.url, 'GET', '/api/v1/orders', { headers: bot.auth })).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
    const other = await call(s.url, 'GET', '/api/v1/orders', { headers: fan.auth });
    assert.equal(other.status, 200, 'another user still gets service');
  });

  it('never limits the health check', async () => {
    for (let i = 0; i < 12; i++) assert.equal((await call(s.url, 'GET', '/api/orders/enhanced/health')).status, 200);
  });
});
