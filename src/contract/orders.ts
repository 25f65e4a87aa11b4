import { Type, type Static } from 'typebox';
import { ShowDate, SeatId, IsoDate, Uuid, SafeText, ReferrerCode } from './common.ts';
import { ItemSeatIds, StandingRequest } from './seats.ts';
import { Payment, PaymentMethod } from './payments.ts';

export const OrderStatus = Type.Union([Type.Literal('PENDING'), Type.Literal('PAID'), Type.Literal('CANCELLED')]);
export type OrderStatus = Static<typeof OrderStatus>;

export const CancelReason = Type.Union([
  Type.Literal('USER'),
  Type.Literal('STAFF'),
  Type.Literal('EXPIRED'),
  Type.Literal('SHOW_CANCELLED'),
]);
export type CancelReason = Static<typeof CancelReason>;

export const OrderSeat = Type.Object({ seatId: SeatId, zoneId: Type.String(), price: Type.Integer() });

export const OrderCode = Type.String({
  pattern: '^[0-9A-HJKMNP-TV-Z]{8}$',
  description: 'Human order code: 8 characters of Crockford base32 (no I, L, O, U), unique; read it out, type it, print it',
  example: 'K7M2Q9XD',
});


export const Channel = Type.Union([Type.Literal('ONLINE'), Type.Literal('BOX_OFFICE')]);

// refunds -----------------------------------------------------------------------------------

export const RefundStatus = Type.Union([Type.Literal('PENDING'), Type.Literal('DONE'), Type.Literal('FAILED')]);

export const Refund = Type.Object({
  id: Uuid,
  orderId: Uuid,
  amount: Type.Integer({ description: 'THB' }),
  currency: Type.String(),
  method: PaymentMethod,
  reference: Type.Optional(Type.String()),
  status: RefundStatus,
  reason: Type.String(),
  createdAt: IsoDate,
  createdBy: Uuid,
  completedAt: Type.Optional(IsoDate),
});
export type Refund = Static<typeof Refund>;

export const RefundBody = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
    method: PaymentMethod,
    reference: Type.Optional(SafeText({ maxLength: 100, trim: true })),
    reason: SafeText({ maxLength: 500, trim: true, multiline: true }),
  },
  { additionalProperties: false },
);
export type RefundBody = Static<typeof RefundBody>;

export const RefundResult = Type.Object({ refund: Refund });
export type RefundResult = Static<typeof RefundResult>;

export const CancelledItem = Type.Object({ seatId: SeatId, zoneId: Type.String(), price: Type.Integer(), cancelledAt: IsoDate });

/** A standing (general admission) type: adult or child. */
export const StandingType = Type.Union([Type.Literal('adult'), Type.Literal('child')]);
export type StandingType = Static<typeof StandingType>;

/** Standing places of an order: one line per type and price (THB per place, the show's price when sold). */
export const OrderStandingLine = Type.Object({ type: StandingType, quantity: Type.Integer({ minimum: 1 }), price: Type.Integer() });
export type OrderStandingLine = Static<typeof OrderStandingLine>;

export const CancelledStanding = Type.Object({ type: StandingType, quantity: Type.Integer({ minimum: 1 }), price: Type.Integer(), cancelledAt: IsoDate });

export const Order = Type.Object({
  id: Uuid,
  code: OrderCode,
  showDate: ShowDate,
  status: OrderStatus,
  seats: Type.Array(OrderSeat),
  standing: Type.Array(OrderStandingLine, { description: 'Standing (general admission) places, per type and price' }),
  total: Type.Integer(),
  currency: Type.String(),
  userId: Uuid,
  customerName: Type.Optional(Type.String()),
  customerPhone: Type.Optional(Type.String()),
  customerEmail: Type.Optional(Type.String()),
  createdAt: IsoDate,
  expiresAt: IsoDate,
  paidAt: Type.Optional(IsoDate),
  cancelledAt: Type.Optional(IsoDate),
  cancelReason: Type.Optional(CancelReason),
  cancelNote: Type.Optional(Type.String()),
  refundDue: Type.Optional(Type.Boolean({ description: 'A PAID order cancelled by staff: the money is to be refunded' })),
  payment: Type.Optional(
    Type.Object({ method: Type.String(), amount: Type.Integer(), reference: Type.String() }, { description: 'v1: the payment that paid the order (see `payments`)' }),
  ),
  amountPaid: Type.Integer({ description: 'Sum of the SUCCEEDED payments' }),
  amountRefunded: Type.Integer({ description: 'Money given back: refunds recorded by staff (not FAILED) plus payments refunded through the provider (REFUNDED)' }),
  payments: Type.Array(Payment, { description: 'Every payment attempt, oldest first (without QR or client secret)' }),
  channel: Channel,
  soldBy: Type.Optional(Uuid),
  soldByName: Type.Optional(Type.String({ description: 'The seller\'s name (counter sales), for the receipt printed later' })),
  referrerCode: Type.Optional(Type.String()),
  refundDueAmount: Type.Integer({ description: 'Still to be given back: paid − refunded − the price of what the order still holds (all of it once cancelled)' }),
  refunds: Type.Array(Refund),
  cancelledItems: Type.Array(CancelledItem, { description: 'Seats taken out of the order by a partial cancel (the order went on without them)' }),
  cancelledStanding: Type.Array(CancelledStanding, { description: 'Standing places taken out of the order by a partial cancel' }),
});
export type Order = Static<typeof Order>;

export const OrderResult = Type.Object({ order: Order });
export type OrderResult = Static<typeof OrderResult>;

export const CreateOrderBody = Type.Object(
  {
    showDate: ShowDate,
    seatIds: Type.Optional(ItemSeatIds),
    standing: Type.Optional(StandingRequest),
    customerName: Type.Optional(SafeText({ maxLength: 100, trim: true })),
    customerPhone: Type.Optional(Type.String({ minLength: 3, maxLength: 32, pattern: '^[0-9+() -]+$' })),
    customerEmail: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    referrerCode: Type.Optional(ReferrerCode),
  },
  { additionalProperties: false },
);
export type CreateOrderBody = Static<typeof CreateOrderBody>;

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7E]+$' })),
});

export const OrderParams = Type.Object({ id: Uuid });
export type OrderParams = Static<typeof OrderParams>;

export const ListOrdersQuery = Type.Object(
  {
    status: Type.Optional(OrderStatus),
    showDate: Type.Optional(ShowDate),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1, description: 'Page number (v1). Deep pages are slow on a big list: prefer `cursor`' })),
    cursor: Type.Optional(
      Type.String({ format: 'uuid', description: 'The `nextCursor` of the previous page: the orders listed after it (keyset, no OFFSET; `page` is ignored then)' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    mine: Type.Optional(Type.Boolean({ description: 'Only the caller\'s own orders (staff and admin otherwise see everyone\'s)' })),
    q: Type.Optional(
      SafeText({
        maxLength: 100,
        trim: true,
        description:
          'Search: an order code prefix of at least 4 characters (case-insensitive; O/I/L read as 0/1/1, dashes and spaces ignored), or a case-insensitive substring of the customer name, phone or email',
      }),
    ),
    seatId: Type.Optional(Type.String({ minLength: 1, maxLength: 16, pattern: '^[A-Za-z0-9_-]+$', description: 'Staff: orders holding or having held this seat (with showDate)' })),
  },
  { additionalProperties: false },
);
export type ListOrdersQuery = Static<typeof ListOrdersQuery>;

export const OrderList = Type.Object({
  items: Type.Array(Order),
  page: Type.Integer(),
  limit: Type.Integer(),
  total: Type.Integer(),
  nextCursor: Type.Optional(Type.String({ format: 'uuid', description: 'Present when more orders follow: pass it as `cursor` for the next page' })),
});
export type OrderList = Static<typeof OrderList>;

export const CancelBody = Type.Object(
  {
    reason: Type.Optional(SafeText({ maxLength: 500, multiline: true })),
    seatIds: Type.Optional(
      Type.Array(SeatId, { maxItems: 200, uniqueItems: true, description: 'Cancel only these seats (partial cancel); the rest of the order stays' }),
    ),
    standing: Type.Optional(StandingRequest),
  },
  { additionalProperties: false },
);
export type CancelBody = Static<typeof CancelBody>;

export const PaymentBody = Type.Object(
  {
    method: PaymentMethod,
    amount: Type.Integer({ minimum: 0, maximum: 100000000 }),
    reference: SafeText({ maxLength: 100, trim: true }),
  },
  { additionalProperties: false },
);
export type PaymentBody = Static<typeof PaymentBody>;
