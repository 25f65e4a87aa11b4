import { Type, type Static, type TSchema } from 'typebox';

/** Every error code of the public contract, with its HTTP status. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  SHOW_NOT_FOUND: 404,
  SEAT_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  SEAT_UNAVAILABLE: 409,
  SALES_CLOSED: 409,
  SHOW_EXISTS: 409,
  ORDER_NOT_CANCELLABLE: 409,
  ORDER_NOT_PAYABLE: 409,
  LOCK_LIMIT_EXCEEDED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  PAYMENT_AMOUNT_MISMATCH: 422,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
  // v2 (API.md "New error codes")
  SHOW_IN_PAST: 422,
  NO_ADJACENT_SEATS: 409,
  REFERRER_NOT_FOUND: 422,
  PAYMENT_METHOD_UNAVAILABLE: 422,
  PAYMENT_PROVIDER_UNAVAILABLE: 503,
  PAYMENT_NOT_FOUND: 404,
  ORDER_NOT_PAID: 409,
  TICKET_NOT_FOUND: 404,
  SLIP_INVALID: 400,
  SLIP_NOT_FOUND: 404,
  REFUND_EXCEEDS_PAID: 422,
  USER_NOT_FOUND: 404,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export const ErrorBody = Type.Object(
  {
    statusCode: Type.Integer({ example: 409 }),
    code: Type.String({ enum: ERROR_CODES, example: 'SEAT_UNAVAILABLE' }),
    message: Type.String({ description: 'In the language asked for by Accept-Language (th or en, default en)' }),
    messages: Type.Object({ en: Type.String(), th: Type.String() }),
    details: Type.Optional(Type.Unknown()),
    requestId: Type.String(),
  },
  { $id: 'ErrorBody', description: 'The one error shape of every REST answer and socket ack' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const ShowDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  format: 'date',
  description: 'Night of the show, YYYY-MM-DD in the venue time zone',
  example: '2026-12-01',
});

export const SeatId = Type.String({ minLength: 1, maxLength: 16, pattern: '^[A-Za-z0-9_-]+$', example: '343' });
export const Uuid = Type.String({ format: 'uuid' });
export const IsoDate = Type.String({ format: 'date-time', example: '2026-12-01T12:05:00.000Z' });

export const Role = Type.Union([Type.Literal('customer'), Type.Literal('staff'), Type.Literal('admin')]);
export type Role = Static<typeof Role>;

export const SeatState = Type.Union([
  Type.Literal('AVAILABLE'),
  Type.Literal('LOCKED'),
  Type.Literal('BOOKED'),
  Type.Literal('BLOCKED'),
]);
export type SeatState = Static<typeof SeatState>;

/** Error responses a route can give, by status, for the OpenAPI document. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of [400, 429, 500, ...statuses]) out[s] = Type.Ref('ErrorBody');
  return out;
}
