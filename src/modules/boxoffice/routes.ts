import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../contract/common.ts';
import { IdempotencyHeaders, OrderParams, OrderResult, RefundBody, RefundResult } from '../../contract/orders.ts';
import { BoxOfficeSaleBody, CounterQr, CounterQrQuery, CounterSettings } from '../../contract/boxoffice.ts';
import { pickLang } from '../../errors.ts';
import type { OrdersService } from '../orders/service.ts';
import type { PaymentsService } from '../payments/service.ts';
import type { Config } from '../../config.ts';

/** The counter: walk-in sales and refunds (staff, admin). The rules live in OrdersService (one path for every order). */
export const boxOfficeRoutes: FastifyPluginAsyncTypebox<{ orders: OrdersService; payments: PaymentsService; config: Config }> = async (app, { orders, payments, config }) => {
  const security = [{ bearerAuth: [] }];

  app.get('/api/v1/boxoffice/settings', {
    preHandler: app.requireRole('staff', 'admin'),
    schema: {
      tags: ['box office'],
      summary: 'What the counter page needs to know (staff, admin)',
      description: '`maxSeats` is BOX_OFFICE_MAX_SEATS; `promptpay` says whether a PromptPay QR can be shown at the counter; `timeZone` is TZ_VENUE (the venue\'s day is \'today\' for staff).',
      security,
      response: { 200: CounterSettings, ...errors(401, 403) },
    },
    handler: async () => ({ maxSeats: config.boxOfficeMaxSeats, promptpay: payments.counterPromptpay, timeZone: config.venueTimeZone }),
  });

  app.get('/api/v1/boxoffice/promptpay-qr', {
    preHandler: app.requireRole('staff', 'admin'),
    schema: {
      tags: ['box office'],
      summary: 'PromptPay QR for a counter sale (staff, admin)',
      description:
        'The EMVCo payload and QR (SVG) paying `amount` THB to the venue\'s PromptPay id, shown to the walk-in before the sale. Nothing is recorded: ' +
        'once the money has arrived, sell with `payment.method: promptpay`. No PromptPay id configured → 422 PAYMENT_METHOD_UNAVAILABLE.',
      security,
      querystring: CounterQrQuery,
      response: { 200: CounterQr, ...errors(400, 401, 403, 422) },
    },
    handler: async (request) => payments.counterQr(request.query.amount),
  });

  app.post('/api/v1/boxoffice/sales', {
    preHandler: app.requireRole('staff', 'admin'),
    schema: {
      tags: ['box office'],
      summary: 'Counter sale (staff, admin): a PAID order for a walk-in in one step',
      description:
        'Seats must be AVAILABLE or held by the seller; all or nothing (409 SEAT_UNAVAILABLE). Not bound by MAX_SEATS_PER_USER; at most BOX_OFFICE_MAX_SEATS seats ' +
        '(422 LOCK_LIMIT_EXCEEDED). `payment.amount` must equal the total of the server\'s prices (422 PAYMENT_AMOUNT_MISMATCH). The order has `channel: BOX_OFFICE` and ' +
        '`soldBy` = the seller. Sales closed → 409 SALES_CLOSED, except for admin. Unknown `referrerCode` → 422 REFERRER_NOT_FOUND. ' +
        'Send an `Idempotency-Key`: a retry answers the same order (200, `Idempotent-Replayed: true`), never a second sale.',
      security,
      headers: IdempotencyHeaders,
      body: BoxOfficeSaleBody,
      response: { 201: OrderResult, 200: OrderResult, ...errors(401, 403, 404, 409, 422) },
    },
    handler: async (request, reply) => {
      const { order, replayed } = await orders.sell({ ...request.user, requestId: request.id }, request.body, request.headers['idempotency-key'], pickLang(request.headers['accept-language']));
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(replayed ? 200 : 201).send({ order });
    },
  });

  app.post('/api/v1/orders/:id/refunds', {
    preHandler: app.requireRole('staff', 'admin'),
    schema: {
      tags: ['box office'],
      summary: 'Refund money of an order (staff, admin)',
      description:
        'Records a refund: amount (THB), method, reason, reference, who and when. Refunds of an order never add up to more than was paid ' +
        '(422 REFUND_EXCEEDS_PAID with `details.refundable`), also when two staff refund at once. Cash, card-terminal and transfer refunds are `DONE` at once. ' +
        'A card or PromptPay refund of money paid through the payment provider (Stripe) is refunded there: `PENDING` with the provider\'s refund id as `reference` until the provider confirms it ' +
        '(at once, or by its webhook) → `DONE`, or fails it → `FAILED` (then it no longer counts as refunded). A card or PromptPay refund of an order that took no money that way → 422 PAYMENT_METHOD_UNAVAILABLE. ' +
        'The buyer sees it in the order\'s `refunds` and is mailed when it is `DONE`.',
      security,
      params: OrderParams,
      body: RefundBody,
      response: { 201: RefundResult, ...errors(401, 403, 404, 422) },
    },
    handler: async (request, reply) => reply.code(201).send({ refund: await payments.refundOrder({ ...request.user, requestId: request.id }, request.params.id, request.body) }),
  });
};
