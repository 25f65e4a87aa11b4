import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import generatePayload from 'promptpay-qr';

/**
 * A local stand-in for the part of the Stripe API boxoffice uses, so tests never call the internet:
 * POST /v1/payment_intents (with Idempotency-Key), GET /v1/payment_intents/:id (expand latest_charge),
 * POST /v1/refunds. Tests move intents with succeed() / fail() and deliver webhooks signed with the SDK's
 * own stripe.webhooks.generateTestHeaderString. `down` makes every request fail at the connection.
 */
export interface StandinIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: 'requires_payment_method' | 'requires_action' | 'succeeded' | 'canceled';
  metadata: Record<string, string>;
  client_secret: string;
  payment_method_types: string[];
  next_action: null | { type: string; promptpay_display_qr_code?: { data: string; image_url_svg: string; image_url_png: string; hosted_instructions_url: string } };
  last_payment_error: null | { message: string; code: string };
  latest_charge: string | null;
  created: number;
  livemode: false;
}

export class StripeStandin {
  readonly intents = new Map<string, StandinIntent>();
  readonly charges = new Map<string, { id: string; object: 'charge'; payment_intent: string; amount: number; refunded: boolean; currency: string }>();
  /** requests seen, e.g. 'POST /v1/payment_intents' */
  readonly requests: string[] = [];
  /** every request is cut at the connection while true (provider unreachable) */
  down = false;
  /** only refund requests are cut at the connection while true (the rest of the API answers) */
  refundsDown = false;
  /** called after an intent is created, before its HTTP answer leaves (e.g. to deliver a webhook first) */
  beforeCreateAnswer?: (intent: StandinIntent) => Promise<void>;
  private readonly idempotent = new Map<string, string>();
  private readonly sdk = new Stripe('sk_test_standin');
  private server!: Server;
  url = '';

  static async start(): Promise<StripeStandin> {
    const s = new StripeStandin();
    s.server = createServer((req, res) => void s.handle(req, res));
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private id(prefix: string): string {
    return `${prefix}_${randomBytes(12).toString('hex')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.down || (this.refundsDown && req.url?.startsWith('/v1/refunds'))) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://standin');
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    this.requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': this.id('req') });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== 'Bearer sk_test_boxoffice') return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });

    if (req.method === 'POST' && url.pathname === '/v1/payment_intents') {
      const key = String(req.headers['idempotency-key'] ?? '');
      const again = key && this.idempotent.get(key);
      if (again) return send(200, this.view(this.intents.get(again)!, false));
      const method = form.get('allowed_payment_method_types[0]') ?? form.get('payment_method_types[0]') ?? 'card';
      const intent: StandinIntent = {
        id: this.id('pi'),
        object: 'payment_intent',
        amount: Number(form.get('amount')),
        currency: form.get('currency') ?? 'thb',
        status: form.get('confirm') === 'true' && method === 'promptpay' ? 'requires_action' : 'requires_payment_method',
        metadata: { orderId: form.get('metadata[orderId]') ?? '', paymentId: form.get('metadata[paymentId]') ?? '' },
        client_secret: '',
        payment_method_types: [method],
        next_action: null,
        last_payment_error: null,
        latest_charge: null,
        created: Math.floor(Date.now() / 1000),
        livemode: false,
      };
      intent.client_secret = `${intent.id}_secret_${randomBytes(8).toString('hex')}`;
      if (intent.status === 'requires_action') {
        // what Stripe puts in the QR is its acquirer's PromptPay payload; a fixed e-wallet id stands in for it here
        const data = generatePayload('004999000000001', { amount: intent.amount / 100 });
        intent.next_action = {
          type: 'promptpay_display_qr_code',
          promptpay_display_qr_code: { data, image_url_svg: `${this.url}/qr/${intent.id}.svg`, image_url_png: `${this.url}/qr/${intent.id}.png`, hosted_instructions_url: `${this.url}/pay/${intent.id}` },
        };
      }
      this.intents.set(intent.id, intent);
      if (key) this.idempotent.set(key, intent.id);
      await this.beforeCreateAnswer?.(intent);
      return send(200, this.view(intent, false));
    }
    const m = /^\/v1\/payment_intents\/([A-Za-z0-9_]+)$/.exec(url.pathname);
    if (req.method === 'GET' && m) {
      const intent = this.intents.get(m[1]);
      if (!intent) return send(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such payment_intent: '${m[1]}'` } });
      return send(200, this.view(intent, url.searchParams.get('expand[0]') === 'latest_charge'));
    }
    if (req.method === 'POST' && url.pathname === '/v1/refunds') {
      const key = String(req.headers['idempotency-key'] ?? '');
      const intent = this.intents.get(form.get('payment_intent') ?? '');
      if (!intent?.latest_charge) return send(400, { error: { type: 'invalid_request_error', message: 'This PaymentIntent has no charge to refund' } });
      const charge = this.charges.get(intent.latest_charge)!;
      const refundId = key ? `re_${Buffer.from(key).toString('hex').slice(-24)}` : this.id('re');
      charge.refunded = true;
      return send(200, { id: refundId, object: 'refund', status: 'succeeded', payment_intent: intent.id, amount: charge.amount, currency: charge.currency });
    }
    send(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${url.pathname})` } });
  }

  private view(intent: StandinIntent, expandCharge: boolean): unknown {
    const charge = intent.latest_charge ? this.charges.get(intent.latest_charge) : undefined;
    return { ...intent, latest_charge: expandCharge ? (charge ?? null) : intent.latest_charge };
  }

  /** The buyer paid: the intent succeeded (with `amount` in satang, to simulate a mismatch). */
  succeed(id: string, amount?: number): StandinIntent {
    const intent = this.intents.get(id)!;
    if (amount !== undefined) intent.amount = amount;
    const charge = { id: this.id('ch'), object: 'charge' as const, payment_intent: id, amount: intent.amount, refunded: false, currency: intent.currency };
    this.charges.set(charge.id, charge);
    Object.assign(intent, { status: 'succeeded', latest_charge: charge.id, next_action: null, last_payment_error: null });
    return intent;
  }

  /** The payment attempt failed (the intent waits for another payment method). */
  fail(id: string): StandinIntent {
    const intent = this.intents.get(id)!;
    Object.assign(intent, { status: 'requires_payment_method', last_payment_error: { message: 'Your card was declined.', code: 'card_declined' } });
    return intent;
  }

  /** An event as Stripe sends it, signed with `secret` (or a wrong one); the webhook's HTTP answer. */
  async deliver(appUrl: string, type: string, object: unknown, opts: { secret: string; eventId?: string }): Promise<{ status: number; body: any; eventId: string }> {
    const eventId = opts.eventId ?? this.id('evt');
    const payload = JSON.stringify({ id: eventId, object: 'event', api_version: '2025-01-27', created: Math.floor(Date.now() / 1000), livemode: false, type, data: { object } });
    const header = this.sdk.webhooks.generateTestHeaderString({ payload, secret: opts.secret });
    const res = await fetch(`${appUrl}/api/v1/payments/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      body: payload,
      signal: AbortSignal.timeout(60_000),
    });
    return { status: res.status, body: await res.json(), eventId };
  }

  /** The intent as a webhook carries it (a snapshot: by the time it arrives the intent may have moved on). */
  snapshot(id: string): unknown {
    return structuredClone(this.view(this.intents.get(id)!, false));
  }
}
