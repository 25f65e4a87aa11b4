import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import { Registry, collectDefaultMetrics, Counter, Histogram } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

import { AppError } from '../errors.ts';

export interface MetricsOptions {
  /** production: /metrics answers only `Authorization: Bearer <token>`, and nobody while no token is set */
  production: boolean;
  token?: string;
}

/** Constant-time comparison of the bearer token (hashes first, so lengths do not leak either). */
function sameToken(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Prometheus metrics at /metrics: request counts and latency histograms by route, plus process metrics.
 * Open in development; in production they tell versions and traffic, so only METRICS_TOKEN's bearer reads them
 * (401 UNAUTHENTICATED otherwise).
 */
export default fp(
  async (app, opts: MetricsOptions) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const requests = new Counter({
      name: 'boxoffice_http_requests_total',
      help: 'HTTP requests answered, by method, route and status code',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    });
    const latency = new Histogram({
      name: 'boxoffice_http_request_duration_seconds',
      help: 'HTTP request latency by method and route',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    app.decorate('metrics', registry);
    app.addHook('onResponse', (request, reply, done) => {
      // unmatched URLs share one label so scanners cannot blow up the series count
      const route = request.routeOptions.url ?? 'unmatched';
      requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
      done();
    });
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (opts.production) {
        const given = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
        if (!opts.token || !given || !sameToken(given, opts.token)) throw new AppError('UNAUTHENTICATED');
      }
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics' },
);
