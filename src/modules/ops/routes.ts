import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../contract/common.ts';
import { Health, Stats, CleanupResult } from '../../contract/ops.ts';
import type { OpsService } from './service.ts';
import type { Sweeper } from './sweeper.ts';

export const opsRoutes: FastifyPluginAsyncTypebox<{ ops: OpsService; sweeper: Sweeper }> = async (app, { ops, sweeper }) => {
  const security = [{ bearerAuth: [] }];

  app.get('/api/orders/enhanced/health', {
    config: { rateLimit: false },
    schema: {
      tags: ['ops'],
      summary: 'Health (public)',
      description: '200 `ok`, or 503 `degraded` when the database cannot be reached. Redis is reported but does not make the service degraded.',
      response: { 200: Health, 503: Health },
    },
    handler: async (_request, reply) => {
      const health = await ops.health();
      return reply.code(health.status === 'ok' ? 200 : 503).send(health);
    },
  });

  app.get('/api/orders/enhanced/stats', {
    preHandler: app.requireRole('staff', 'admin'),
    schema: { tags: ['ops'], summary: 'Seat, order and lock statistics (staff, admin)', security, response: { 200: Stats, ...errors(401, 403, 503) } },
    handler: async () => ops.stats(),
  });

  app.post('/api/orders/enhanced/cleanup', {
    preHandler: app.requireRole('admin'),
    schema: {
      tags: ['ops'],
      summary: 'Run the expiry sweep now (admin)',
      description: 'Releases expired locks and cancels PENDING orders past their payment deadline. It also runs by itself every few seconds.',
      security,
      response: { 200: CleanupResult, ...errors(401, 403, 503) },
    },
    handler: async () => sweeper.sweep(),
  });
};
