import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../contract/common.ts';
import { AuditPage, AuditQuery } from '../../contract/boxoffice.ts';
import type { AuditService } from './service.ts';

export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditService }> = async (app, { audit }) => {
  app.get('/api/v1/audit', {
    preHandler: app.requireRole('admin'),
    schema: {
      tags: ['audit'],
      summary: 'Audit log of staff and admin actions (admin)',
      description:
        'Every payment, refund, cancel, counter sale, show change and other staff or admin action, with who, when, what it looked like before and after, and the request id. ' +
        'Newest first; page with `cursor` = the previous answer\'s `nextCursor`. The log is append-only: the database refuses to change or delete entries.',
      security: [{ bearerAuth: [] }],
      querystring: AuditQuery,
      response: { 200: AuditPage, ...errors(401, 403) },
    },
    handler: async (request) => audit.list(request.query),
  });
};
