/**
 * Which online payment methods a server offers (GET /api/v1/payments/methods) and what its Content-Security-Policy
 * lets in: card only with PAYMENT_PROVIDER=stripe and STRIPE_PUBLISHABLE_KEY, and only then Stripe.js's origin
 * (scripts, frames) and Stripe's API (connections); otherwise the policy is exactly as strict as without Stripe.
 * The card flow itself, through the stand-in, is in payments-stripe.test.ts and e2e/payments.test.ts.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../src/config.ts';
import { securityHeaders } from '../src/plugins/security.ts';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { assertError } from './helpers/errors.ts';

/** Stripe settings that never reach the internet: nothing listens on port 9 (discard), and these tests call no provider. */
const STRIPE = { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_boxoffice', STRIPE_WEBHOOK_SECRET: 'whsec_test_boxoffice', STRIPE_API_BASE: 'http://127.0.0.1:9' };

/** The policy as directive → sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name, sources]));
}
const policyOf = async (env: NodeJS.ProcessEnv) => (await securityHeaders(loadConfig(env)))['content-security-policy'];
/** The directives card payment may widen. */
const WIDENED = ['script-src', 'frame-src', 'connect-src'];
const unwidened = (m: Map<string, string[]>) => [...m].filter(([name]) => !WIDENED.includes(name));

describe('Content-Security-Policy by configuration', () => {
  it('without card (no provider, or Stripe without a publishable key): strict, no Stripe origin, frames fall back to default-src', async () => {
    const strict = await policyOf({});
    assert.equal(await policyOf(STRIPE), strict);
    assert.equal(await policyOf({ STRIPE_PUBLISHABLE_KEY: 'pk_test_boxoffice' }), strict, 'a publishable key without the provider changes nothing');
    const d = directives(strict);
    assert.deepEqual(d.get('default-src'), ["'self'"]);
    assert.deepEqual(d.get('script-src'), ["'self'", "'unsafe-inline'"]);
    assert.deepEqual(d.get('connect-src'), ["'self'", 'ws:', 'wss:']);
    assert.equal(d.get('frame-src'), undefined);
    assert.doesNotMatch(strict, /stripe|127\.0\.0\.1/);
  });

  it("with card: Stripe.js's origin for scripts and frames, Stripe's API for connections, everything else unchanged", async () => {
    const strict = directives(await policyOf({}));
    const real = directives(await policyOf({ ...STRIPE, STRIPE_API_BASE: '', STRIPE_PUBLISHABLE_KEY: 'pk_test_boxoffice' }));
    assert.deepEqual(real.get('script-src'), ["'self'", "'unsafe-inline'", 'https://js.stripe.com', 'https://*.js.stripe.com']);
    assert.deepEqual(real.get('frame-src'), ["'self'", 'https://js.stripe.com', 'https://*.js.stripe.com', 'https://hooks.stripe.com']);
    assert.deepEqual(real.get('connect-src'), ["'self'", 'ws:', 'wss:', 'https://api.stripe.com']);
    assert.deepEqual(unwidened(real), unwidened(strict));
    // another Stripe.js (a stand-in): its origin only, derived from STRIPE_JS_URL; connections to STRIPE_API_BASE
    const other = directives(await policyOf({ ...STRIPE, STRIPE_PUBLISHABLE_KEY: 'pk_test_boxoffice', STRIPE_JS_URL: 'http://127.0.0.1:4010/v3/', STRIPE_API_BASE: 'http://127.0.0.1:4011' }));
    assert.deepEqual(other.get('script-src'), ["'self'", "'unsafe-inline'", 'http://127.0.0.1:4010']);
    assert.deepEqual(other.get('frame-src'), ["'self'", 'http://127.0.0.1:4010']);
    assert.deepEqual(other.get('connect-src'), ["'self'", 'ws:', 'wss:', 'http://127.0.0.1:4011']);
    assert.deepEqual(unwidened(other), unwidened(strict));
  });
});

for (const target of dbTargets()) {
  describe(`Stripe without a publishable key on ${target}`, () => {
    let s: TestServer;
    let buyer: TestUser;
    before(async () => {
      s = await startTestServer({ target, env: STRIPE });
      buyer = await s.user();
    });
    after(() => s.close());

    it('offers PromptPay only, and answers with the strict policy', async () => {
      const res = ok(await call(s.url, 'GET', '/api/v1/payments/methods'));
      assert.deepEqual(res.body, { methods: ['promptpay'] });
      assert.equal(res.headers.get('content-security-policy'), await policyOf({}));
    });

    it('refuses a card intent with 422 PAYMENT_METHOD_UNAVAILABLE saying why, and records nothing', async () => {
      const o = ok(await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['301'] }, headers: buyer.auth }), 201).body.order;
      const res = await call(s.url, 'POST', `/api/v1/orders/${o.id}/payments/intents`, { body: { method: 'card' }, headers: buyer.auth });
      assertError(res, 422, 'PAYMENT_METHOD_UNAVAILABLE');
      assert.match(JSON.stringify(res.body.details), /STRIPE_PUBLISHABLE_KEY/);
      const same = ok(await call(s.url, 'GET', `/api/v1/orders/${o.id}`, { headers: buyer.auth })).body.order;
      assert.deepEqual([same.status, same.payments, same.expiresAt], ['PENDING', [], o.expiresAt]);
    });
  });
}
