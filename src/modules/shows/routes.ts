import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../contract/common.ts';
import {
  ShowParams,
  UpdateShowBody,
  CreateShowResult,
  CancelShowBody,
  CancelShowResult,
  BlockSeatsBody,
  UnblockSeatsBody,
  BlockSeatsResult,
} from '../../contract/catalog.ts';
import type { ShowsService } from './service.ts';

/** Admin routes of the show lifecycle: edit, close/reopen, cancel, block and unblock seats. */
export const showsRoutes: FastifyPluginAsyncTypebox<{ shows: ShowsService }> = async (app, { shows }) => {
  const security = [{ bearerAuth: [] }];
  const admin = app.requireRole('admin');

  app.patch('/api/v1/shows/:showDate', {
    preHandler: admin,
    schema: {
      tags: ['shows'],
      summary: 'Edit a show, close or reopen its sales (admin)',
      description:
        '`status` CLOSED stops sales, ON_SALE reopens them (422 VALIDATION_FAILED while `salesCloseAt` is past: move it too). Moving `startsAt` moves ' +
        '`salesCloseAt` by as much unless it is given. `prices` merge into the show\'s overrides; `null` removes one. Price changes apply to new orders ' +
        'only. A cancelled show cannot be changed (409 SALES_CLOSED).',
      security,
      params: ShowParams,
      body: UpdateShowBody,
      response: { 200: CreateShowResult, ...errors(401, 403, 404, 409, 422) },
    },
    handler: async (request) => ({ show: await shows.update(request.params.showDate, request.body, { ...request.user, requestId: request.id }) }),
  });

  app.post('/api/v1/shows/:showDate/cancel', {
    preHandler: admin,
    schema: {
      tags: ['shows'],
      summary: 'Cancel a show (admin)',
      description:
        'Final. In one transaction: status CANCELLED, every PENDING order cancelled, every PAID order cancelled with a refund due (`cancelReason` ' +
        'SHOW_CANCELLED, `cancelNote` the reason), every hold released; then seat-released and order-status-changed events. Calling it again changes ' +
        'nothing and answers `ordersCancelled: 0`.',
      security,
      params: ShowParams,
      body: CancelShowBody,
      response: { 200: CancelShowResult, ...errors(401, 403, 404) },
    },
    handler: async (request) => shows.cancel(request.params.showDate, request.body.reason, { ...request.user, requestId: request.id }),
  });

  app.post('/api/v1/shows/:showDate/seats/block', {
    preHandler: admin,
    schema: {
      tags: ['shows'],
      summary: 'Block seats of a show (admin)',
      description:
        'AVAILABLE → BLOCKED with a reason (shown on the seat map), all or nothing: a LOCKED or BOOKED seat is 409 SEAT_UNAVAILABLE with ' +
        '`details.unavailable`. Seats already blocked stay blocked with the new reason. Event `seat-blocked`.',
      security,
      params: ShowParams,
      body: BlockSeatsBody,
      response: { 200: BlockSeatsResult, ...errors(401, 403, 404, 409) },
    },
    handler: async (request) => shows.block(request.params.showDate, request.body.seatIds, request.body.reason, { ...request.user, requestId: request.id }),
  });

  app.post('/api/v1/shows/:showDate/seats/unblock', {
    preHandler: admin,
    schema: {
      tags: ['shows'],
      summary: 'Unblock seats of a show (admin)',
      description: 'BLOCKED → AVAILABLE. `seatIds` in the answer are the seats this call unblocked; others are left as they are. Event `seat-released` with reason `unblocked`.',
      security,
      params: ShowParams,
      body: UnblockSeatsBody,
      response: { 200: BlockSeatsResult, ...errors(401, 403, 404) },
    },
    handler: async (request) => shows.unblock(request.params.showDate, request.body.seatIds, { ...request.user, requestId: request.id }),
  });
};
