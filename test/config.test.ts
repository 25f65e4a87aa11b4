/**
 * Configuration comes from one schema (src/config.ts SETTINGS): every variable is validated with a one-line
 * message, production refuses guessable secrets, and the README's production table is generated from it.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, SETTINGS, browserCard, configTableMarkdown, loadConfig } from '../src/config.ts';
import { ROOT, readmeMarkdown } from '../scripts/docs-build.ts';
import { spawnServer } from './helpers/process.ts';

const strong = () => randomBytes(32).toString('hex');
const refused = (env: NodeJS.ProcessEnv, message: RegExp) =>
  assert.throws(
    () => loadConfig(env),
    (err: Error) => err instanceof ConfigError && message.test(err.message) && !err.message.includes('\n'),
    `expected a one-line ConfigError matching ${message}`,
  );

describe('configuration from one schema', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("the README's production table is the schema's (run `npm run docs` after changing a setting)", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.ok(readme.includes(configTableMarkdown()), 'README.md has the table generated from SETTINGS: run `npm run docs`');
    assert.equal(readmeMarkdown(readme), readme);
    for (const s of SETTINGS) assert.match(readme, new RegExp(`\\| \`${s.name}\` \\|`), `README documents ${s.name}`);
    for (const name of ['SERVE_WEB', 'TRUST_PROXY', 'METRICS_TOKEN', 'PAYMENT_PROVIDER', 'SMTP_URL', 'VENUE_FILE']) assert.ok(SETTINGS.some((s) => s.name === name), `${name} is declared`);
  });

  it('no code under src/ reads the environment outside the config schema', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = `${dir}/${e.name}`;
        if (e.isDirectory()) walk(rel);
        else if (/\.tsx?$/.test(e.name) && rel !== 'src/config.ts' && /process\.env\b/.test(readFileSync(path.join(ROOT, rel), 'utf8'))) offenders.push(rel);
      }
    };
    walk('src');
    // the entry point hands process.env to loadConfig and nothing else
    assert.deepEqual(offenders.filter((f) => f !== 'src/server.ts'), []);
  });

  it('reads the defaults and every v2 setting', () => {
    const c = loadConfig({});
    assert.equal(c.env, 'development');
    assert.equal(c.logLevel, 'info');
    assert.equal(c.jwtExpiresIn, '12h');
    assert.equal(c.trustProxy, false);
    assert.equal(c.paymentProvider, 'none');
    assert.equal(c.showStartTime, '21:00');
    assert.equal(c.salesCloseAfterStartMin, 60);
    assert.equal(c.orderMaxHoldMs, 1_800_000);
    assert.equal(c.boxOfficeMaxSeats, 50);
    assert.equal(c.metricsToken, undefined);
    assert.equal(c.corsOrigins, true);
    assert.ok(c.jwtSecretGenerated && c.jwtSecret.length >= 32);
    const set = loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7', LOG_LEVEL: 'warn', JWT_EXPIRES_IN: '30m', PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_abcdefgh12', STRIPE_WEBHOOK_SECRET: 'whsec_abcdefgh12' });
    assert.deepEqual(set.trustProxy, ['10.0.0.0/8', '192.168.1.7']);
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.equal(set.logLevel, 'warn');
    assert.equal(set.jwtExpiresIn, '30m');
  });

  it('DATABASE_ASYNC_COMMIT: orders by default, off / orders / all, and its earlier true / false as all / off', () => {
    assert.equal(loadConfig({}).databaseAsyncCommit, 'orders');
    for (const v of ['off', 'orders', 'all'] as const) assert.equal(loadConfig({ DATABASE_ASYNC_COMMIT: v }).databaseAsyncCommit, v);
    assert.equal(loadConfig({ DATABASE_ASYNC_COMMIT: 'true' }).databaseAsyncCommit, 'all');
    assert.equal(loadConfig({ DATABASE_ASYNC_COMMIT: 'false' }).databaseAsyncCommit, 'off');
    refused({ DATABASE_ASYNC_COMMIT: 'holds' }, /^DATABASE_ASYNC_COMMIT must be one of off, orders, all, got "holds"$/);
  });

  it('refuses a bad value of any variable in one line naming it (LOG_LEVEL and JWT_EXPIRES_IN included)', () => {
    refused({ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"$/);
    refused({ JWT_EXPIRES_IN: 'forever' }, /^JWT_EXPIRES_IN must be a number and a unit/);
    refused({ JWT_EXPIRES_IN: '3600' }, /^JWT_EXPIRES_IN must be/); // a bare number would be milliseconds to the JWT library
    refused({ JWT_EXPIRES_IN: '90d' }, /^JWT_EXPIRES_IN must be/);
    refused({ NODE_ENV: 'prod' }, /^NODE_ENV must be one of development, production, test/);
    refused({ PORT: '80a' }, /^PORT must be an integer from 0 to 65535/);
    refused({ TRUST_PROXY: 'everyone' }, /^TRUST_PROXY must be a hop count/);
    refused({ TRUST_PROXY: '10.0.0.0/33' }, /^TRUST_PROXY must be/);
    refused({ CORS_ORIGINS: 'example.com' }, /^CORS_ORIGINS must be comma-separated origins/);
    refused({ SHOW_START_TIME: '25:00' }, /^SHOW_START_TIME must be a time of day/);
    refused({ PAYMENT_PROVIDER: 'paypal' }, /^PAYMENT_PROVIDER must be one of none, stripe/);
    refused({ PAYMENT_PROVIDER: 'stripe' }, /^STRIPE_SECRET_KEY is required when PAYMENT_PROVIDER=stripe/);
    refused({ PROMPTPAY_ID: '081-234' }, /^PROMPTPAY_ID must be a PromptPay id/);
    refused({ SMTP_URL: 'http://mail' }, /^SMTP_URL must be/);
    refused({ MAIL_FROM: 'nobody' }, /^MAIL_FROM must be an email address/);
    refused({ VENUE_FILE: '/nonexistent/venue.json' }, /^VENUE_FILE must be a readable file/);
    refused({ ADMIN_EMAIL: 'ops@example.com' }, /^ADMIN_EMAIL and ADMIN_PASSWORD go together/);
    refused({ ORDER_MAX_HOLD_MS: '60000', ORDER_PAYMENT_TTL_MS: '120000' }, /^ORDER_MAX_HOLD_MS \(60000\) must be at least ORDER_PAYMENT_TTL_MS/);
  });

  it('card in the browser: STRIPE_PUBLISHABLE_KEY of the secret key\'s mode, STRIPE_JS_URL (https in production), and what the page and the CSP get', () => {
    const stripe = { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_abcdefgh12', STRIPE_WEBHOOK_SECRET: 'whsec_abcdefgh12' };
    const plain = loadConfig(stripe);
    assert.equal(plain.stripeJsUrl, 'https://js.stripe.com/v3/');
    assert.equal(browserCard(plain), undefined, 'no publishable key: no card');
    assert.deepEqual(browserCard(loadConfig({ ...stripe, STRIPE_PUBLISHABLE_KEY: 'pk_test_abcdefgh12' })), {
      publishableKey: 'pk_test_abcdefgh12', jsUrl: 'https://js.stripe.com/v3/', jsOrigin: 'https://js.stripe.com', apiOrigin: 'https://api.stripe.com',
    });
    const standin = loadConfig({ ...stripe, STRIPE_PUBLISHABLE_KEY: 'pk_test_abcdefgh12', STRIPE_JS_URL: 'http://127.0.0.1:4010/v3/', STRIPE_API_BASE: 'http://127.0.0.1:4010' });
    assert.deepEqual([browserCard(standin)?.jsOrigin, browserCard(standin)?.apiOrigin], ['http://127.0.0.1:4010', 'http://127.0.0.1:4010']);
    assert.equal(browserCard(loadConfig({ STRIPE_PUBLISHABLE_KEY: 'pk_test_abcdefgh12' })), undefined, 'a publishable key alone (no provider) offers no card');
    refused({ ...stripe, STRIPE_PUBLISHABLE_KEY: 'sk_test_abcdefgh12' }, /^STRIPE_PUBLISHABLE_KEY must be a Stripe publishable key \(pk_test_… or pk_live_…\), got "sk_test_abcdefgh12"$/);
    refused({ ...stripe, STRIPE_PUBLISHABLE_KEY: 'pk_live_abcdefgh12' }, /^STRIPE_PUBLISHABLE_KEY is a live key but STRIPE_SECRET_KEY is a test key/);
    refused({ STRIPE_JS_URL: 'js.stripe.com/v3' }, /^STRIPE_JS_URL must be a https:\/\/ or http:\/\/ URL/);
    refused({ NODE_ENV: 'production', JWT_SECRET: strong(), STRIPE_JS_URL: 'http://js.example.com/v3/' }, /^STRIPE_JS_URL must be an https:\/\/ URL in production/);
  });

  it('never repeats a secret it refuses', () => {
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/x' }),
      (err: Error) => err instanceof ConfigError && /^DATABASE_URL must be/.test(err.message) && !err.message.includes('hunter2'),
    );
  });

  it('production refuses guessable JWT secrets: short, repeated, sequential or well-known words', () => {
    const prod = (secret: string) => ({ NODE_ENV: 'production', JWT_SECRET: secret });
    refused({ NODE_ENV: 'production' }, /^JWT_SECRET is required when NODE_ENV=production/);
    refused(prod('x'.repeat(40)), /^JWT_SECRET is too predictable/);
    refused(prod('abababababababababababababababab'), /^JWT_SECRET is too predictable/);
    refused(prod('mnopqrstuvwxyzMNOPQRSTUVWXYZnopqrstu'), /^JWT_SECRET is too predictable/);
    refused(prod('my-super-secret-jwt-key-for-production!'), /^JWT_SECRET contains the well-known word "secret"/);
    refused(prod('changeme-changeme-changeme-changeme'), /^JWT_SECRET contains the well-known word/);
    refused(prod(strong().slice(0, 24)), /^JWT_SECRET must be at least 32 characters in production/);
    assert.equal(loadConfig(prod(strong())).env, 'production');
    assert.equal(loadConfig(prod(strong().slice(0, 32))).env, 'production', '32 random hex characters are enough');
    assert.equal(loadConfig(prod(randomBytes(32).toString('base64url'))).env, 'production');
    // development keeps accepting a convenient secret
    assert.equal(loadConfig({ JWT_SECRET: 'x'.repeat(40) }).jwtSecret, 'x'.repeat(40));
  });

  it('the server says what is wrong in one line, without a stack trace, and creates nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'boxoffice-config-'));
    dirs.push(dir);
    const dataDir = path.join(dir, 'data');
    for (const [name, value] of [['LOG_LEVEL', 'loud'], ['JWT_EXPIRES_IN', 'forever']]) {
      const s = await spawnServer({ [name]: value, DATA_DIR: dataDir }, { waitHealthy: false });
      assert.equal((await s.exited).code, 1);
      const out = s.output().trim();
      assert.match(out, new RegExp(`^boxoffice: configuration error: ${name} must be .*got "${value}"$`), out);
      assert.doesNotMatch(out, /\n|\bat \w|node_modules/);
    }
    assert.deepEqual(await readdir(dir), [], 'nothing was created');
    const prod = await spawnServer({ NODE_ENV: 'production', JWT_SECRET: 'boxoffice-boxoffice-boxoffice-boxoffice', DATA_DIR: dataDir }, { waitHealthy: false });
    assert.equal((await prod.exited).code, 1);
    assert.match(prod.output().trim(), /^boxoffice: configuration error: JWT_SECRET contains the well-known word "boxoffice"/);
  });
});
