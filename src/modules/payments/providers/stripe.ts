import type { IncomingHttpHeaders } from 'node:http';
import Stripe from 'stripe';
import {
  ProviderRefusedError,
  ProviderUnavailableError,
  WebhookSignatureError,
  type CreateIntentInput,
  type PaymentProviderAdapter,
  type ProviderIntent,
  type ProviderRefund,
  type ProviderWebhookEvent,
} from './provider.ts';

/** Stripe counts THB in satang (a two-decimal currency); orders count whole baht. */
const MINOR_PER_MAJOR = 100;
/** A provider call waiting longer than this is treated as "provider unavailable" (one retry by the SDK). */
const STRIPE_TIMEOUT_MS = 10_000;

export interface StripeProviderOptions {
  secretKey: string;
  webhookSecret: string;
  /** another API origin, e.g. http://127.0.0.1:12111 (a local stand-in); undefined: Stripe's own */
  apiBase?: string;
}

/** STRIPE_API_BASE → the SDK's host/port/protocol options. */
export function stripeHostOptions(apiBase: string): { host: string; port: number; protocol: 'http' | 'https' } {
  const u = new URL(apiBase);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return { host: u.hostname, port: u.port ? Number(u.port) : protocol === 'http' ? 80 : 443, protocol };
}

function isUnavailable(err: unknown): boolean {
  return (
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeAPIError ||
    err instanceof Stripe.errors.StripeRateLimitError ||
    (err instanceof Stripe.errors.StripeError && (err.statusCode ?? 0) >= 500)
  );
}

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUnavailable(err)) throw new ProviderUnavailableError(`stripe ${what}: ${(err as Error).message}`);
    if (err instanceof Stripe.errors.StripeInvalidRequestError) throw new ProviderRefusedError(`stripe ${what}: ${err.message}`);
    throw err;
  }
}

/**
 * Stripe's Refund.status (`pending`, `requires_action`, `succeeded`, `failed`, `canceled`, SDK types
 * resources/Refunds.d.ts) in three: only `succeeded` is money back; `failed` and `canceled` never will be.
 */
function toRefund(r: Stripe.Refund): ProviderRefund {
  const status = r.status === 'succeeded' ? 'succeeded' : r.status === 'failed' || r.status === 'canceled' ? 'failed' : 'pending';
  return { ref: r.id, status };
}

function toIntent(pi: Stripe.PaymentIntent): ProviderIntent {
  const status = pi.status === 'succeeded' ? 'succeeded' : pi.status === 'canceled' ? 'canceled'
    : pi.status === 'requires_payment_method' && pi.last_payment_error ? 'failed' : 'pending';
  const charge = typeof pi.latest_charge === 'object' && pi.latest_charge ? pi.latest_charge : undefined;
  const qr = pi.next_action?.promptpay_display_qr_code;
  const method = pi.payment_method_types.includes('promptpay') ? 'promptpay' : pi.payment_method_types.includes('card') ? 'card' : undefined;
  const out: ProviderIntent = {
    ref: pi.id,
    status,
    amount: pi.amount / MINOR_PER_MAJOR,
    currency: pi.currency.toUpperCase(),
    refunded: Boolean(charge?.refunded),
    metadata: { orderId: pi.metadata?.orderId, paymentId: pi.metadata?.paymentId },
    method,
  };
  if (qr?.data) out.promptpayPayload = qr.data;
  if (pi.client_secret) out.clientSecret = pi.client_secret;
  if (pi.last_payment_error?.message) out.failureReason = pi.last_payment_error.message;
  return out;
}

/** Stripe PaymentIntents (promptpay and card) through the official SDK. */
export class StripeProvider implements PaymentProviderAdapter {
  readonly name = 'stripe' as const;
  readonly methods = ['promptpay', 'card'] as const;
  private readonly stripe: Stripe;

  constructor(private readonly opts: StripeProviderOptions) {
    this.stripe = new Stripe(opts.secretKey, {
      ...(opts.apiBase ? stripeHostOptions(opts.apiBase) : {}),
      timeout: STRIPE_TIMEOUT_MS,
      maxNetworkRetries: 1,
      telemetry: false,
    });
  }

  /**
   * A promptpay intent is confirmed at once so that it carries its QR (`next_action.promptpay_display_qr_code`);
   * a card intent waits for the buyer's card in Stripe.js (its `client_secret`).
   */
  async createIntent(input: CreateIntentInput): Promise<ProviderIntent> {
    const params: Stripe.PaymentIntentCreateParams = {
      amount: input.amount * MINOR_PER_MAJOR,
      currency: input.currency.toLowerCase(),
      allowed_payment_method_types: [input.method],
      metadata: { orderId: input.orderId, paymentId: input.paymentId },
      description: `boxoffice order ${input.orderId}`,
    };
    if (input.method === 'promptpay') {
      params.confirm = true;
      params.payment_method_data = { type: 'promptpay', billing_details: { email: input.email ?? 'buyer@example.invalid' } };
    }
    const pi = await call('create intent', () => this.stripe.paymentIntents.create(params, { idempotencyKey: input.idempotencyKey }));
    return toIntent(pi);
  }

  async readIntent(ref: string): Promise<ProviderIntent> {
    const pi = await call('read intent', () => this.stripe.paymentIntents.retrieve(ref, { expand: ['latest_charge'] }));
    return toIntent(pi);
  }

  async refund(ref: string, idempotencyKey: string, amount?: number): Promise<ProviderRefund> {
    const params: Stripe.RefundCreateParams = { payment_intent: ref };
    if (amount !== undefined) params.amount = amount * MINOR_PER_MAJOR;
    return toRefund(await call('refund', () => this.stripe.refunds.create(params, { idempotencyKey })));
  }

  async readRefund(ref: string): Promise<ProviderRefund> {
    return toRefund(await call('read refund', () => this.stripe.refunds.retrieve(ref)));
  }

  verifyWebhook(rawBody: Buffer, headers: IncomingHttpHeaders): ProviderWebhookEvent {
    const sig = headers['stripe-signature'];
    let event: Stripe.Event;
    try {
      if (typeof sig !== 'string') throw new Error('no Stripe-Signature header');
      event = this.stripe.webhooks.constructEvent(rawBody, sig, this.opts.webhookSecret);
    } catch (err) {
      throw new WebhookSignatureError((err as Error).message);
    }
    const obj = event.data.object as { object?: string; id?: string; payment_intent?: string | { id: string } | null };
    let intentRef: string | undefined;
    if (obj.object === 'payment_intent') intentRef = obj.id;
    else if (obj.payment_intent) intentRef = typeof obj.payment_intent === 'string' ? obj.payment_intent : obj.payment_intent.id;
    return { id: event.id, type: event.type, intentRef };
  }
}
