import { randomBytes } from 'node:crypto';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** postgres://… or undefined for embedded PGlite in dataDir */
  databaseUrl?: string;
  /** PGlite data directory; 'memory://' keeps the database in memory */
  dataDir: string;
  databasePoolSize: number;
  redisUrl?: string;
  /** prefix of this deployment's Redis keys and channels (socket.io adapter, rate limits); several deployments may share one Redis */
  redisKeyPrefix: string;
  jwtSecret: string;
  jwtSecretGenerated: boolean;
  jwtExpiresIn: string;
  seatLockTtlMs: number;
  orderPaymentTtlMs: number;
  maxSeatsPerUser: number;
  sweepIntervalMs: number;
  /** a busy show's seat events are sent to its sockets at most this often, in one write each (0: every event at once) */
  realtimeBatchMs: number;
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
  logLevel: string;
  seedDemo: boolean;
  demoShowNights: number;
  adminEmail?: string;
  adminPassword?: string;
  serveWeb: boolean;
  clock: Clock;
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** Reads the environment once into a typed config; throws ConfigError with a clear message on bad values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  let jwtSecret = env.JWT_SECRET ?? '';
  let jwtSecretGenerated = false;
  if (!jwtSecret) {
    if (nodeEnv === 'production') {
      throw new ConfigError('JWT_SECRET is required when NODE_ENV=production (use a random string of at least 32 characters).');
    }
    jwtSecret = randomBytes(32).toString('hex');
    jwtSecretGenerated = true;
  } else if (nodeEnv === 'production' && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters in production.');
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError(`DATABASE_URL must start with postgres://, got "${databaseUrl}"`);
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError(`REDIS_URL must start with redis://, got "${redisUrl}"`);
  const redisKeyPrefix = env.REDIS_KEY_PREFIX || 'boxoffice';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(redisKeyPrefix)) throw new ConfigError(`REDIS_KEY_PREFIX must be 1-64 letters, digits or _.:-, got "${redisKeyPrefix}"`);
  const cors = (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const tz = env.TZ_VENUE || 'Asia/Bangkok';
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: tz });
  } catch {
    throw new ConfigError(`TZ_VENUE is not a known time zone: "${tz}"`);
  }
  const config: Config = {
    env: nodeEnv,
    host: env.HOST || '0.0.0.0',
    port: int(env, 'PORT', 3000, 0, 65535),
    databaseUrl,
    dataDir: env.DATA_DIR || './data',
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 20, 1, 500),
    redisUrl,
    redisKeyPrefix,
    jwtSecret,
    jwtSecretGenerated,
    jwtExpiresIn: env.JWT_EXPIRES_IN || '12h',
    seatLockTtlMs: int(env, 'SEAT_LOCK_TTL_MS', 300_000, 1_000, 86_400_000),
    orderPaymentTtlMs: int(env, 'ORDER_PAYMENT_TTL_MS', 300_000, 1_000, 7 * 86_400_000),
    maxSeatsPerUser: int(env, 'MAX_SEATS_PER_USER', 10, 1, 50),
    sweepIntervalMs: int(env, 'SWEEP_INTERVAL_MS', 5_000, 100, 3_600_000),
    realtimeBatchMs: int(env, 'REALTIME_BATCH_MS', 40, 0, 1_000),
    rateLimitEnabled: bool(env, 'RATE_LIMIT_ENABLED', true),
    rateLimitMax: int(env, 'RATE_LIMIT_MAX', 600, 1, 10_000_000),
    rateLimitAuthMax: int(env, 'RATE_LIMIT_AUTH_MAX', 20, 1, 10_000_000),
    corsOrigins: cors.length ? cors : nodeEnv === 'production' ? [] : true,
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024),
    idleTimeoutMs: int(env, 'IDLE_TIMEOUT_MS', 30_000, 100, 3_600_000),
    requestTimeoutMs: int(env, 'REQUEST_TIMEOUT_MS', 15_000, 100, 3_600_000),
    venueTimeZone: tz,
    logLevel: env.LOG_LEVEL || 'info',
    seedDemo: bool(env, 'SEED_DEMO', true),
    demoShowNights: int(env, 'DEMO_SHOW_NIGHTS', 7, 0, 366),
    adminEmail: env.ADMIN_EMAIL || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    serveWeb: bool(env, 'SERVE_WEB', true),
    clock: systemClock,
    ...overrides,
  };
  return config;
}
