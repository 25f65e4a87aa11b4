import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import generatePayload from 'promptpay-qr';

/**
 * A local stand-in for the part of Stripe boxoffice uses, so tests never call the internet:
 * POST /v1/payment_intents (with Idempotency-Key), GET /v1/payment_intents/:id (expand latest_charge),
 * POST /v1/refunds (in full or `amount` of the charge; `refundOutcome` decides whether it succeeds at once or
 * waits as pending until settleRefund()) and GET /v1/refunds/:id; and for the browser a small fake Stripe.js at /v3/ (FAKE_STRIPE_JS) whose
 * confirmCardPayment posts the card to POST /v1/payment_intents/:id/confirm with the publishable key and the
 * client secret, as the real one does: card 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined
 * (`card_declined`), and the matching webhook goes to `webhookTo` once the answer has left. Tests also move
 * intents with succeed() / fail() and deliver webhooks themselves, signed with the SDK's own
 * stripe.webhooks.generateTestHeaderString. `down` makes every request fail at the connection.
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
  last_payment_error: null | { message: string; code: string; type?: string; decline_code?: string };
  latest_charge: string | null;
  created: number;
  livemode: false;
}

export interface StandinRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string;
  status: 'pending' | 'succeeded' | 'failed';
  metadata: Record<string, string>;
  created: number;
}

export class StripeStandin {
  readonly intents = new Map<string, StandinIntent>();
  readonly charges = new Map<string, { id: string; object: 'charge'; payment_intent: string; amount: number; amount_refunded: number; refunded: boolean; currency: string }>();
  readonly refunds = new Map<string, StandinRefund>();
  /** what a new refund is: 'succeeded' at once (Stripe's usual answer for cards) or 'pending' until settleRefund() */
  refundOutcome: 'succeeded' | 'pending' = 'succeeded';
  /** requests seen, e.g. 'POST /v1/payment_intents' */
  readonly requests: string[] = [];
  /** every request is cut at the connection while true (provider unreachable) */
  down = false;
  /** only refund requests are cut at the connection while true (the rest of the API answers) */
  refundsDown = false;
  /** called after an intent is created, before its HTTP answer leaves (e.g. to deliver a webhook first) */
  beforeCreateAnswer?: (intent: StandinIntent) => Promise<void>;
  /** the publishable key Stripe.js must send with a confirmation */
  readonly publishableKey = STANDIN_PUBLISHABLE_KEY;
  /** where (the app's base URL) and signed with what the webhooks of browser confirmations go; unset: none are sent */
  webhookTo?: { appUrl: string; secret: string };
  /** while true, the webhooks of browser confirmations wait (Stripe being slow to send them) until releaseWebhooks() */
  holdWebhooks = false;
  private held: (() => void)[] = [];
  /** the webhooks sent to `webhookTo`, with the app's HTTP status (0: not reached) */
  readonly sent: { type: string; intentId: string; status: number }[] = [];
  private sentWaiters: (() => void)[] = [];
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
    if (req.method === 'GET' && (url.pathname === '/v3/' || url.pathname === '/v3')) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(FAKE_STRIPE_JS);
      return;
    }
    const confirm = /^\/v1\/payment_intents\/([A-Za-z0-9_]+)\/confirm$/.exec(url.pathname);
    if (confirm && (req.method === 'POST' || req.method === 'OPTIONS')) {
      // the browser calls this one from the app's page: Stripe's API answers any origin
      res.setHeader('access-control-allow-origin', '*');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' });
        res.end();
        return;
      }
      return this.confirmCard(confirm[1], form, send);
    }
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
      const again = key && this.idempotent.get(`refund:${key}`);
      if (again) return send(200, this.refunds.get(again));
      const intent = this.intents.get(form.get('payment_intent') ?? '');
      if (!intent?.latest_charge) return send(400, { error: { type: 'invalid_request_error', message: 'This PaymentIntent has no charge to refund' } });
      const charge = this.charges.get(intent.latest_charge)!;
      const amount = form.has('amount') ? Number(form.get('amount')) : charge.amount - charge.amount_refunded;
      if (amount <= 0 || charge.amount_refunded + amount > charge.amount) {
        return send(400, { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${charge.amount - charge.amount_refunded})` } });
      }
      const refund: StandinRefund = {
        id: key ? `re_${Buffer.from(key).toString('hex').slice(-24)}` : this.id('re'), object: 'refund', amount, currency: charge.currency,
        charge: charge.id, payment_intent: intent.id, status: this.refundOutcome, metadata: {}, created: Math.floor(Date.now() / 1000),
      };
      this.refunds.set(refund.id, refund);
      if (key) this.idempotent.set(`refund:${key}`, refund.id);
      charge.amount_refunded += amount;
      charge.refunded = charge.amount_refunded === charge.amount;
      return send(200, refund);
    }
    const r = /^\/v1\/refunds\/([A-Za-z0-9_]+)$/.exec(url.pathname);
    if (req.method === 'GET' && r) {
      const refund = this.refunds.get(r[1]);
      if (!refund) return send(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such refund: '${r[1]}'` } });
      return send(200, refund);
    }
    send(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${url.pathname})` } });
  }

  /**
   * POST /v1/payment_intents/:id/confirm as Stripe.js sends it (form fields `key`, `client_secret`,
   * `payment_method_data[card][…]`): 200 with the intent, or 402 `{error}` of type card_error with the intent
   * in `error.payment_intent`; then the webhook of the outcome is sent to `webhookTo`.
   */
  private confirmCard(id: string, form: URLSearchParams, send: (status: number, body: unknown) => void): void {
    const intent = this.intents.get(id);
    if (form.get('key') !== this.publishableKey) {
      return send(401, { error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${form.get('key') ?? '(none)'}` } });
    }
    if (!intent || form.get('client_secret') !== intent.client_secret) {
      return send(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such payment_intent: '${id}'` } });
    }
    if (intent.status !== 'requires_payment_method') {
      return send(400, { error: { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message: `You cannot confirm this PaymentIntent because it has a status of ${intent.status}.`, payment_intent: this.publicView(intent) } });
    }
    const number = (form.get('payment_method_data[card][number]') ?? '').replace(/\D/g, '');
    if (number === '4242424242424242') {
      this.succeed(id);
      send(200, this.publicView(intent));
      return void this.notify('payment_intent.succeeded', intent);
    }
    const error = number === '4000000000000002'
      ? { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' }
      : { type: 'card_error', code: 'incorrect_number', message: 'Your card number is incorrect.' };
    Object.assign(intent, { status: 'requires_payment_method', last_payment_error: error });
    send(402, { error: { ...error, doc_url: `https://stripe.com/docs/error-codes/${error.code.replace(/_/g, '-')}`, payment_intent: this.publicView(intent) } });
    void this.notify('payment_intent.payment_failed', intent);
  }

  /** Sends the event of a browser confirmation to `webhookTo`, as Stripe does after answering. */
  private async notify(type: string, intent: StandinIntent): Promise<void> {
    if (!this.webhookTo) return;
    if (this.holdWebhooks) await new Promise<void>((resolve) => this.held.push(resolve));
    let status = 0;
    try {
      status = (await this.deliver(this.webhookTo.appUrl, type, this.snapshot(intent.id), { secret: this.webhookTo.secret })).status;
    } catch {
      // the app was not reached: status 0
    }
    this.sent.push({ type, intentId: intent.id, status });
    for (const wake of this.sentWaiters.splice(0)) wake();
  }

  /** Sends the held webhooks and stops holding new ones. */
  releaseWebhooks(): void {
    this.holdWebhooks = false;
    for (const send of this.held.splice(0)) send();
  }

  /** Resolves with the app's status once a webhook of `type` for the intent was sent to `webhookTo` (rejects after `timeoutMs`). */
  async webhookSent(type: string, intentId: string, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.sent.find((d) => d.type === type && d.intentId === intentId);
      if (hit) return hit.status;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} webhook for ${intentId} within ${timeoutMs} ms (sent: ${JSON.stringify(this.sent)})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.sentWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The intent as a publishable key sees it (no metadata). */
  private publicView(intent: StandinIntent): unknown {
    const { metadata: _metadata, ...rest } = intent;
    return { ...rest, latest_charge: intent.latest_charge };
  }

  private view(intent: StandinIntent, expandCharge: boolean): unknown {
    const charge = intent.latest_charge ? this.charges.get(intent.latest_charge) : undefined;
    return { ...intent, latest_charge: expandCharge ? (charge ?? null) : intent.latest_charge };
  }

  /** The buyer paid: the intent succeeded (with `amount` in satang, to simulate a mismatch). */
  succeed(id: string, amount?: number): StandinIntent {
    const intent = this.intents.get(id)!;
    if (amount !== undefined) intent.amount = amount;
    const charge = { id: this.id('ch'), object: 'charge' as const, payment_intent: id, amount: intent.amount, amount_refunded: 0, refunded: false, currency: intent.currency };
    this.charges.set(charge.id, charge);
    Object.assign(intent, { status: 'succeeded', latest_charge: charge.id, next_action: null, last_payment_error: null });
    return intent;
  }

  /** The payment attempt failed (the intent waits for another payment method). */
  fail(id: string): StandinIntent {
    const intent = this.intents.get(id)!;
    Object.assign(intent, { status: 'requires_payment_method', last_payment_error: { message: 'Your card was declined.', code: 'card_declined', type: 'card_error', decline_code: 'generic_decline' } });
    return intent;
  }

  /** The bank decided a pending refund: 'succeeded', or 'failed' (the money stays with the venue, the charge is refundable again). */
  settleRefund(id: string, status: 'succeeded' | 'failed'): StandinRefund {
    const refund = this.refunds.get(id)!;
    if (refund.status !== 'pending') throw new Error(`refund ${id} is ${refund.status}, not pending`);
    refund.status = status;
    if (status === 'failed') {
      const charge = this.charges.get(refund.charge)!;
      charge.amount_refunded -= refund.amount;
      charge.refunded = false;
    }
    return refund;
  }

  /** A refund as a webhook carries it (refund.updated). */
  refundSnapshot(id: string): unknown {
    return structuredClone(this.refunds.get(id)!);
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

/** The publishable key the stand-in accepts from Stripe.js (set STRIPE_PUBLISHABLE_KEY to it). */
export const STANDIN_PUBLISHABLE_KEY = 'pk_test_boxoffice';

/**
 * The fake Stripe.js served at /v3/: the subset of the real one the pay page uses, with the real shapes.
 * `Stripe(key)` → `elements()` → `create('card')`, whose `mount(selector | element)` renders plain inputs (named
 * like Stripe's: cardnumber, exp-date, cvc), `on('change' | 'ready')`, `update({disabled})`, `focus()`,
 * `unmount()`, `destroy()`; `confirmCardPayment(clientSecret, {payment_method: {card}})` resolves with
 * `{paymentIntent}` or `{error}` (validation_error before any request, card_error from the API,
 * api_connection_error when it cannot be reached) and never rejects.
 */
export const FAKE_STRIPE_JS = String.raw`(function () {
  var api = new URL(document.currentScript.src).origin;
  function cardElement() {
    var handlers = {};
    var box = null;
    var inputs = {};
    var emit = function (name, event) { (handlers[name] || []).forEach(function (h) { h(event); }); };
    var state = function () {
      var n = inputs.number.value.replace(/\D/g, ''), e = inputs.expiry.value.replace(/\D/g, ''), c = inputs.cvc.value.replace(/\D/g, '');
      return { elementType: 'card', empty: !n && !e && !c, complete: n.length >= 12 && e.length === 4 && c.length >= 3, brand: n[0] === '4' ? 'visa' : 'unknown', value: { postalCode: '' } };
    };
    var field = function (name, label, autocomplete, placeholder, grow) {
      var wrap = document.createElement('label');
      wrap.className = 'standin-card-field';
      wrap.style.cssText = 'display:flex;flex-direction:column;gap:2px;margin:0;font-size:12px;color:#5d6475;min-width:0;flex:' + grow;
      wrap.appendChild(document.createTextNode(label + ' '));
      var input = document.createElement('input');
      input.name = name;
      input.setAttribute('autocomplete', autocomplete);
      input.setAttribute('inputmode', 'numeric');
      input.placeholder = placeholder;
      input.style.cssText = 'font-size:16px;padding:4px 6px;border:1px solid #d9dce5;border-radius:6px;min-width:0;width:100%';
      input.addEventListener('input', function () { emit('change', state()); });
      input.addEventListener('focus', function () { emit('focus', { elementType: 'card' }); });
      input.addEventListener('blur', function () { emit('blur', { elementType: 'card' }); });
      wrap.appendChild(input);
      box.appendChild(wrap);
      return input;
    };
    var element = {
      mount: function (target) {
        var host = typeof target === 'string' ? document.querySelector(target) : target;
        if (!host) throw new Error('IntegrationError: no element to mount the card Element in');
        box = document.createElement('div');
        box.className = 'standin-card';
        box.setAttribute('data-standin', 'stripe-card');
        box.style.cssText = 'display:flex;flex-wrap:wrap;gap:8px';
        inputs.number = field('cardnumber', 'Card number', 'cc-number', '1234 1234 1234 1234', '3 1 11rem');
        inputs.expiry = field('exp-date', 'MM / YY', 'cc-exp', 'MM / YY', '1 1 5rem');
        inputs.cvc = field('cvc', 'CVC', 'cc-csc', 'CVC', '1 1 4rem');
        host.appendChild(box);
        setTimeout(function () { emit('ready', { elementType: 'card' }); });
        return element;
      },
      on: function (name, handler) { (handlers[name] = handlers[name] || []).push(handler); return element; },
      off: function (name, handler) { handlers[name] = (handlers[name] || []).filter(function (h) { return h !== handler; }); return element; },
      update: function (options) {
        if (options && 'disabled' in options) Object.keys(inputs).forEach(function (k) { inputs[k].disabled = Boolean(options.disabled); });
      },
      focus: function () { if (inputs.number) inputs.number.focus(); },
      blur: function () {},
      clear: function () { Object.keys(inputs).forEach(function (k) { inputs[k].value = ''; }); emit('change', state()); },
      unmount: function () { if (box && box.parentNode) box.parentNode.removeChild(box); },
      destroy: function () { element.unmount(); handlers = {}; },
      _values: function () { return { number: inputs.number.value.replace(/\D/g, ''), expiry: inputs.expiry.value.replace(/\D/g, ''), cvc: inputs.cvc.value.replace(/\D/g, '') }; },
    };
    return element;
  }
  function validation(code, message) { return Promise.resolve({ error: { type: 'validation_error', code: code, message: message } }); }
  window.Stripe = function (key) {
    var created = {};
    return {
      elements: function () {
        return {
          create: function (type) {
            if (type !== 'card') throw new Error('IntegrationError: the stand-in only has the card Element');
            return (created.card = cardElement());
          },
          getElement: function (type) { return created[type] || null; },
          update: function () {},
        };
      },
      confirmCardPayment: function (clientSecret, data) {
        var card = data && data.payment_method && data.payment_method.card;
        if (!card || !card._values) return Promise.resolve({ error: { type: 'invalid_request_error', message: 'payment_method.card must be a card Element' } });
        var v = card._values();
        if (v.number.length < 12) return validation('incomplete_number', 'Your card number is incomplete.');
        if (v.expiry.length !== 4) return validation('incomplete_expiry', "Your card's expiration date is incomplete.");
        if (v.cvc.length < 3) return validation('incomplete_cvc', "Your card's security code is incomplete.");
        var body = new URLSearchParams({
          key: key,
          client_secret: clientSecret,
          'payment_method_data[type]': 'card',
          'payment_method_data[card][number]': v.number,
          'payment_method_data[card][exp_month]': v.expiry.slice(0, 2),
          'payment_method_data[card][exp_year]': v.expiry.slice(2),
          'payment_method_data[card][cvc]': v.cvc,
          expected_payment_method_type: 'card',
        });
        return fetch(api + '/v1/payment_intents/' + encodeURIComponent(clientSecret.split('_secret_')[0]) + '/confirm', { method: 'POST', body: body })
          .then(function (res) { return res.json().then(function (json) { return res.ok ? { paymentIntent: json } : { error: json.error }; }); })
          .catch(function (err) { return { error: { type: 'api_connection_error', message: 'We could not reach Stripe: ' + err.message } }; });
      },
    };
  };
})();
`;
