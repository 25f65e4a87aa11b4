import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../contract/common.ts';
import { LockBestBody, LockBody, LockResult, ReleaseBody, ReleaseResult, SeatStatus, SeatStatusParams, SeatStatusQuery } from '../../contract/seats.ts';
import type { CatalogService } from '../catalog/service.ts';
import type { HoldsService } from './service.ts';
import type { LockBestService } from './lock-best.ts';

export const holdsRoutes: FastifyPluginAsyncTypebox<{ holds: HoldsService; catalog: CatalogService; best: LockBestService }> = async (app, { holds, catalog, best }) => {
  const security = [{ bearerAuth: [] }];

  app.post('/api/orders/enhanced/seats/lock', {
    preHandler: app.authenticate,
    schema: {
      tags: ['seats'],
      summary: 'Lock (hold) seats, all or nothing',
      description:
        'Holds every listed seat for SEAT_LOCK_TTL_MS, or none: 409 SEAT_UNAVAILABLE lists each seat that is not lockable in `details.unavailable`. Seats you already hold stay held and are not extended; `expiresAt` is the earliest expiry among the seats. ' +
        'A customer holds at most MAX_SEATS_PER_USER items per show; staff and admin, who hold for counter sales, BOX_OFFICE_MAX_SEATS (422 LOCK_LIMIT_EXCEEDED).',
      security,
      body: LockBody,
      response: { 200: LockResult, ...errors(401, 404, 409, 422) },
    },
    handler: async (request) => holds.lock(request.user, request.body),
  });

  app.post('/api/orders/enhanced/seats/lock-best', {
    preHandler: app.authenticate,
    schema: {
      tags: ['seats'],
      summary: 'Lock the best available seats side by side',
      description:
        'Chooses `quantity` free seats side by side in one row of one zone (`zoneId`, or any zone) and locks them in the same transaction, so two buyers ' +
        'are never offered the same seats. Nearest the ring first; a block that would leave a single free seat stranded beside it is taken only when ' +
        'no other block exists. Answers as a lock, with the chosen `seatIds`. None possible → 409 NO_ADJACENT_SEATS; unknown zone → 404 NOT_FOUND.',
      security,
      body: LockBestBody,
      response: { 200: LockResult, ...errors(401, 404, 409, 422) },
    },
    handler: async (request) => best.lockBest(request.user, request.body),
  });

  app.post('/api/orders/enhanced/seats/release', {
    preHandler: app.authenticate,
    schema: {
      tags: ['seats'],
      summary: 'Release locks',
      description: 'Releases the listed seats you hold (staff and admin: anyone\'s). Seats not held that way are listed in `notHeld`.',
      security,
      body: ReleaseBody,
      response: { 200: ReleaseResult, ...errors(401, 404) },
    },
    handler: async (request) => holds.release(request.user, request.body),
  });

  app.get('/api/orders/enhanced/seats/status/:seatId', {
    preHandler: app.authenticate,
    schema: {
      tags: ['seats'],
      summary: 'State of one seat',
      description: 'Without `showDate`, in the next show on sale.',
      security,
      params: SeatStatusParams,
      querystring: SeatStatusQuery,
      response: { 200: SeatStatus, ...errors(401, 404) },
    },
    handler: async (request) => catalog.seatStatus(request.params.seatId, request.query.showDate),
  });
};
