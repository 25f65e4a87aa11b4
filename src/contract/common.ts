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
  STANDING_UNAVAILABLE: 409,
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

// ---- text and dates every request may carry (issue 12, kinds 6 and 7) ----------------------------

/**
 * Characters no text of the contract may hold: C0 and C1 controls and DEL (U+0000 cannot even be stored by
 * PostgreSQL), lone surrogates (not valid UTF-8: PostgreSQL refuses them), the non-characters U+FFFE/U+FFFF,
 * the bidirectional embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069 (they make a name or
 * reference read differently from what it is: "Trojan Source", CVE-2021-42574; Thai and English never need
 * them, and the marks U+200E/U+200F that right-to-left names may carry stay allowed), and in one-line text
 * also the line and paragraph separators U+2028/U+2029. Multi-line text allows \t \n \r.
 */
const BIDI_CONTROLS = '\\u202A-\\u202E\\u2066-\\u2069';
const UNSAFE_ONE_LINE = `\\p{Cc}\\p{Cs}\\u2028\\u2029\\uFFFE\\uFFFF${BIDI_CONTROLS}`;
const UNSAFE_MULTI_LINE = `\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F\\p{Cs}\\uFFFE\\uFFFF${BIDI_CONTROLS}`;

export interface SafeTextOptions {
  minLength?: number;
  maxLength: number;
  /** allow tabs and line breaks (notes, reasons) */
  multiline?: boolean;
  /**
   * A name-like field: must hold a visible character (whitespace or invisible format characters such as the
   * zero-width space U+200B only are refused) and its leading and trailing
   * whitespace is removed before it is used (the `x-trim` keyword, applied by the server's validator).
   */
  trim?: boolean;
  description?: string;
  example?: string;
}

/**
 * A string of the contract that PostgreSQL can store and people can read: control characters, NUL and lone
 * surrogates are refused with 400 VALIDATION_FAILED (JSON Schema `pattern`, matched with the `u` flag).
 * Use it for every free-text string of a request; fields with their own strict pattern (ids, codes) need not.
 */
export function SafeText(opts: SafeTextOptions) {
  const allowed = `[^${opts.multiline ? UNSAFE_MULTI_LINE : UNSAFE_ONE_LINE}]*`;
  const visible = opts.trim ? '(?=[\\s\\S]*[^\\s\\p{Cf}])' : '';
  const notes = [opts.description, 'No control characters', opts.trim ? 'not blank; leading and trailing spaces are removed' : undefined].filter(Boolean);
  return Type.String({
    minLength: opts.minLength ?? (opts.trim ? 1 : 0),
    maxLength: opts.maxLength,
    pattern: `^${visible}${allowed}$`,
    ...(opts.trim ? { 'x-trim': true } : {}),
    description: `${notes.join('; ')}.`,
    ...(opts.example === undefined ? {} : { example: opts.example }),
  });
}

/** Years a date of the contract may have: PostgreSQL holds far more, but nothing a box office sells or reports on lies outside. */
export const SUPPORTED_YEARS = { from: 2000, to: 2099 } as const;
const YEAR = '20\\d{2}';

/** A calendar day `YYYY-MM-DD` within SUPPORTED_YEARS (a real day: 2026-02-30 is refused by the `date` format). */
export function CalendarDate(opts: { description?: string; example?: string } = {}) {
  return Type.String({
    pattern: `^${YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$`,
    format: 'date',
    description: `${opts.description ?? 'A calendar day'}, YYYY-MM-DD, years ${SUPPORTED_YEARS.from}-${SUPPORTED_YEARS.to}`,
    example: opts.example ?? '2026-12-01',
  });
}

/** An instant, ISO 8601 / RFC 3339 date-time with its offset, within SUPPORTED_YEARS. */
export function Instant(opts: { description?: string; example?: string } = {}) {
  return Type.String({
    pattern: `^${YEAR}-\\d{2}-\\d{2}T`,
    format: 'date-time',
    ...(opts.description ? { description: opts.description } : {}),
    example: opts.example ?? '2026-12-01T12:05:00.000Z',
  });
}

export const ShowDate = CalendarDate({ description: 'Night of the show in the venue time zone' });

export const SeatId = Type.String({ minLength: 1, maxLength: 16, pattern: '^[A-Za-z0-9_-]+$', example: '343' });
export const ReferrerCode = Type.String({
  minLength: 2,
  maxLength: 32,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'Letters, digits, _ or -; case does not matter (stored in capitals)',
  example: 'PATONG-HOTEL',
});

export const Uuid = Type.String({ format: 'uuid' });
export const IsoDate = Instant();

export const Role = Type.Union([Type.Literal('customer'), Type.Literal('staff'), Type.Literal('admin'), Type.Literal('door')], {
  description: 'door: may only check tickets in and read check-in manifests',
});
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
