import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../contract/common.ts';
import { CreateReferrerBody, ReferrerList, ReferrerResult } from '../../contract/boxoffice.ts';
import type { ReferrersService } from './service.ts';

export const referrersRoutes: FastifyPluginAsyncTypebox<{ referrers: ReferrersService }> = async (app, { referrers }) => {
  const security = [{ bearerAuth: [] }];

  app.post('/api/v1/referrers', {
    preHandler: app.requireRole('admin'),
    schema: {
      tags: ['referrers'],
      summary: 'Add a referrer (admin): a hotel or tour guide code with a commission per ticket',
      description: 'The code is stored in capitals and must be new (a taken code → 400 VALIDATION_FAILED with `details.reason: "taken"`).',
      security,
      body: CreateReferrerBody,
      response: { 201: ReferrerResult, ...errors(401, 403) },
    },
    handler: async (request, reply) => reply.code(201).send({ referrer: await referrers.create({ ...request.user, requestId: request.id }, request.body) }),
  });

  app.get('/api/v1/referrers', {
    preHandler: app.requireRole('staff', 'admin'),
    schema: {
      tags: ['referrers'],
      summary: 'Referrers (staff, admin), by code',
      description: 'Staff read the list to pick a code at the counter; only admin adds referrers.',
      security,
      response: { 200: ReferrerList, ...errors(401, 403) },
    },
    handler: async () => ({ items: await referrers.list() }),
  });
};
