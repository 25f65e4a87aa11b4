import { Type, type Static } from 'typebox';
import { ShowDate, SeatId, IsoDate, Uuid, SafeText } from './common.ts';
import { SeatIds } from './seats.ts';
import { Payment } from './payments.ts';

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

export const Order = Type.Object({
  id: Uuid,
  code: OrderCode,
  showDate: ShowDate,
  status: OrderStatus,
  seats: Type.Array(OrderSeat),
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
  amountRefunded: Type.Integer({ description: 'Sum of the REFUNDED payments' }),
  payments: Type.Array(Payment, { description: 'Every payment attempt, oldest first (without QR or client secret)' }),
});
export type Order = Static<typeof Order>;

export const OrderResult = Type.Object({ order: Order });
export type OrderResult = Static<typeof OrderResult>;

export const CreateOrderBody = Type.Object(
  {
    showDate: ShowDate,
    seatIds: SeatIds,
    customerName: Type.Optional(SafeText({ maxLength: 100, trim: true })),
    customerPhone: Type.Optional(Type.String({ minLength: 3, maxLength: 32, pattern: '^[0-9+() -]+$' })),
    customerEmail: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
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
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
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
  },
  { additionalProperties: false },
);
export type ListOrdersQuery = Static<typeof ListOrdersQuery>;

export const OrderList = Type.Object({
  items: Type.Array(Order),
  page: Type.Integer(),
  limit: Type.Integer(),
  total: Type.Integer(),
});
export type OrderList = Static<typeof OrderList>;

export const CancelBody = Type.Object(
  { reason: Type.Optional(SafeText({ maxLength: 500, multiline: true })) },
  { additionalProperties: false },
);
export type CancelBody = Static<typeof CancelBody>;

export const PaymentBody = Type.Object(
  {
    method: Type.Union([Type.Literal('cash'), Type.Literal('card'), Type.Literal('transfer'), Type.Literal('promptpay')]),
    amount: Type.Integer({ minimum: 0, maximum: 100000000 }),
    reference: SafeText({ maxLength: 100, trim: true }),
  },
  { additionalProperties: false },
);
export type PaymentBody = Static<typeof PaymentBody>;
