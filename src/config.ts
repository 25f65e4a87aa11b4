import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { accessSync, constants as fsConstants } from 'node:fs';
import { isIP } from 'node:net';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export type NodeEnv = 'development' | 'production' | 'test';
export type PaymentProvider = 'none' | 'stripe';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The service's configuration, read once from the environment by {@link loadConfig} (one variable per field, see SETTINGS). */
export interface Config {
  env: NodeEnv;
  host: string;
  port: number;
  /** postgres://… or undefined for embedded PGlite in dataDir */
  databaseUrl?: string;
  /** PGlite data directory; 'memory://' keeps the database in memory */
  dataDir: string;
  databasePoolSize: number;
  /**
   * PostgreSQL, which statements commit asynchronously and answer after Db.durable(): `orders` (online orders and
   * buyers' cancels), `all` (hold batches too) or `off` (none). Anything but `off` makes snapshots wait for the disk.
   */
  databaseAsyncCommit: AsyncCommit;
  /** PostgreSQL cancels a statement running longer (0: no limit); the client stops waiting 1 s later */
  databaseStatementTimeoutMs: number;
  /** a wait for a row lock longer than this fails fast: 503 with Retry-After (0: no limit) */
  databaseLockTimeoutMs: number;
  /** PostgreSQL ends a session idle inside a transaction this long, releasing its locks (0: never) */
  databaseIdleTxTimeoutMs: number;
  redisUrl?: string;
  /** prefix of this deployment's Redis keys and channels (socket.io adapter, rate limits); several deployments may share one Redis */
  redisKeyPrefix: string;
  jwtSecret: string;
  jwtSecretGenerated: boolean;
  /** token lifetime as the JWT library reads it: a number and a unit, e.g. '12h', '30m', '7d' */
  jwtExpiresIn: string;
  seatLockTtlMs: number;
  orderPaymentTtlMs: number;
  maxSeatsPerUser: number;
  sweepIntervalMs: number;
  /** unpaid orders one expiry transaction cancels at most; the sweep runs batches until none is left */
  orderExpiryBatch: number;
  /** a busy show's seat events are sent to its sockets at most this often, in one write each (0: every event at once) */
  realtimeBatchMs: number;
  /** ms an instance waits for a missing seat event before skipping it */
  realtimeGapWaitMs: number;
  rateLimitEnabled: boolean;
  rateLimitMax: number;
  rateLimitAuthMax: number;
  corsOrigins: string[] | true;
  bodyLimitBytes: number;
  /** a connection that sends nothing for this long is closed (slow clients, slow-loris) */
  idleTimeoutMs: number;
  /** a request must arrive whole within this long */
  requestTimeoutMs: number;
  venueTimeZone: string;
  logLevel: LogLevel;
  seedDemo: boolean;
  demoShowNights: number;
  adminEmail?: string;
  adminPassword?: string;
  serveWeb: boolean;
  /** a show starts at this time of day (venue time, 'HH:MM') unless it says otherwise */
  showStartTime: string;
  /** sales close this many minutes after a show starts unless it says otherwise */
  salesCloseAfterStartMin: number;
  /** starting a payment extends an order's expiry, never beyond this long after the order was created */
  orderMaxHoldMs: number;
  paymentProvider: PaymentProvider;
  /** PromptPay proxy id (phone number, national id or e-wallet id, digits only) that QR payments go to */
  promptpayId?: string;
  stripeSecretKey?: string;
  stripeWebhookSecret?: string;
  /** Stripe API origin; undefined = Stripe's own (tests point it at a local stand-in) */
  stripeApiBase?: string;
  /** Stripe publishable key (pk_…, public) for Stripe.js in the pay page; without it card is not offered */
  stripePublishableKey?: string;
  /** where the pay page loads Stripe.js from; its origin is allowed by the Content-Security-Policy when card is offered */
  stripeJsUrl: string;
  /** smtp:// or smtps:// URL of the mail server; undefined = mails are written to DATA_DIR/mail/*.eml */
  smtpUrl?: string;
  mailFrom: string;
  /** how long a mail worker owns a mail it is sending (well above the 20 s SMTP waits) */
  mailLeaseMs: number;
  /** how often each instance looks for mails to send (it also sends at once after a change) */
  mailPollMs: number;
  /** where mails go without SMTP_URL: DATA_DIR/mail; undefined with an in-memory database (tests), where mails stay in the outbox */
  mailDir?: string;
  /** items (seats and standing places) one box-office sale may have */
  boxOfficeMaxSeats: number;
  /** which proxies' X-Forwarded-For is believed: false = none, a number = that many hops, or addresses/CIDRs */
  trustProxy: false | number | string[];
  /** bearer token needed to read /metrics in production (unset: /metrics is closed in production) */
  metricsToken?: string;
  /** a venue layout file in the demo venue's format; undefined = the demo venue */
  venueFile?: string;
  clock: Clock;
}

/** A configuration problem; its message is one line naming the variable, what it accepts and what it got. */
export class ConfigError extends Error {}

// ---- kinds of values ----------------------------------------------------------------------------

/** How one kind of value is read from its text; `accepts` is what the README says it accepts. */
interface Kind<T> {
  accepts: string;
  parse(raw: string, name: string): T;
}

const shown = (raw: string) => JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw);
const fail = (name: string, what: string, raw: string): never => {
  throw new ConfigError(`${name} must be ${what}, got ${shown(raw)}`);
};

const integer = (min: number, max: number): Kind<number> => ({
  accepts: `integer ${min}–${max}`,
  parse(raw, name) {
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) fail(name, `an integer from ${min} to ${max}`, raw);
    return n;
  },
});

const boolean: Kind<boolean> = {
  accepts: 'true / false',
  parse(raw, name) {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    return fail(name, 'true or false', raw);
  },
};

const oneOf = <T extends string>(values: readonly T[]): Kind<T> => ({
  accepts: values.join(' / '),
  parse: (raw, name) => (values.includes(raw as T) ? (raw as T) : fail(name, `one of ${values.join(', ')}`, raw)),
});

/** DATABASE_ASYNC_COMMIT's values; `true` and `false` (its earlier values) still mean `all` and `off`. */
const ASYNC_COMMIT_MODES = ['off', 'orders', 'all'] as const;
export type AsyncCommit = (typeof ASYNC_COMMIT_MODES)[number];
const asyncCommitMode = oneOf(ASYNC_COMMIT_MODES);
const asyncCommit: Kind<AsyncCommit> = {
  accepts: asyncCommitMode.accepts,
  parse(raw, name) {
    if (/^(1|true|yes|on)$/i.test(raw)) return 'all';
    if (/^(0|false|no)$/i.test(raw)) return 'off';
    return asyncCommitMode.parse(raw, name);
  },
};

const text = (accepts: string, pattern: RegExp, what = accepts): Kind<string> => ({
  accepts,
  parse: (raw, name) => (pattern.test(raw) ? raw : fail(name, what, raw)),
});

const url = (protocols: string[]): Kind<string> => ({
  accepts: `${protocols.map((p) => `${p}//…`).join(' or ')} URL`,
  parse(raw, name) {
    let u: URL | undefined;
    try {
      u = new URL(raw);
    } catch {
      // reported below
    }
    if (!u || !protocols.includes(u.protocol) || !u.hostname) fail(name, `a ${protocols.map((p) => `${p}//`).join(' or ')} URL`, raw);
    return raw;
  },
});

/** '12h', '30m', '7d', '90s': the spans the JWT library understands, without its ambiguous bare numbers (milliseconds). */
const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const jwtLifetime: Kind<string> = {
  accepts: 'number + s/m/h/d, 1m–30d',
  parse(raw, name) {
    const m = /^(\d{1,6})([smhd])$/.exec(raw);
    const seconds = m ? Number(m[1]) * DURATION_UNITS[m[2]] : NaN;
    if (!(seconds >= 60 && seconds <= 30 * 86_400)) fail(name, 'a number and a unit (s, m, h or d) from 1m to 30d, e.g. 12h', raw);
    return raw;
  },
};

const timeZone: Kind<string> = {
  accepts: 'IANA time zone',
  parse(raw, name) {
    try {
      new Intl.DateTimeFormat('en-CA', { timeZone: raw });
    } catch {
      fail(name, 'a known IANA time zone such as Asia/Bangkok', raw);
    }
    return raw;
  },
};

const originList: Kind<string[]> = {
  accepts: 'comma-separated origins',
  parse(raw, name) {
    const origins = raw.split(',').map((s) => s.trim()).filter(Boolean);
    for (const o of origins) {
      let u: URL | undefined;
      try {
        u = new URL(o);
      } catch {
        // reported below
      }
      if (!u || !/^https?:$/.test(u.protocol) || u.origin !== o.replace(/\/$/, '')) fail(name, 'comma-separated origins like https://tickets.example.com', o);
    }
    return origins.map((o) => o.replace(/\/$/, ''));
  },
};

/** Names proxy-addr (Fastify's trustProxy) understands besides addresses and CIDRs. */
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const trustProxyKind: Kind<false | number | string[]> = {
  accepts: 'hop count, or addresses/CIDRs',
  parse(raw, name) {
    if (/^(0|false|no|off|none)$/i.test(raw)) return false;
    if (/^\d+$/.test(raw)) {
      const hops = Number(raw);
      if (hops > 10) fail(name, 'a hop count from 0 to 10, or comma-separated proxy addresses/CIDRs', raw);
      return hops;
    }
    const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
    for (const e of entries) {
      const [addr, bits, ...rest] = e.split('/');
      const family = isIP(addr);
      const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
      if (!(PROXY_NAMES.includes(e) || (family && okBits && rest.length === 0))) fail(name, `a hop count, or comma-separated proxy addresses/CIDRs (or ${PROXY_NAMES.join(', ')})`, e);
    }
    return entries.length ? entries : false;
  },
};

/** Well-known words and placeholders that make a secret guessable whatever its length. */
const WEAK_WORDS = ['secret', 'password', 'passwd', 'changeme', 'change-me', 'example', 'boxoffice', 'jwt', 'default', 'qwerty', 'letmein', 'admin', 'test', '123456', 'abcdef'];

/**
 * Estimated strength of a secret in bits: its length times the Shannon entropy of its characters, less
 * runs of consecutive characters ('abcd', '1234'). 32 random hex characters score about 110; 'x' × 40 scores 0.
 */
export function secretStrengthBits(secret: string): number {
  const counts = new Map<string, number>();
  for (const ch of secret) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...secret].length;
  let perChar = 0;
  for (const c of counts.values()) perChar -= (c / n) * Math.log2(c / n);
  // a character continuing a run of three or more with one step (-1, 0 or +1: 'aaa', 'abc', '321') adds nothing
  let sequential = 0;
  for (let i = 2; i < secret.length; i++) {
    const step = secret.charCodeAt(i) - secret.charCodeAt(i - 1);
    if (Math.abs(step) <= 1 && step === secret.charCodeAt(i - 1) - secret.charCodeAt(i - 2)) sequential++;
  }
  return perChar * (n - sequential);
}

/** 32 random hex characters score about 110 (rarely under 95); anything repetitive far less. */
const MIN_SECRET_BITS = 80;

/** Refuses a production secret that could be guessed: short, low entropy, or made of well-known words. */
function checkStrongSecret(name: string, secret: string): void {
  const lower = secret.toLowerCase();
  const word = WEAK_WORDS.find((w) => lower.includes(w));
  if (secret.length < 32) throw new ConfigError(`${name} must be at least 32 characters in production (e.g. \`openssl rand -hex 32\`).`);
  if (word) throw new ConfigError(`${name} contains the well-known word "${word}": use a random value in production (e.g. \`openssl rand -hex 32\`).`);
  if (secretStrengthBits(secret) < MIN_SECRET_BITS) throw new ConfigError(`${name} is too predictable (repeated or consecutive characters): use a random value in production (e.g. \`openssl rand -hex 32\`).`);
}

/** Stripe's own address of Stripe.js (Stripe requires it to be loaded from there, never bundled). */
export const DEFAULT_STRIPE_JS_URL = 'https://js.stripe.com/v3/';
/** Stripe's API as the browser reaches it (Stripe.js confirms card payments there). */
const STRIPE_API_ORIGIN = 'https://api.stripe.com';

/** What the pay page needs for card payment through Stripe.js, and the origins the Content-Security-Policy must allow. */
export interface BrowserCard {
  publishableKey: string;
  jsUrl: string;
  /** origin of jsUrl: scripts and frames */
  jsOrigin: string;
  /** Stripe's API (STRIPE_API_BASE or Stripe's own): where Stripe.js sends the card, so `connect-src` */
  apiOrigin: string;
}

/**
 * Card payment in the browser: on with PAYMENT_PROVIDER=stripe and STRIPE_PUBLISHABLE_KEY, else undefined (then
 * buyers are offered PromptPay only and the Content-Security-Policy names no Stripe origin).
 */
export function browserCard(config: Pick<Config, 'paymentProvider' | 'stripePublishableKey' | 'stripeJsUrl' | 'stripeApiBase'>): BrowserCard | undefined {
  if (config.paymentProvider !== 'stripe' || !config.stripePublishableKey) return undefined;
  return {
    publishableKey: config.stripePublishableKey,
    jsUrl: config.stripeJsUrl,
    jsOrigin: new URL(config.stripeJsUrl).origin,
    apiOrigin: config.stripeApiBase ? new URL(config.stripeApiBase).origin : STRIPE_API_ORIGIN,
  };
}

// ---- the schema ---------------------------------------------------------------------------------

type Defaultable<K extends keyof Config> = Config[K] | ((env: NodeEnv) => Config[K]);

/** One environment variable: the Config field it sets, how it is read, its default and what it means. */
export interface Setting<K extends keyof Config = keyof Config> {
  name: string;
  key: K;
  kind: Kind<NonNullable<Config[K]>>;
  default: Defaultable<K>;
  /** the default as the README shows it */
  shownDefault: string;
  meaning: string;
  /** secrets are never echoed in error messages */
  secret?: boolean;
}

const setting = <K extends keyof Config>(s: Setting<K>): Setting => s as unknown as Setting;

/**
 * Every environment variable the service reads, in the order the README's production table lists them.
 * The README table is generated from this list (`npm run docs`; test/config.test.ts fails when they differ).
 */
export const SETTINGS: readonly Setting[] = [
  setting({ name: 'NODE_ENV', key: 'env', kind: oneOf(['development', 'production', 'test'] as const), default: 'development', shownDefault: 'development', meaning: '`production`: strong `JWT_SECRET` required, demo accounts disabled, nothing demo printed, `/metrics` behind `METRICS_TOKEN`' }),
  setting({ name: 'PORT', key: 'port', kind: integer(0, 65535), default: 3000, shownDefault: '3000', meaning: 'where to listen (HTTP, socket.io and the web app share the port); a port in use is refused before anything is created' }),
  setting({ name: 'HOST', key: 'host', kind: text('host name or address', /^[A-Za-z0-9.:_-]{1,253}$/, 'a host name or IP address'), default: (env) => (env === 'production' ? '0.0.0.0' : '127.0.0.1'), shownDefault: '0.0.0.0 in production, else 127.0.0.1', meaning: 'address to listen on; outside production only this machine by default (the demo accounts have published passwords): `0.0.0.0` to try it from a phone on your network' }),
  setting({ name: 'JWT_SECRET', key: 'jwtSecret', kind: text('random text, ≥ 32 characters in production', /^[\x21-\x7e]{16,512}$/, '16 to 512 printable ASCII characters without spaces'), default: '', shownDefault: 'generated in dev', meaning: 'HS256 secret; production refuses a short, repetitive or well-known one (`openssl rand -hex 32`)', secret: true }),
  setting({ name: 'JWT_EXPIRES_IN', key: 'jwtExpiresIn', kind: jwtLifetime, default: '12h', shownDefault: '12h', meaning: 'token lifetime' }),
  setting({ name: 'DATABASE_URL', key: 'databaseUrl', kind: url(['postgres:', 'postgresql:']), default: undefined, shownDefault: 'unset → PGlite in `DATA_DIR`', meaning: '`postgres://user:pass@host:5432/db`', secret: true }),
  setting({ name: 'DATABASE_POOL_SIZE', key: 'databasePoolSize', kind: integer(1, 500), default: 20, shownDefault: '20', meaning: 'connections per instance' }),
  setting({
    name: 'DATABASE_ASYNC_COMMIT', key: 'databaseAsyncCommit', kind: asyncCommit, default: 'orders', shownDefault: 'orders',
    meaning: 'PostgreSQL: which statements commit without waiting for the disk inside the show\'s lock and are answered after one shared flush (docs/ARCHITECTURE.md "Holds commit asynchronously"): `orders` online orders and buyers\' cancels (each one statement; otherwise one show\'s orders queue for one flush each), `all` hold batches too (for servers with slow disk flushes; where flushes are cheap it measured slower), `off` none. Snapshots then wait for the disk too',
  }),
  setting({ name: 'DATABASE_STATEMENT_TIMEOUT_MS', key: 'databaseStatementTimeoutMs', kind: integer(0, 3_600_000), default: 5_000, shownDefault: '5000', meaning: 'PostgreSQL cancels a statement running longer (so nothing commits after its caller got 503); the client stops waiting 1 s later (a stalled database answers 503 + `Retry-After`); 0: no limit' }),
  setting({ name: 'DATABASE_LOCK_TIMEOUT_MS', key: 'databaseLockTimeoutMs', kind: integer(0, 3_600_000), default: 3_000, shownDefault: '3000', meaning: 'a request waiting longer for a row lock answers 503 + `Retry-After`; 0: no limit' }),
  setting({ name: 'DATABASE_IDLE_TX_TIMEOUT_MS', key: 'databaseIdleTxTimeoutMs', kind: integer(0, 3_600_000), default: 10_000, shownDefault: '10000', meaning: 'PostgreSQL ends a session idle inside a transaction this long (e.g. behind a half-open network path) and frees its locks; 0: never' }),
  setting({ name: 'DATA_DIR', key: 'dataDir', kind: text('directory', /^[^\0]{1,1024}$/, 'a directory path'), default: './data', shownDefault: './data', meaning: 'embedded database directory (ignored with `DATABASE_URL`); one process at a time: a second one is refused (`boxoffice.pid`)' }),
  setting({ name: 'REDIS_URL', key: 'redisUrl', kind: url(['redis:', 'rediss:']), default: undefined, shownDefault: 'unset → single instance', meaning: '`redis://host:6379`: realtime across instances, shared rate limits', secret: true }),
  setting({ name: 'REDIS_KEY_PREFIX', key: 'redisKeyPrefix', kind: text('1–64 of A-Z a-z 0-9 _.:-', /^[A-Za-z0-9_.:-]{1,64}$/, '1-64 letters, digits or _.:-'), default: 'boxoffice', shownDefault: 'boxoffice', meaning: "namespace of this deployment's keys and channels in Redis" }),
  setting({ name: 'SEAT_LOCK_TTL_MS', key: 'seatLockTtlMs', kind: integer(1_000, 86_400_000), default: 300_000, shownDefault: '300000', meaning: 'how long a hold lasts' }),
  setting({ name: 'ORDER_PAYMENT_TTL_MS', key: 'orderPaymentTtlMs', kind: integer(1_000, 7 * 86_400_000), default: 300_000, shownDefault: '300000', meaning: 'how long an order waits for payment' }),
  setting({ name: 'ORDER_MAX_HOLD_MS', key: 'orderMaxHoldMs', kind: integer(1_000, 7 * 86_400_000), default: 1_800_000, shownDefault: '1800000', meaning: "starting a payment extends an order's expiry, never beyond this long after the order was created" }),
  setting({ name: 'MAX_SEATS_PER_USER', key: 'maxSeatsPerUser', kind: integer(1, 50), default: 10, shownDefault: '10', meaning: 'seats and standing places one user may hold (locks + unpaid orders) per show' }),
  setting({ name: 'BOX_OFFICE_MAX_SEATS', key: 'boxOfficeMaxSeats', kind: integer(1, 500), default: 50, shownDefault: '50', meaning: 'items (seats and standing places) in one box-office sale' }),
  setting({ name: 'SWEEP_INTERVAL_MS', key: 'sweepIntervalMs', kind: integer(100, 3_600_000), default: 5_000, shownDefault: '5000', meaning: 'how often the expiry sweep runs' }),
  setting({ name: 'ORDER_EXPIRY_BATCH', key: 'orderExpiryBatch', kind: integer(1, 10_000), default: 100, shownDefault: '100', meaning: 'unpaid orders past their deadline one short expiry transaction cancels at most; the sweep runs batches until none is left, so a wave of them never holds live buyers up for long' }),
  setting({ name: 'REALTIME_BATCH_MS', key: 'realtimeBatchMs', kind: integer(0, 1_000), default: 40, shownDefault: '40', meaning: "a busy show's seat events go to each socket at most this often, in one write (a quiet show's at once); 0 sends each at once" }),
  setting({ name: 'REALTIME_GAP_WAIT_MS', key: 'realtimeGapWaitMs', kind: integer(50, 60_000), default: 1_000, shownDefault: '1000', meaning: "with Redis, how long an instance waits for a show's missing seat event (from another instance) before skipping it; its clients then see the gap and reload the snapshot" }),
  setting({ name: 'RATE_LIMIT_ENABLED', key: 'rateLimitEnabled', kind: boolean, default: true, shownDefault: 'true', meaning: 'false only behind a trusted gateway or for benchmarks' }),
  setting({ name: 'RATE_LIMIT_MAX', key: 'rateLimitMax', kind: integer(1, 10_000_000), default: 600, shownDefault: '600', meaning: 'requests per minute per client (user when signed in, else IP)' }),
  setting({ name: 'RATE_LIMIT_AUTH_MAX', key: 'rateLimitAuthMax', kind: integer(1, 10_000_000), default: 20, shownDefault: '20', meaning: 'login/register attempts per minute per IP' }),
  setting({ name: 'TRUST_PROXY', key: 'trustProxy', kind: trustProxyKind, default: false, shownDefault: 'none', meaning: "whose `X-Forwarded-For` is believed for the client's IP (rate limits, logs): a hop count, or the proxies' addresses/CIDRs. Set it only behind your own proxy: otherwise anyone can forge their address" }),
  setting({ name: 'CORS_ORIGINS', key: 'corsOrigins', kind: originList, default: (env) => (env === 'production' ? [] : true), shownDefault: 'any in dev, none in production', meaning: 'comma-separated allowed origins' }),
  setting({ name: 'BODY_LIMIT_BYTES', key: 'bodyLimitBytes', kind: integer(1024, 10 * 1024 * 1024), default: 64 * 1024, shownDefault: '65536', meaning: 'larger requests get 413' }),
  setting({ name: 'IDLE_TIMEOUT_MS', key: 'idleTimeoutMs', kind: integer(100, 3_600_000), default: 30_000, shownDefault: '30000', meaning: 'close connections silent this long, also idle keep-alive ones (a proxy in front must drop idle connections sooner)' }),
  setting({ name: 'REQUEST_TIMEOUT_MS', key: 'requestTimeoutMs', kind: integer(100, 3_600_000), default: 15_000, shownDefault: '15000', meaning: 'a request must arrive whole in this time' }),
  setting({ name: 'TZ_VENUE', key: 'venueTimeZone', kind: timeZone, default: 'Asia/Bangkok', shownDefault: 'Asia/Bangkok', meaning: "the venue's time zone (show dates are its calendar days)" }),
  setting({ name: 'VENUE_FILE', key: 'venueFile', kind: text('path of a readable JSON file', /^[^\0]{1,1024}$/, 'a file path'), default: undefined, shownDefault: 'the demo venue', meaning: "a venue layout in the demo venue's format (`src/modules/catalog/demo-venue.json`, see \"Your own venue\" below), checked at start: a mistake stops the server with one line naming the file and the JSON path" }),
  setting({ name: 'SHOW_START_TIME', key: 'showStartTime', kind: text('HH:MM', /^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day HH:MM (00:00-23:59)'), default: '21:00', shownDefault: '21:00', meaning: 'when a show starts (venue time) unless it says otherwise' }),
  setting({ name: 'SALES_CLOSE_AFTER_START_MIN', key: 'salesCloseAfterStartMin', kind: integer(-10_080, 1_440), default: 60, shownDefault: '60', meaning: 'sales close this many minutes after the start unless the show says otherwise (negative: before it)' }),
  setting({ name: 'PAYMENT_PROVIDER', key: 'paymentProvider', kind: oneOf(['none', 'stripe'] as const), default: 'none', shownDefault: 'none', meaning: '`none`: PromptPay QR confirmed by staff or a slip; `stripe`: Stripe PaymentIntents (card, PromptPay)' }),
  setting({ name: 'PROMPTPAY_ID', key: 'promptpayId', kind: text('10, 13 or 15 digits', /^(\d{10}|\d{13}|\d{15})$/, 'a PromptPay id of 10 (phone), 13 (national or tax id) or 15 (e-wallet) digits'), default: undefined, shownDefault: 'unset', meaning: 'PromptPay id that QR payments go to (`PAYMENT_PROVIDER=none`)' }),
  setting({ name: 'STRIPE_SECRET_KEY', key: 'stripeSecretKey', kind: text('sk_… or rk_…', /^(sk|rk)_(test|live)_[A-Za-z0-9_]{8,}$/, 'a Stripe secret key (sk_test_…, sk_live_… or rk_…)'), default: undefined, shownDefault: 'unset', meaning: 'required with `PAYMENT_PROVIDER=stripe`', secret: true }),
  setting({ name: 'STRIPE_WEBHOOK_SECRET', key: 'stripeWebhookSecret', kind: text('whsec_…', /^whsec_[A-Za-z0-9+/=_-]{8,}$/, 'a Stripe webhook signing secret (whsec_…)'), default: undefined, shownDefault: 'unset', meaning: 'required with `PAYMENT_PROVIDER=stripe`: checks `Stripe-Signature` of webhooks', secret: true }),
  setting({ name: 'STRIPE_API_BASE', key: 'stripeApiBase', kind: url(['https:', 'http:']), default: undefined, shownDefault: "Stripe's", meaning: 'another Stripe API origin (tests point it at a local stand-in)' }),
  setting({ name: 'STRIPE_PUBLISHABLE_KEY', key: 'stripePublishableKey', kind: text('pk_test_… or pk_live_…', /^pk_(test|live)_[A-Za-z0-9_]{8,}$/, 'a Stripe publishable key (pk_test_… or pk_live_…)'), default: undefined, shownDefault: 'unset → no card', meaning: "public key (not a secret) Stripe.js uses in the pay page; with `PAYMENT_PROVIDER=stripe` buyers may pay by card only when it is set (else PromptPay only, and the start log says so); test or live like `STRIPE_SECRET_KEY`" }),
  setting({ name: 'STRIPE_JS_URL', key: 'stripeJsUrl', kind: url(['https:', 'http:']), default: DEFAULT_STRIPE_JS_URL, shownDefault: DEFAULT_STRIPE_JS_URL, meaning: 'where the pay page loads Stripe.js from (https in production); the Content-Security-Policy allows its origin for scripts and frames only while card is offered (tests point it at a local stand-in)' }),
  setting({ name: 'SMTP_URL', key: 'smtpUrl', kind: url(['smtp:', 'smtps:']), default: undefined, shownDefault: 'unset → files', meaning: '`smtps://user:pass@mail.example.com:465`; unset: mails are written to `DATA_DIR/mail/*.eml`', secret: true }),
  setting({ name: 'MAIL_FROM', key: 'mailFrom', kind: text('address or `Name <address>`', /^([^<>\r\n\0]{0,100}<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'an email address, or Name <address>'), default: 'boxoffice <boxoffice@localhost>', shownDefault: '`boxoffice <boxoffice@localhost>`', meaning: 'sender of tickets and notices' }),
  setting({ name: 'MAIL_LEASE_MS', key: 'mailLeaseMs', kind: integer(1_000, 3_600_000), default: 120_000, shownDefault: '120000', meaning: 'a worker owns a mail it is sending this long; after a crash another instance sends it once the lease ends' }),
  setting({ name: 'MAIL_POLL_MS', key: 'mailPollMs', kind: integer(50, 3_600_000), default: 2_000, shownDefault: '2000', meaning: 'how often each instance looks for mails due (retries with backoff; new mails go out at once)' }),
  setting({ name: 'METRICS_TOKEN', key: 'metricsToken', kind: text('≥ 16 printable characters', /^[\x21-\x7e]{16,256}$/, '16 to 256 printable ASCII characters without spaces'), default: undefined, shownDefault: 'unset', meaning: 'in production `/metrics` answers only `Authorization: Bearer <METRICS_TOKEN>` (closed while unset); open in development', secret: true }),
  setting({ name: 'LOG_LEVEL', key: 'logLevel', kind: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const), default: 'info', shownDefault: 'info', meaning: 'pino level; logs are JSON lines with `reqId`' }),
  setting({ name: 'SEED_DEMO', key: 'seedDemo', kind: boolean, default: true, shownDefault: 'true', meaning: "open the demo venue's next nights on start (idempotent); demo accounts only outside production" }),
  setting({ name: 'DEMO_SHOW_NIGHTS', key: 'demoShowNights', kind: integer(0, 366), default: 7, shownDefault: '7', meaning: 'how many nights `SEED_DEMO` opens' }),
  setting({ name: 'ADMIN_EMAIL', key: 'adminEmail', kind: text('email address', /^[^\s@<>]{1,64}@[^\s@<>]{1,189}$/, 'an email address'), default: undefined, shownDefault: 'unset', meaning: 'make sure this admin exists at start (with `ADMIN_PASSWORD`)' }),
  setting({ name: 'ADMIN_PASSWORD', key: 'adminPassword', kind: text('8–128 characters', /^[^\p{Cc}]{8,128}$/u, '8 to 128 characters without control characters'), default: undefined, shownDefault: 'unset', meaning: 'password of `ADMIN_EMAIL`', secret: true }),
  setting({ name: 'SERVE_WEB', key: 'serveWeb', kind: boolean, default: true, shownDefault: 'true', meaning: 'serve the web app at `/` (false: API only)' }),
];

/** Rules between variables, checked after each one is valid on its own. */
function checkTogether(config: Config, env: NodeJS.ProcessEnv): void {
  if (config.env === 'production') {
    if (config.jwtSecretGenerated) throw new ConfigError('JWT_SECRET is required when NODE_ENV=production (a random string of at least 32 characters, e.g. `openssl rand -hex 32`).');
    checkStrongSecret('JWT_SECRET', config.jwtSecret);
  }
  if (config.paymentProvider === 'stripe') {
    for (const [name, value] of [['STRIPE_SECRET_KEY', config.stripeSecretKey], ['STRIPE_WEBHOOK_SECRET', config.stripeWebhookSecret]] as const) {
      if (!value) throw new ConfigError(`${name} is required when PAYMENT_PROVIDER=stripe.`);
    }
    // a test publishable key with a live secret key (or the reverse) would take cards into the wrong mode: every payment fails
    const mode = (key?: string) => /_(test|live)_/.exec(key ?? '')?.[1];
    if (config.stripePublishableKey && mode(config.stripePublishableKey) !== mode(config.stripeSecretKey)) {
      throw new ConfigError(`STRIPE_PUBLISHABLE_KEY is a ${mode(config.stripePublishableKey)} key but STRIPE_SECRET_KEY is a ${mode(config.stripeSecretKey)} key: use the pair of one mode.`);
    }
  }
  if (config.env === 'production' && !config.stripeJsUrl.startsWith('https:')) {
    throw new ConfigError(`STRIPE_JS_URL must be an https:// URL in production, got ${shown(config.stripeJsUrl)}`);
  }
  if (Boolean(config.adminEmail) !== Boolean(config.adminPassword)) throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither.');
  if (config.orderMaxHoldMs < config.orderPaymentTtlMs) {
    throw new ConfigError(`ORDER_MAX_HOLD_MS (${config.orderMaxHoldMs}) must be at least ORDER_PAYMENT_TTL_MS (${config.orderPaymentTtlMs}).`);
  }
  if (config.venueFile) {
    try {
      accessSync(config.venueFile, fsConstants.R_OK);
    } catch {
      throw new ConfigError(`VENUE_FILE must be a readable file, got ${shown(env.VENUE_FILE ?? config.venueFile)}`);
    }
  }
}

/**
 * Reads the environment once into a typed config, every variable through SETTINGS (an empty value counts as
 * unset); then `overrides` (tests) are applied. Throws ConfigError with a one-line message on the first bad value.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const values: Record<string, unknown> = {};
  const read = (s: Setting, nodeEnv: NodeEnv) => {
    const raw = env[s.name];
    if (raw === undefined || raw === '') {
      values[s.key] = typeof s.default === 'function' ? s.default(nodeEnv) : s.default;
      return;
    }
    try {
      values[s.key] = s.kind.parse(raw, s.name);
    } catch (err) {
      if (s.secret && err instanceof ConfigError) throw new ConfigError(`${s.name} must be ${s.kind.accepts} (value not shown: it is a secret)`);
      throw err;
    }
  };
  const envSetting = SETTINGS.find((s) => s.key === 'env') as Setting;
  read(envSetting, 'development');
  const nodeEnv = values.env as NodeEnv;
  for (const s of SETTINGS) if (s !== envSetting) read(s, nodeEnv);

  const config = { ...values, clock: systemClock } as unknown as Config;
  config.jwtSecretGenerated = !config.jwtSecret;
  if (config.jwtSecretGenerated && nodeEnv !== 'production') config.jwtSecret = randomBytes(32).toString('hex');
  checkTogether(config, env);
  const out = { ...config, ...overrides };
  if (!('mailDir' in overrides)) out.mailDir = out.dataDir.startsWith('memory://') ? undefined : path.join(out.dataDir, 'mail');
  return out;
}

/** The README's production table: one row per variable of SETTINGS (what it accepts, its default, what it means). */
export function configTableMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = SETTINGS.map((s) => `| \`${s.name}\` | ${cell(s.kind.accepts)} | ${cell(s.shownDefault)} | ${cell(s.meaning)} |`);
  return ['| variable | accepts | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
