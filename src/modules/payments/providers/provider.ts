import type { IncomingHttpHeaders } from 'node:http';

/**
 * A payment provider (Stripe today; Opn/Omise or 2C2P next to it) as the payments module sees it: create an
 * intent, read it back, refund it, verify a webhook. Orders never see a provider. Amounts are whole THB here;
 * a provider converts to its own unit. Every method throws ProviderUnavailableError when the provider cannot
 * be reached or times out (the caller answers 503 PAYMENT_PROVIDER_UNAVAILABLE and changes nothing).
 */
export interface PaymentProviderAdapter {
  readonly name: 'stripe';
  /** the buyer-facing methods this provider takes, the default (offered first) first */
  readonly methods: readonly ('promptpay' | 'card')[];
  /** Creates (or, for the same idempotency key, returns again) an intent to pay `amount`. */
  createIntent(input: CreateIntentInput): Promise<ProviderIntent>;
  /** The intent as the provider knows it now (webhooks are hints: this is the truth). */
  readIntent(ref: string): Promise<ProviderIntent>;
  /**
   * Refunds a succeeded intent, in full or `amount` (whole THB) of it; the idempotency key makes a retry refund
   * once. Throws ProviderRefusedError when the provider refuses the request itself (nothing was refunded).
   */
  refund(ref: string, idempotencyKey: string, amount?: number): Promise<ProviderRefund>;
  /** A refund as the provider knows it now (its webhooks are hints: this is the truth). */
  readRefund(ref: string): Promise<ProviderRefund>;
  /**
   * Checks a webhook's signature over the raw body; returns the event id, its type and the intent it is about,
   * or throws WebhookSignatureError.
   */
  verifyWebhook(rawBody: Buffer, headers: IncomingHttpHeaders): ProviderWebhookEvent;
}

export interface CreateIntentInput {
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  method: 'promptpay' | 'card';
  idempotencyKey: string;
  email?: string;
}

export interface ProviderIntent {
  ref: string;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  /** whole units of `currency` (THB) */
  amount: number;
  currency: string;
  /** the charge behind it was refunded in full */
  refunded: boolean;
  metadata: { orderId?: string; paymentId?: string };
  method?: 'promptpay' | 'card';
  promptpayPayload?: string;
  clientSecret?: string;
  expiresAt?: Date;
  failureReason?: string;
}

/** A provider's refund: its id and where it stands (pending until the money is on its way back, or failed). */
export interface ProviderRefund {
  ref: string;
  status: 'succeeded' | 'pending' | 'failed';
}

export interface ProviderWebhookEvent {
  id: string;
  type: string;
  /** the intent the event is about (for a charge or refund event: its intent); undefined for other objects */
  intentRef?: string;
}

export class ProviderUnavailableError extends Error {}
export class WebhookSignatureError extends Error {}
/** The provider answered and refused the request (invalid for it): retrying the same request will not help. */
export class ProviderRefusedError extends Error {}
