import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../contract/common.ts';
import { CreateOrderBody, IdempotencyHeaders, OrderResult, OrderParams, ListOrdersQuery, OrderList, CancelBody } from '../../contract/orders.ts';
import { pickLang } from '../../errors.ts';
import type { OrdersService } from './service.ts';

/** The buyer's language for this order's mails, when Accept-Language names Thai or English (else the account's). */
const orderLanguage = (header: string | undefined) => (header && /(^|[\s,])(th|en)\b/i.test(header) ? pickLang(header) : undefined);

export const ordersRoutes: FastifyPluginAsyncTypebox<{ orders: OrdersService }> = async (app, { orders }) => {
  const security = [{ bearerAuth: [] }];

  app.post('/api/v1/orders', {
    preHandler: app.authenticate,
    schema: {
      tags: ['orders'],
      summary: 'Create an order from your locks or from available seats',
      description:
        'Seats must be AVAILABLE or locked by you; they are booked in the same transaction, all or nothing. Prices come from the server. ' +
        'With `Idempotency-Key`, a retried request returns the same order (200, `Idempotent-Replayed: true`); the same key with another body is 422 IDEMPOTENCY_KEY_REUSED. ' +
        'Without a key, repeating a request whose seats are already in your PENDING order returns that order.',
      security,
      headers: IdempotencyHeaders,
      body: CreateOrderBody,
      response: { 200: OrderResult, 201: OrderResult, ...errors(401, 404, 409, 422) },
    },
    handler: async (request, reply) => {
      const { order, replayed } = await orders.create(request.user, request.body, request.headers['idempotency-key'], orderLanguage(request.headers['accept-language']));
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(replayed ? 200 : 201).send({ order });
    },
  });

  app.get('/api/v1/orders/:id', {
    preHandler: app.authenticate,
    schema: { tags: ['orders'], summary: 'One order (owner, staff or admin)', security, params: OrderParams, response: { 200: OrderResult, ...errors(401, 404) } },
    handler: async (request) => ({ order: await orders.get(request.user, request.params.id) }),
  });

  app.get('/api/v1/orders', {
    preHandler: app.authenticate,
    schema: {
      tags: ['orders'],
      summary: 'Your orders (staff and admin: everyone\'s unless mine=true), newest first',
      description:
        '`q` finds orders by code (a prefix of at least 4 characters, e.g. read out at the box office) or by part of the customer name, phone or email ' +
        '(phone digits match whatever the spacing). Staff: `seatId` with `showDate` finds the orders that hold or held that seat. Paging: when more ' +
        'orders follow, the answer has `nextCursor`; pass it as `cursor` for the next page (keyset, cheap at any depth). `page` (v1) still works but ' +
        'skips rows one by one.',
      security,
      querystring: ListOrdersQuery,
      response: { 200: OrderList, ...errors(401) },
    },
    handler: async (request) => orders.list(request.user, request.query),
  });

  app.patch('/api/v1/orders/:id/cancel', {
    preHandler: app.authenticate,
    // the body is optional: PATCH without one means "no reason given"
    preValidation: async (request) => {
      request.body ??= {};
    },
    schema: {
      tags: ['orders'],
      summary: 'Cancel an order, or some of its seats',
      description:
        'The owner may cancel a PENDING order; staff and admin may also cancel a PAID one (what was paid becomes `refundDueAmount`). Its seats become AVAILABLE. ' +
        'With `seatIds`, only those seats leave the order (partial cancel) and the rest stays: a PENDING order\'s total shrinks, a PAID order\'s cancelled seats become refund due. ' +
        'Seats not in the order → 400 VALIDATION_FAILED with `details.notInOrder`; cancelling every seat cancels the order.',
      security,
      params: OrderParams,
      body: CancelBody,
      response: { 200: OrderResult, ...errors(401, 404, 409) },
    },
    handler: async (request) => ({ order: await orders.cancel({ ...request.user, requestId: request.id }, request.params.id, request.body) }),
  });
};
