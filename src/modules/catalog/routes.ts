import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import { errors } from '../../contract/common.ts';
import { ShowList, ShowParams, SeatMap, CreateShowBody, CreateShowResult, ListShowsQuery, ShowState, StaticLayout } from '../../contract/catalog.ts';
import { pickLang } from '../../errors.ts';
import type { CatalogService } from './service.ts';

export const catalogRoutes: FastifyPluginAsyncTypebox<{ catalog: CatalogService }> = async (app, { catalog }) => {
  app.get('/api/v1/shows', {
    schema: {
      tags: ['catalog'],
      summary: 'List shows with seat counts, a page at a time',
      description:
        'Shows in date order, upcoming first, `limit` per page (default 50, at most 200). When more follow, the answer has `nextCursor`: ask again ' +
        'with `cursor=<nextCursor>` for the next page (keyset: a show opened meanwhile is not skipped or listed twice). Nights that are over (dated ' +
        'before today in the venue time zone, sales closed) are left out unless `includePast=true`. Counts treat a hold past its expiry as available.',
      querystring: ListShowsQuery,
      response: { 200: ShowList, ...errors() },
    },
    handler: async (request) => catalog.listShows(request.query),
  });

  app.get('/api/v1/shows/:showDate', {
    schema: {
      tags: ['catalog'],
      summary: 'One show with its seat counts',
      description: 'The show of that night as listed by `GET /api/v1/shows`, also when its night is over. 404 SHOW_NOT_FOUND when there is none.',
      params: ShowParams,
      response: { 200: CreateShowResult, ...errors(404) },
    },
    handler: async (request) => ({ show: await catalog.getShow(request.params.showDate) }),
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

  app.get('/api/v1/venue/layout', {
    schema: {
      tags: ['catalog'],
      summary: "The venue's static layout: zones, every seat's place, standing",
      description:
        'The same for every show and every visitor (names in both languages), so fetch it once: it carries an `ETag` and `Cache-Control: public, ' +
        'no-cache` (a cache keeps it and asks again with `If-None-Match`, answered 304 without a body until the venue changes). It is gzipped once for everyone who sends `Accept-Encoding: gzip` (those bytes carry ' +
        'the weak form `W/"…"` of the same ETag; a 20,000-seat arena is ~10× smaller on the wire). Prices here are the ' +
        "venue's; a show's own prices and its seat states are in `GET /api/v1/shows/:showDate/state`.",
      response: { 200: StaticLayout, 304: { type: 'null', description: 'Not modified: the layout of the ETag sent in If-None-Match is current' } },
    },
    handler: async (request, reply) => {
      const { json, gzip, etag } = catalog.layout();
      // gzipped once for every visitor (it is the same for all): a weak ETag, as the bytes differ from the plain JSON's
      const gzipped = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
      reply.header('etag', gzipped ? `W/${etag}` : etag).header('cache-control', 'public, no-cache').header('vary', 'accept-encoding');
      const asked = request.headers['if-none-match'];
      if (asked && asked.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).send(null);
      // the StaticLayout body, serialised (and gzipped) once in CatalogService.layout(): sent as bytes, not re-serialised
      const bytes = (gzipped ? gzip : json) as unknown as Static<typeof StaticLayout>;
      reply.type('application/json; charset=utf-8');
      if (gzipped) reply.header('content-encoding', 'gzip');
      return reply.send(bytes);
    },
  });

  app.get('/api/v1/shows/:showDate/state', {
    schema: {
      tags: ['catalog'],
      summary: "A show's state apart from its layout",
      description:
        '`seq`, the show\'s prices and only the seats that are not AVAILABLE (held, sold, blocked; a hold past its expiry counts as available): a fresh ' +
        "show's state is tiny whatever the venue's size. Draw it over `GET /api/v1/venue/layout`; apply realtime events with a higher `seq` on top, and " +
        'read it again after a gap in `seq`.',
      params: ShowParams,
      response: { 200: ShowState, ...errors(404) },
    },
    handler: async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return catalog.showState(request.params.showDate);
    },
  });

  app.post('/api/v1/shows', {
    preHandler: app.requireRole('admin'),
    schema: {
      tags: ['catalog'],
      summary: 'Open a new show (admin)',
      description:
        'Every venue seat starts AVAILABLE. `startsAt` defaults to SHOW_START_TIME (21:00) on `showDate` in the venue time zone and must fall on that night ' +
        '(up to 06:00 the next morning); `salesCloseAt` defaults to `startsAt` + SALES_CLOSE_AFTER_START_MIN. `prices` overrides the venue price per zone id or ' +
        'standing type for this show (an unknown zone is 404 NOT_FOUND). A date before today (venue time zone) is 422 SHOW_IN_PAST.',
      security: [{ bearerAuth: [] }],
      body: CreateShowBody,
      response: { 201: CreateShowResult, ...errors(401, 403, 404, 409, 422) },
    },
    handler: async (request, reply) => {
      const { showDate, title, ...opts } = request.body;
      const show = await catalog.createShow(showDate, title, opts, { ...request.user, requestId: request.id });
      return reply.code(201).send({ show });
    },
  });
};
