import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fastifyMultipart from '@fastify/multipart';
import { Type } from 'typebox';
import { errors } from '../../contract/common.ts';
import { OrderParams, OrderResult, PaymentBody } from '../../contract/orders.ts';
import {
  CreateIntentBody,
  PaymentMethods,
  PaymentParams,
  PaymentResult,
  RefundPaymentBody,
  RefundQueue,
  RejectSlipBody,
  SlipList,
  SlipListQuery,
  SlipParams,
  SlipResult,
  WebhookAck,
} from '../../contract/payments.ts';
import { AppError } from '../../errors.ts';
import { SLIP_MAX_BYTES, type PaymentsService } from './service.ts';

/** HTTP of payments (API.md "Payments"): intents, the staff payment route of v1, webhooks, slips, refunds of late payments. */
export const paymentsRoutes: FastifyPluginAsyncTypebox<{ payments: PaymentsService }> = async (app, { payments }) => {
  const security = [{ bearerAuth: [] }];
  const staff = app.requireRole('staff', 'admin');

  app.post('/api/v1/orders/:id/payments', {
    preHandler: staff,
    schema: {
      tags: ['payments'],
      summary: 'Record a payment taken by hand (staff, admin)',
      description:
        'Cash, card terminal, bank transfer, or a PromptPay QR staff saw paid (it completes the order\'s open QR payment). A `manual` payment ' +
        'that pays the order. The amount must equal what the order owes (422 PAYMENT_AMOUNT_MISMATCH); an expired or cancelled order → 409. ' +
        'Recording the same payment twice returns the paid order.',
      security,
      params: OrderParams,
      body: PaymentBody,
      response: { 200: OrderResult, ...errors(401, 403, 404, 409, 422) },
    },
    handler: async (request) => ({ order: await payments.recordManual({ ...request.user, requestId: request.id }, request.params.id, request.body) }),
  });

  app.get('/api/v1/payments/methods', {
    schema: {
      tags: ['payments'],
      summary: 'Which online payment methods this server offers (public)',
      description:
        'What the pay page may offer: `promptpay` (a QR; without a provider only when a PromptPay id is set up) and `card` (only with ' +
        '`PAYMENT_PROVIDER=stripe` and `STRIPE_PUBLISHABLE_KEY`). With `card` comes `stripe`: load Stripe.js from `jsUrl`, call ' +
        '`Stripe(publishableKey)`, mount a card Element, then `confirmCardPayment` with the `clientSecret` of a `card` payment intent. The webhook, ' +
        'not the browser, then marks the payment and the order paid.',
      response: { 200: PaymentMethods },
    },
    handler: async () => payments.paymentMethods(),
  });

  app.post('/api/v1/orders/:id/payments/intents', {
    preHandler: app.authenticate,
    schema: {
      tags: ['payments'],
      summary: 'Start paying your order (PromptPay QR or card)',
      description:
        'Without a provider (`PAYMENT_PROVIDER=none`) `promptpay` gives a PromptPay QR for the exact amount (EMVCo payload and SVG); staff confirm it or ' +
        'approve your slip. With Stripe, a PaymentIntent (`promptpay`: its QR; `card`: its `clientSecret` for Stripe.js). An open payment of the same ' +
        'method is returned again instead of a second one. The order\'s `expiresAt` moves to the payment\'s expiry, at most `ORDER_MAX_HOLD_MS` after ' +
        'the order was created. 422 PAYMENT_METHOD_UNAVAILABLE, 503 PAYMENT_PROVIDER_UNAVAILABLE (nothing recorded; try again).',
      security,
      params: OrderParams,
      body: CreateIntentBody,
      response: { 201: PaymentResult, ...errors(401, 404, 409, 422, 503) },
    },
    handler: async (request, reply) => reply.code(201).send({ payment: await payments.createIntent(request.user, request.params.id, request.body.method) }),
  });

  // the webhook needs its body byte for byte (the signature covers it): its own JSON parser, in its own scope
  await app.register(async (hook) => {
    hook.removeContentTypeParser('application/json');
    hook.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, body));
    hook.post('/api/v1/payments/webhooks/stripe', {
      schema: {
        tags: ['payments'],
        summary: 'Stripe webhook (payment_intent.succeeded, payment_intent.payment_failed, charge.refunded)',
        description:
          'Verified with `STRIPE_WEBHOOK_SECRET` over the raw body (`Stripe-Signature`); a bad signature → 400 and nothing changes. Idempotent by event id. ' +
          'The PaymentIntent is read back from Stripe before anything changes (503 while Stripe is unreachable, so Stripe retries).',
        response: { 200: WebhookAck, ...errors(404, 503) },
      },
      handler: async (request) => {
        if (!Buffer.isBuffer(request.body)) throw new AppError('VALIDATION_FAILED', { reason: 'expected a JSON body' });
        const { duplicate } = await payments.handleWebhook(request.body, request.headers);
        return duplicate ? { received: true, duplicate: true } : { received: true };
      },
    });
  });

  await app.register(async (uploads) => {
    await uploads.register(fastifyMultipart, { limits: { fileSize: SLIP_MAX_BYTES, files: 1, fields: 5, parts: 6 } });
    uploads.post('/api/v1/orders/:id/slips', {
      preHandler: app.authenticate,
      bodyLimit: SLIP_MAX_BYTES + 64 * 1024,
      schema: {
        tags: ['payments'],
        summary: 'Upload the slip of your transfer (multipart, one PNG or JPEG ≤ 2 MB)',
        description: 'Form field `file`. Checked by content, not by name or declared type: anything else → 400 SLIP_INVALID. Staff approve or reject it.',
        consumes: ['multipart/form-data'],
        security,
        params: OrderParams,
        response: { 201: SlipResult, ...errors(401, 404, 409, 413) },
      },
      handler: async (request, reply) => {
        if (!request.isMultipart()) throw new AppError('SLIP_INVALID', { reason: 'send the image as multipart/form-data' });
        const file = await request.file();
        if (!file) throw new AppError('SLIP_INVALID', { reason: 'no file in the form' });
        let image: Buffer;
        try {
          image = await file.toBuffer();
        } catch (err) {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('SLIP_INVALID', { reason: 'larger than 2 MB', maxBytes: SLIP_MAX_BYTES });
          throw err;
        }
        return reply.code(201).send({ slip: await payments.submitSlip(request.user, (request.params as { id: string }).id, image) });
      },
    });
  });

  app.get('/api/v1/orders/:id/slips', {
    preHandler: app.authenticate,
    schema: { tags: ['payments'], summary: 'Slips of an order (its owner, staff)', security, params: OrderParams, response: { 200: SlipList, ...errors(401, 404) } },
    handler: async (request) => ({ items: await payments.orderSlips(request.user, request.params.id) }),
  });

  app.get('/api/v1/slips', {
    preHandler: staff,
    schema: { tags: ['payments'], summary: 'Slips to look at, oldest first (staff)', security, querystring: SlipListQuery, response: { 200: SlipList, ...errors(401, 403) } },
    handler: async (request) => ({ items: await payments.listSlips(request.query.status) }),
  });

  app.get('/api/v1/slips/:id/image', {
    preHandler: app.authenticate,
    schema: {
      tags: ['payments'],
      summary: 'A slip image (staff, or the order owner)',
      security,
      params: SlipParams,
      response: { 200: Type.Unknown({ description: 'image/png or image/jpeg' }), ...errors(401, 404) },
    },
    handler: async (request, reply) => {
      const { mime, image } = await payments.slipImage(request.user, request.params.id);
      return reply
        .type(mime)
        .header('cache-control', 'private, max-age=300')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'")
        .send(image);
    },
  });

  app.post('/api/v1/slips/:id/approve', {
    preHandler: staff,
    schema: {
      tags: ['payments'],
      summary: 'Approve a slip: records a promptpay payment of the amount due (staff)',
      description: 'A slip for an order that expired meanwhile books its seats again if they are free, else the payment is REFUND_DUE.',
      security,
      params: SlipParams,
      response: { 200: SlipResult, ...errors(401, 403, 404) },
    },
    handler: async (request) => ({ slip: await payments.approveSlip({ ...request.user, requestId: request.id }, request.params.id) }),
  });

  app.post('/api/v1/slips/:id/reject', {
    preHandler: staff,
    schema: { tags: ['payments'], summary: 'Reject a slip with a reason the buyer sees (staff)', security, params: SlipParams, body: RejectSlipBody, response: { 200: SlipResult, ...errors(401, 403, 404) } },
    handler: async (request) => ({ slip: await payments.rejectSlip({ ...request.user, requestId: request.id }, request.params.id, request.body.reason) }),
  });

  app.get('/api/v1/payments/refunds', {
    preHandler: staff,
    schema: {
      tags: ['payments'],
      summary: 'Late payments to refund (REFUND_DUE) and those refunded in the last 7 days (staff)',
      security,
      response: { 200: RefundQueue, ...errors(401, 403) },
    },
    handler: async () => payments.refundQueue(),
  });

  app.post('/api/v1/payments/:id/refund', {
    preHandler: staff,
    // the body is optional: a provider payment needs none
    preValidation: async (request) => {
      request.body ??= {};
    },
    schema: {
      tags: ['payments'],
      summary: 'Refund a REFUND_DUE payment (staff)',
      description: 'Through its provider (Stripe), or, without one, record the `reference` of the transfer made back by hand.',
      security,
      params: PaymentParams,
      body: RefundPaymentBody,
      response: { 200: PaymentResult, ...errors(401, 403, 404, 503) },
    },
    handler: async (request) => ({ payment: await payments.refundPayment(request.user, request.params.id, request.body?.reference) }),
  });
};
