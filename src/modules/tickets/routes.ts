import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../../contract/common.ts';
import { OrderParams } from '../../contract/orders.ts';
import { ShowParams } from '../../contract/catalog.ts';
import { TicketList, CheckinBody, CheckinResult, CheckinBatchBody, CheckinBatchResult, ManifestQuery, Manifest, CheckinCount } from '../../contract/tickets.ts';
import { pickLang } from '../../errors.ts';
import type { TicketsService } from './service.ts';

export const ticketsRoutes: FastifyPluginAsyncTypebox<{ tickets: TicketsService }> = async (app, { tickets }) => {
  const security = [{ bearerAuth: [] }];
  const door = app.requireRole('door', 'staff', 'admin');

  app.get('/api/v1/orders/:id/tickets', {
    preHandler: app.authenticate,
    schema: {
      tags: ['tickets'],
      summary: "An order's tickets with their QR codes (owner, staff, admin)",
      description:
        'One ticket per seat and per standing place, issued when the order became PAID. A cancelled or refunded item\'s ticket is REVOKED; a checked-in one is USED. ' +
        'An order that was never paid → 409 ORDER_NOT_PAID.',
      security,
      params: OrderParams,
      response: { 200: TicketList, ...errors(401, 403, 404, 409) },
    },
    handler: async (request) => ({ tickets: await tickets.list(request.user, request.params.id) }),
  });

  app.get('/api/v1/orders/:id/tickets.pdf', {
    preHandler: app.authenticate,
    schema: {
      tags: ['tickets'],
      summary: "The order's tickets as a PDF, one per page (owner, staff, admin)",
      description:
        'Venue, show date and time, zone, row, seat or standing type, order code and QR code on each page; in Thai or English by `Accept-Language`. ' +
        'Only tickets that can still get in are printed; none → 409 ORDER_NOT_PAID.',
      security,
      params: OrderParams,
      produces: ['application/pdf'],
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'PDF document' }), ...errors(401, 403, 404, 409) },
    },
    handler: async (request, reply) => {
      const pdf = await tickets.pdf(request.user, request.params.id, pickLang(request.headers['accept-language']));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="tickets-${request.params.id}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  });

  app.post('/api/v1/checkins', {
    preHandler: door,
    schema: {
      tags: ['check-in'],
      summary: 'Check a ticket in at the door (door, staff, admin)',
      description:
        'ADMITTED the first time; then ALREADY_ADMITTED with when and where (`firstCheckin`). INVALID for an unknown or malformed secret, WRONG_SHOW for a ticket of another night, ' +
        'REVOKED for a cancelled or refunded one, UNPAID when its order is not paid. A ticket is admitted at most once (the database enforces it). ' +
        'The same `nonce` again returns the first answer, so a scanner may retry freely. `force` (staff, admin; door → 403) admits a valid ticket of another night.',
      security,
      body: CheckinBody,
      response: { 200: CheckinResult, ...errors(401, 403) },
    },
    handler: async (request) => tickets.checkin({ ...request.user, requestId: request.id }, request.body),
  });

  app.post('/api/v1/checkins/batch', {
    preHandler: door,
    schema: {
      tags: ['check-in'],
      summary: 'Upload scans made offline (door, staff, admin)',
      description:
        'Each scan is decided as a single check-in at its `scannedAt`, in the order given; the answers come back in that order. ' +
        'A ticket scanned twice while offline is ADMITTED once and ALREADY_ADMITTED once. Nonces make a repeated upload safe.',
      security,
      body: CheckinBatchBody,
      response: { 200: CheckinBatchResult, ...errors(401, 403) },
    },
    handler: async (request) => ({ results: await tickets.checkinBatch({ ...request.user, requestId: request.id }, request.body) }),
  });

  app.get('/api/v1/shows/:showDate/checkin-manifest', {
    preHandler: door,
    schema: {
      tags: ['check-in'],
      summary: "A show's tickets for scanning offline (door, staff, admin)",
      description:
        '`hash` is the hex SHA-256 of the ticket secret: a scanner hashes what it reads and looks it up. With `since` (a previous `generatedAt`), only tickets issued, ' +
        'revoked or checked in after it. Also the show\'s `admitted` and `total`.',
      security,
      params: ShowParams,
      querystring: ManifestQuery,
      response: { 200: Manifest, ...errors(401, 403) },
    },
    handler: async (request) => tickets.manifest(request.params.showDate, request.query.since),
  });

  app.get('/api/v1/shows/:showDate/checkin-count', {
    preHandler: door,
    schema: {
      tags: ['check-in'],
      summary: 'How many of the show\'s tickets are checked in (door, staff, admin)',
      description: 'The same numbers the `checkin-count` socket event carries.',
      security,
      params: ShowParams,
      response: { 200: CheckinCount, ...errors(401, 403) },
    },
    handler: async (request) => tickets.count(request.params.showDate),
  });
};
