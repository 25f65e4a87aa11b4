import fp from 'fastify-plugin';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import cors from '@fastify/cors';
import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import Fastify, { type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { browserCard, DEFAULT_STRIPE_JS_URL, type BrowserCard, type Config } from '../config.ts';
import { AppError } from '../errors.ts';

/** Stripe's own Stripe.js origin (STRIPE_JS_URL's default). */
const STRIPE_JS_ORIGIN = new URL(DEFAULT_STRIPE_JS_URL).origin;

/**
 * Helmet's options: the seat map web app and Swagger UI load their own scripts and styles only. When card payment is
 * offered (browserCard), Stripe.js is let in: its origin for scripts and frames (for Stripe's own also its
 * sub-origins, and hooks.stripe.com for the 3-D Secure frames), and Stripe's API for connections; nothing else changes.
 */
function helmetOptions(card: BrowserCard | undefined): FastifyHelmetOptions {
  const stripeOwn = card?.jsOrigin === STRIPE_JS_ORIGIN;
  const scripts = card ? [card.jsOrigin, ...(stripeOwn ? ['https://*.js.stripe.com'] : [])] : [];
  const frames = card ? [...scripts, ...(stripeOwn ? ['https://hooks.stripe.com'] : [])] : [];
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'", ...scripts],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", 'ws:', 'wss:', ...(card ? [card.apiOrigin] : [])],
        ...(card ? { frameSrc: ["'self'", ...frames] } : {}),
        // self-hosted boxes are often plain HTTP on a LAN: never force https for subresources
        upgradeInsecureRequests: null,
      },
    },
  };
}

/** The response headers @fastify/helmet sets with these options (they do not depend on the request). */
async function helmetHeaders(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const probe = Fastify({ logger: false });
  try {
    probe.get('/', async () => '');
    const plain = (await probe.inject('/')).headers;
    const withHelmet = Fastify({ logger: false });
    try {
      await withHelmet.register(helmet, options);
      withHelmet.get('/', async () => '');
      const res = await withHelmet.inject('/');
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (name in plain || value === undefined) continue;
        out[name] = Array.isArray(value) ? value.join(', ') : String(value);
      }
      if (!out['content-security-policy']) throw new Error('helmet set no Content-Security-Policy header');
      return out;
    } finally {
      await withHelmet.close();
    }
  } finally {
    await probe.close();
  }
}

/** Every method the API answers, so a browser app on another allowed origin can call all of it (PATCH …/cancel too). */
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Rate limit key: the signed-in user when the token is valid, else the client IP. */
function clientKey(request: FastifyRequest): string {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    try {
      return `u:${request.server.verifyToken(auth.slice(7)).sub}`;
    } catch {
      // an invalid token is limited by IP like an anonymous caller
    }
  }
  return `ip:${request.ip}`;
}

/**
 * The security headers of every answer for this configuration (helmet's, with the Content-Security-Policy of
 * helmetOptions: Stripe's origins only while card payment is offered).
 */
export function securityHeaders(config: Config): Promise<Record<string, string>> {
  return helmetHeaders(helmetOptions(browserCard(config)));
}

export default fp(
  async (app, opts: { config: Config; redis?: Redis }) => {
    const { config } = opts;
    // @fastify/helmet builds a whole helmet() middleware (parsing the CSP again) on every request: ~8 % of
    // the server's CPU on the lock/release path. The headers only depend on these options, so ask the
    // plugin once, on a throwaway instance, and set the same headers on every request.
    const headers = await securityHeaders(config);
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
    await app.register(cors, { origin: config.corsOrigins, credentials: true, methods: CORS_METHODS, exposedHeaders: ['Retry-After', 'Idempotent-Replayed', 'X-Request-Id', 'Date'] });
    if (!config.rateLimitEnabled) return;
    await app.register(rateLimit, {
      global: true,
      max: config.rateLimitMax,
      timeWindow: 60_000,
      keyGenerator: clientKey,
      redis: opts.redis,
      nameSpace: `${config.redisKeyPrefix}-rl:`,
      // Redis down: fall back to answering rather than refusing everyone
      skipOnError: true,
      errorResponseBuilder: (_request, context) => {
        const err = new AppError('RATE_LIMITED', { limit: context.max, retryAfterS: Math.ceil(context.ttl / 1000) });
        return err;
      },
    });
  },
  { name: 'security', dependencies: ['auth'] },
);

/** Route config for the stricter per-IP limit on login and register. */
export const authRateLimit = (config: Config): { rateLimit?: RateLimitOptions } =>
  config.rateLimitEnabled ? { rateLimit: { max: config.rateLimitAuthMax, timeWindow: 60_000, keyGenerator: (r: FastifyRequest) => `auth:${r.ip}` } } : {};
