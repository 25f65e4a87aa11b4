import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../contract/common.ts';
import { ShowList, ShowParams, SeatMap, CreateShowBody, CreateShowResult } from '../../contract/catalog.ts';
import { pickLang } from '../../errors.ts';
import type { CatalogService } from './service.ts';

export const catalogRoutes: FastifyPluginAsyncTypebox<{ catalog: CatalogService }> = async (app, { catalog }) => {
  app.get('/api/v1/shows', {
    schema: { tags: ['catalog'], summary: 'List shows with seat counts', response: { 200: ShowList, ...errors() } },
    handler: async () => ({ items: await catalog.listShows() }),
  });

  app.get('/api/v1/shows/:showDate/seats', {
    schema: {
      tags: ['catalog'],
      summary: 'Seat-map snapshot of a show',
      description: 'Every seat with x/y for drawing and its current state. `seq` lines up with the realtime events: apply only events with a higher seq.',
      params: ShowParams,
      response: { 200: SeatMap, ...errors(404) },
    },
    handler: async (request) => catalog.seatMap(request.params.showDate, pickLang(request.headers['accept-language'])),
  });

  app.post('/api/v1/shows', {
    preHandler: app.requireRole('admin'),
    schema: {
      tags: ['catalog'],
      summary: 'Open a new show (admin)',
      security: [{ bearerAuth: [] }],
      body: CreateShowBody,
      response: { 201: CreateShowResult, ...errors(401, 403, 409) },
    },
    handler: async (request, reply) => {
      const show = await catalog.createShow(request.body.showDate, request.body.title);
      return reply.code(201).send({ show });
    },
  });
};
