import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastifyStatic from '@fastify/static';
import { Ajv, type KeywordDefinition } from 'ajv';
import addFormats from 'ajv-formats';
import { Redis } from 'ioredis';
import type { Config } from './config.ts';
import { createPgDb, createPgliteDb, type Db } from './db/driver.ts';
import { migrate } from './db/migrate.ts';
import { disableDemoAccounts, seed, type SeedReport } from './db/seed.ts';
import { usersRepository } from './modules/auth/repository.ts';
import { showsRepository } from './modules/shows/repository.ts';
import { registerErrorHandling, sendError, answerClientError } from './errors.ts';
import authPlugin from './plugins/auth.ts';
import securityPlugin from './plugins/security.ts';
import docsPlugin from './plugins/docs.ts';
import metricsPlugin from './plugins/metrics.ts';
import { RealtimeGateway } from './realtime/gateway.ts';
import { loadVenue, type VenueLayout } from './modules/catalog/venue.ts';
import { AuthService } from './modules/auth/service.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { CatalogService } from './modules/catalog/service.ts';
import { catalogRoutes } from './modules/catalog/routes.ts';
import { HoldsService } from './modules/holds/service.ts';
import { holdsRoutes } from './modules/holds/routes.ts';
import { LockBestService } from './modules/holds/lock-best.ts';
import { OrdersService } from './modules/orders/service.ts';
import { ShowsService } from './modules/shows/service.ts';
import { showsRoutes } from './modules/shows/routes.ts';
import { ordersRoutes } from './modules/orders/routes.ts';
import { PaymentsService } from './modules/payments/service.ts';
import { paymentsRoutes } from './modules/payments/routes.ts';
import { Counters } from './modules/ops/counters.ts';
import { OpsService } from './modules/ops/service.ts';
import { Sweeper } from './modules/ops/sweeper.ts';
import { opsRoutes } from './modules/ops/routes.ts';
import { TicketsService } from './modules/tickets/service.ts';
import { ticketsRoutes } from './modules/tickets/routes.ts';
import { AuditService } from './modules/audit/service.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { ReferrersService } from './modules/referrers/service.ts';
import { referrersRoutes } from './modules/referrers/routes.ts';
import { ReportsService } from './modules/reports/service.ts';
import { reportsRoutes } from './modules/reports/routes.ts';
import { boxOfficeRoutes } from './modules/boxoffice/routes.ts';
import { MailWorker } from './modules/mail/worker.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const WEB_DIST = path.join(ROOT, 'web', 'dist');
/** vite's output for hashed file names (build.assetsDir) */
const WEB_ASSETS = path.join(WEB_DIST, 'assets') + path.sep;

export interface BuiltApp {
  app: FastifyInstance;
  db: Db;
  realtime: RealtimeGateway;
  sweeper: Sweeper;
  /** delivers the mail outbox; undefined when mails have nowhere to go (in-memory database without SMTP_URL) */
  mail?: MailWorker;
  services: {
    auth: AuthService;
    catalog: CatalogService;
    holds: HoldsService;
    orders: OrdersService;
    shows: ShowsService;
    payments: PaymentsService;
    ops: OpsService;
    tickets: TicketsService;
    audit: AuditService;
    referrers: ReferrersService;
    reports: ReportsService;
  };
  seedReport: SeedReport;
}

async function openDb(config: Config, onError: (err: Error) => void): Promise<Db> {
  if (config.databaseUrl) {
    return createPgDb(config.databaseUrl, {
      poolSize: config.databasePoolSize,
      asyncCommit: config.databaseAsyncCommit !== 'off',
      statementTimeoutMs: config.databaseStatementTimeoutMs,
      lockTimeoutMs: config.databaseLockTimeoutMs,
      idleInTransactionTimeoutMs: config.databaseIdleTxTimeoutMs,
      onError,
    });
  }
  return createPgliteDb(config.dataDir);
}

/**
 * A Redis client that fails commands at once while Redis is away (instead of piling them up) and
 * reconnects by itself; an outage is logged once when it starts and once when it ends.
 */
function redisClient(url: string, name: string, log: FastifyBaseLogger, opts: { queueWhileAway?: boolean } = {}): Redis {
  const client = new Redis(url, { enableOfflineQueue: opts.queueWhileAway ?? false, maxRetriesPerRequest: 1, connectionName: `boxoffice-${name}` });
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.warn({ redis: name, err: err.message }, 'redis unreachable; carrying on without it and reconnecting');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ redis: name }, 'redis reachable again');
  });
  return client;
}

/**
 * `x-trim: true` (SafeText with `trim`, src/contract/common.ts): once the string is valid, its leading and trailing
 * whitespace is removed from the request before the route sees it.
 */
const TRIM_KEYWORD: KeywordDefinition = {
  keyword: 'x-trim',
  type: 'string',
  modifying: true,
  schemaType: 'boolean',
  compile: (on: boolean) => (data: string, ctx?: { parentData?: Record<string | number, unknown>; parentDataProperty?: string | number }) => {
    if (on && ctx?.parentData && ctx.parentDataProperty !== undefined) ctx.parentData[ctx.parentDataProperty] = data.trim();
    return true;
  },
};

/** Strict bodies (no type coercion, no unknown fields); params and query strings are coerced from text. */
function validatorCompilers() {
  const options = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false } as const;
  const body = new Ajv({ ...options, coerceTypes: false });
  const other = new Ajv({ ...options, coerceTypes: 'array' });
  for (const ajv of [body, other]) {
    addFormats.default(ajv);
    ajv.addKeyword(TRIM_KEYWORD);
  }
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) => (httpPart === 'body' ? body : other).compile(schema);
}

/** TRUST_PROXY as a hop count: the nearest `hops` proxies are believed (proxy-addr's meaning of a number). */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** A client's X-Request-Id is used when it is at most 128 letters, digits and `._:-` (issue 12, kind 15). */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the whole service: database (migrated, seeded), HTTP routes, realtime and the expiry sweeper.
 * `preloaded.venue`: the layout the caller already loaded from VENUE_FILE; `preloaded.db`: a database the caller
 * opened (the tests' PGlite restored from a migrated one), used instead of opening the one `config` names; the app
 * migrates it and closes it on close like its own.
 */
export async function buildApp(config: Config, preloaded: { venue?: VenueLayout; db?: Db } = {}): Promise<BuiltApp> {
  // the venue first (VENUE_FILE, else the demo): a bad file is a one-line ConfigError before anything is opened
  const venue = preloaded.venue ?? loadVenue(config.venueFile);
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.accessToken'], censor: '[redacted]' },
    },
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.idleTimeoutMs,
    // An idle keep-alive connection lasts as long as any silent one. It was 5 s: a client that reuses a connection
    // at the moment the server drops it gets a reset, not an answer (a test client stalled for seconds did; so does a
    // proxy that keeps upstream connections longer). Proxies in front must drop idle connections sooner than this.
    keepAliveTimeout: config.idleTimeoutMs,
    // X-Forwarded-For decides the client IP (rate limits, logs) only from the proxies TRUST_PROXY names
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    // a client's X-Request-Id is kept only when it is short and plain (genReqId), else replaced
    requestIdHeader: false,
    // one line per request, written when it completes (below), instead of Fastify's two
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { strict: false } },
    return503OnClosing: true,
    // errors the router raises before any route runs (bad URL, over-long params) get the standard body too
    frameworkErrors: (err, request, reply) => sendError(request, reply, err),
    clientErrorHandler: answerClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompilers());
  // `Content-Type: application/json` with an empty body means "no body" (e.g. PATCH …/cancel): routes that need one
  // still answer 400 from their schema; anything else goes to Fastify's own (prototype-poisoning safe) parser
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).trim() === '') done(null, undefined);
    else jsonParser(request, body as string, done);
  });
  // callback hooks, not async ones: no promise per request of a busy show
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  // only when the line is written (LOG_LEVEL info or finer): no hook at all on a quiet server's busy show
  if (['trace', 'debug', 'info'].includes(app.log.level)) {
    app.addHook('onResponse', (request, reply, done) => {
      request.log.info(
        { method: request.method, url: request.url.split('?')[0], route: request.routeOptions.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, user: request.user?.sub, ip: request.ip },
        'request',
      );
      done();
    });
  }
  const serveWeb = config.serveWeb && existsSync(path.join(WEB_DIST, 'index.html'));
  registerErrorHandling(app, { spaFallback: serveWeb });

  const db = preloaded.db ?? (await openDb(config, (err) => app.log.warn({ err }, 'idle database connection lost')));
  let redis: { rateLimit: Redis; pub: Redis; sub: Redis } | undefined;
  try {
    await migrate(db);
    if (config.redisUrl) {
      redis = {
        rateLimit: redisClient(config.redisUrl, 'rate-limit', app.log),
        pub: redisClient(config.redisUrl, 'pub', app.log),
        // the subscriber only sends SUBSCRIBE: queue it until connected (and ioredis re-subscribes after an outage)
        sub: redisClient(config.redisUrl, 'sub', app.log, { queueWhileAway: true }),
      };
    }
  } catch (err) {
    await db.close();
    throw err;
  }

  await app.register(authPlugin, { secret: config.jwtSecret, expiresIn: config.jwtExpiresIn, isActiveUser: (id) => usersRepository.isActive(db, id) });
  await app.register(securityPlugin, { config, redis: redis?.rateLimit });
  await app.register(docsPlugin, { version: VERSION });
  await app.register(metricsPlugin, { production: config.env === 'production', token: config.metricsToken });

  const realtime = new RealtimeGateway(app, app.log, {
    redis,
    keyPrefix: config.redisKeyPrefix,
    corsOrigins: config.corsOrigins,
    batchMs: config.realtimeBatchMs,
    gapWaitMs: config.realtimeGapWaitMs,
    seqOf: (showDate) => showsRepository.currentSeq(db, showDate),
    metrics: app.metrics,
  });
  const counters = new Counters();
  const auth = new AuthService(db, (claims) => app.jwt.sign(claims));
  const catalog = new CatalogService(db, config, venue);
  const holds = new HoldsService(db, config, realtime, counters);
  const orders = new OrdersService(db, config, realtime, counters);
  const best = new LockBestService(db, config, realtime, counters, venue);
  const shows = new ShowsService(db, config, realtime, catalog, orders);
  const tickets = new TicketsService(db, config, realtime, venue.name);
  // the Stripe SDK is loaded only when Stripe is the provider (it costs every start-up ~0.2 s of CPU otherwise)
  const paymentProvider = config.paymentProvider === 'stripe'
    ? new (await import('./modules/payments/providers/stripe.ts')).StripeProvider({ secretKey: config.stripeSecretKey!, webhookSecret: config.stripeWebhookSecret!, apiBase: config.stripeApiBase })
    : undefined;
  const payments = new PaymentsService(db, config, orders, app.log, paymentProvider);
  const ops = new OpsService(db, config, counters, realtime, VERSION, redis?.rateLimit, app.log);
  const sweeper = new Sweeper(db, holds, orders, counters, app.log);
  const audit = new AuditService(db);
  const referrers = new ReferrersService(db, config);
  const reports = new ReportsService(db, config);
  const mailTarget = config.smtpUrl ? { smtpUrl: config.smtpUrl } : config.mailDir ? { dir: config.mailDir } : undefined;
  const mail = mailTarget
    ? new MailWorker(db, config, tickets, venue.name, mailTarget, app.log, { leaseMs: config.mailLeaseMs, from: config.mailFrom })
    : undefined;
  if (mail) orders.mailQueued = () => mail.nudge();

  await app.register(authRoutes, { auth, config });
  await app.register(catalogRoutes, { catalog });
  await app.register(holdsRoutes, { holds, catalog, best });
  await app.register(ordersRoutes, { orders });
  await app.register(showsRoutes, { shows });
  await app.register(paymentsRoutes, { payments });
  await app.register(opsRoutes, { ops, sweeper });
  await app.register(ticketsRoutes, { tickets });
  await app.register(boxOfficeRoutes, { orders, payments, config });
  await app.register(auditRoutes, { audit });
  await app.register(referrersRoutes, { referrers });
  await app.register(reportsRoutes, { reports });

  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: false,
      // an array: with preCompressed, @fastify/static looks the index file up only in an array (a string finds none: 404)
      index: ['index.html'],
      // .br / .gz copies written at build time (web/compress-dist.mjs), chosen by Accept-Encoding
      preCompressed: true,
      // assets/ names carry a hash of their content: cached for a year; index.html, sw.js and the rest are asked again
      cacheControl: false,
      setHeaders: (reply, file) =>
        reply.header('cache-control', file.startsWith(WEB_ASSETS) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  }

  if (config.env === 'production') {
    const disabled = await disableDemoAccounts(db, config.adminEmail);
    if (disabled.length) app.log.warn({ accounts: disabled }, 'production: disabled the development demo accounts found in this database');
  }
  const seedReport = config.seedDemo ? await seed(db, config, venue, auth) : { showsCreated: [], demoAccounts: [] };

  app.addHook('preClose', async () => {
    await sweeper.stop();
    await payments.stopRefundRetries();
    await mail?.stop();
    await realtime.close();
  });
  app.addHook('onClose', async () => {
    await db.close();
    if (redis) await Promise.all([redis.rateLimit, redis.pub, redis.sub].map((r) => r.quit().catch(() => r.disconnect())));
  });

  sweeper.start(config.sweepIntervalMs);
  payments.startRefundRetries(config.sweepIntervalMs);
  mail?.start(config.mailPollMs);
  return { app, db, realtime, sweeper, mail, services: { auth, catalog, holds, orders, shows, payments, ops, tickets, audit, referrers, reports }, seedReport };
}
