import { Type, type Static } from 'typebox';
import { IsoDate, Uuid } from './common.ts';

export const PaymentMethod = Type.Union([Type.Literal('cash'), Type.Literal('card'), Type.Literal('transfer'), Type.Literal('promptpay')]);
export type PaymentMethod = Static<typeof PaymentMethod>;

export const PaymentProvider = Type.Union([Type.Literal('manual'), Type.Literal('promptpay'), Type.Literal('stripe')]);
export type PaymentProvider = Static<typeof PaymentProvider>;

export const PaymentStatus = Type.Union([
  Type.Literal('PENDING'),
  Type.Literal('SUCCEEDED'),
  Type.Literal('FAILED'),
  Type.Literal('EXPIRED'),
  Type.Literal('REFUND_DUE'),
  Type.Literal('REFUNDED'),
]);
export type PaymentStatus = Static<typeof PaymentStatus>;

export const Payment = Type.Object({
  id: Uuid,
  orderId: Uuid,
  method: PaymentMethod,
  provider: PaymentProvider,
  status: PaymentStatus,
  amount: Type.Integer({ description: 'Whole THB, as the order total' }),
  currency: Type.String(),
  createdAt: IsoDate,
  expiresAt: Type.Optional(IsoDate),
  reference: Type.Optional(Type.String({ description: 'Receipt number, bank reference, slip or PaymentIntent id' })),
  promptpay: Type.Optional(
    Type.Object({
      payload: Type.String({ description: 'EMVCo merchant-presented payload (what the QR encodes)' }),
      qrSvg: Type.String({ description: 'The QR as an SVG document' }),
    }),
  ),
  clientSecret: Type.Optional(Type.String({ description: 'Stripe PaymentIntent client secret (card), for Stripe.js; only to the order owner' })),
  failureReason: Type.Optional(Type.String()),
  refundedAt: Type.Optional(IsoDate),
});
export type Payment = Static<typeof Payment>;

export const PaymentResult = Type.Object({ payment: Payment });
export type PaymentResult = Static<typeof PaymentResult>;

/** A way a buyer can pay online (staff record the others by hand). */
export const OnlineMethod = Type.Union([Type.Literal('promptpay'), Type.Literal('card')]);
export type OnlineMethod = Static<typeof OnlineMethod>;

export const CreateIntentBody = Type.Object({ method: OnlineMethod }, { additionalProperties: false });
export type CreateIntentBody = Static<typeof CreateIntentBody>;

export const PaymentParams = Type.Object({ id: Uuid });

/** What the pay page may offer on this server, and what it needs for card payment in the browser. */
export const PaymentMethods = Type.Object({
  methods: Type.Array(OnlineMethod, {
    description: 'Online methods a buyer may start, PromptPay first (the default). Empty when neither a provider nor PROMPTPAY_ID is set up.',
  }),
  stripe: Type.Optional(
    Type.Object(
      {
        publishableKey: Type.String({ description: 'Stripe publishable key (public) for `Stripe(publishableKey)`' }),
        jsUrl: Type.String({ description: 'Where to load Stripe.js from (STRIPE_JS_URL)' }),
      },
      { description: 'Present when `card` is offered: the card is taken by Stripe.js, then `confirmCardPayment(clientSecret, …)`' },
    ),
  ),
});
export type PaymentMethods = Static<typeof PaymentMethods>;

/** A late payment that could not be booked, waiting for (or done with) its refund; for the staff page. */
export const RefundQueueItem = Type.Object({
  payment: Payment,
  order: Type.Object({ id: Uuid, showDate: Type.String(), status: Type.String(), userId: Uuid, customerName: Type.Optional(Type.String()) }),
});
export const RefundQueue = Type.Object({ items: Type.Array(RefundQueueItem) });
export type RefundQueue = Static<typeof RefundQueue>;

export const RefundPaymentBody = Type.Object(
  { reference: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'For a payment without a provider: the bank reference of the refund staff made by hand' })) },
  { additionalProperties: false },
);
export type RefundPaymentBody = Static<typeof RefundPaymentBody>;

export const SlipStatus = Type.Union([Type.Literal('SUBMITTED'), Type.Literal('APPROVED'), Type.Literal('REJECTED')]);
export type SlipStatus = Static<typeof SlipStatus>;

export const Slip = Type.Object({
  id: Uuid,
  orderId: Uuid,
  status: SlipStatus,
  createdAt: IsoDate,
  mime: Type.Optional(Type.String()),
  sizeBytes: Type.Optional(Type.Integer()),
  rejectReason: Type.Optional(Type.String()),
  paymentId: Type.Optional(Uuid),
  decidedAt: Type.Optional(IsoDate),
  /** for staff: what the order still owes and who it is */
  amountDue: Type.Optional(Type.Integer()),
  currency: Type.Optional(Type.String()),
  orderStatus: Type.Optional(Type.String()),
  customerName: Type.Optional(Type.String()),
  showDate: Type.Optional(Type.String()),
});
export type Slip = Static<typeof Slip>;

export const SlipResult = Type.Object({ slip: Slip });
export const SlipList = Type.Object({ items: Type.Array(Slip) });
export type SlipList = Static<typeof SlipList>;
export const SlipParams = Type.Object({ id: Uuid });
export const SlipListQuery = Type.Object({ status: Type.Optional(SlipStatus) }, { additionalProperties: false });
export const RejectSlipBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export type RejectSlipBody = Static<typeof RejectSlipBody>;
export const WebhookAck = Type.Object({ received: Type.Boolean(), duplicate: Type.Optional(Type.Boolean()) });
