import fp from 'fastify-plugin';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import cors from '@fastify/cors';
import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import Fastify, { type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

const HELMET_OPTIONS: FastifyHelmetOptions = {
  // the seat map web app and Swagger UI load their own scripts and styles only
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", 'ws:', 'wss:'],
      // self-hosted boxes are often plain HTTP on a LAN: never force https for subresources
      upgradeInsecureRequests: null,
    },
  },
};

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

export default fp(
  async (app, opts: { config: Config; redis?: Redis }) => {
    const { config } = opts;
    // @fastify/helmet builds a whole helmet() middleware (parsing the CSP again) on every request: ~8 % of
    // the server's CPU on the lock/release path. The headers only depend on these options, so ask the
    // plugin once, on a throwaway instance, and set the same headers on every request.
    const headers = await helmetHeaders(HELMET_OPTIONS);
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
