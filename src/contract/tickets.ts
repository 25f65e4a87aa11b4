import { Type, type Static } from 'typebox';
import { ShowDate, SeatId, IsoDate, Uuid, SafeText } from './common.ts';

/** What a ticket admits: a numbered seat, or one standing (general admission) place for an adult or a child. */
export const Admission = Type.Union([Type.Literal('seat'), Type.Literal('standing-adult'), Type.Literal('standing-child')]);
export type Admission = Static<typeof Admission>;

export const TicketStatus = Type.Union([Type.Literal('VALID'), Type.Literal('USED'), Type.Literal('REVOKED')], {
  description: 'VALID: not used yet; USED: checked in once (checkedInAt); REVOKED: its order or item was cancelled or refunded',
});
export type TicketStatus = Static<typeof TicketStatus>;

/**
 * A ticket secret as scanners send it. Anything up to 8192 characters is accepted and answered (an unknown or
 * malformed secret is INVALID, never a validation error), so a scanner can send whatever its camera read.
 */
export const TicketSecret = Type.String({ minLength: 1, maxLength: 8192, description: 'What the QR code carries (base64url, 43 characters)' });

export const Ticket = Type.Object({
  id: Uuid,
  orderId: Uuid,
  orderCode: Type.String({ description: 'The order code people read out (8 characters, Crockford base32)', example: 'K7M2Q9XD' }),
  showDate: ShowDate,
  startsAt: Type.Optional(IsoDate),
  admission: Admission,
  seatId: Type.Optional(SeatId),
  zoneId: Type.Optional(Type.String()),
  zoneName: Type.Optional(Type.Object({ en: Type.String(), th: Type.String() })),
  row: Type.Optional(Type.String()),
  number: Type.Optional(Type.Integer()),
  status: TicketStatus,
  checkedInAt: Type.Optional(IsoDate),
  secret: Type.String({ description: 'Random, 256 bits, base64url: the only thing the QR code carries. Keep it private: whoever shows it gets in once.' }),
  qrSvg: Type.String({ description: 'The QR code of `secret` as an SVG document' }),
});
export type Ticket = Static<typeof Ticket>;

export const TicketList = Type.Object({ tickets: Type.Array(Ticket) });
export type TicketList = Static<typeof TicketList>;

export const CheckinResultCode = Type.Union([
  Type.Literal('ADMITTED'),
  Type.Literal('ALREADY_ADMITTED'),
  Type.Literal('INVALID'),
  Type.Literal('WRONG_SHOW'),
  Type.Literal('REVOKED'),
  Type.Literal('UNPAID'),
]);
export type CheckinResultCode = Static<typeof CheckinResultCode>;

const scanFields = {
  secret: TicketSecret,
  showDate: ShowDate,
  nonce: Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x21-\\x7E]+$', description: 'Unique per scan on this scanner (e.g. a UUID): sending it again returns the first answer' }),
  gate: Type.Optional(SafeText({ maxLength: 50, trim: true, description: 'Which entrance scanned it' })),
  force: Type.Optional(
    Type.Boolean({ description: 'Staff and admin only (a door account gets 403): admit a valid ticket of another night (would be WRONG_SHOW). Recorded as a forced check-in.' }),
  ),
};

export const CheckinBody = Type.Object(
  { ...scanFields, scannedAt: Type.Optional(IsoDate) },
  { additionalProperties: false },
);
export type CheckinBody = Static<typeof CheckinBody>;

/** What a door scanner shows: the seat or standing type, never the secret. */
export const CheckinTicket = Type.Object({
  id: Uuid,
  orderCode: Type.String(),
  showDate: ShowDate,
  admission: Admission,
  seatId: Type.Optional(SeatId),
  zoneId: Type.Optional(Type.String()),
  row: Type.Optional(Type.String()),
  number: Type.Optional(Type.Integer()),
  status: TicketStatus,
});
export type CheckinTicket = Static<typeof CheckinTicket>;

export const CheckinResult = Type.Object({
  result: CheckinResultCode,
  ticket: Type.Optional(CheckinTicket),
  firstCheckin: Type.Optional(Type.Object({ at: IsoDate, gate: Type.Union([Type.String(), Type.Null()]) }, { description: 'ALREADY_ADMITTED: when and where the ticket got in' })),
});
export type CheckinResult = Static<typeof CheckinResult>;

export const CheckinBatchBody = Type.Object(
  { scans: Type.Array(Type.Object({ ...scanFields, scannedAt: IsoDate }, { additionalProperties: false }), { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
);
export type CheckinBatchBody = Static<typeof CheckinBatchBody>;

export const CheckinBatchResult = Type.Object({ results: Type.Array(CheckinResult) });
export type CheckinBatchResult = Static<typeof CheckinBatchResult>;

export const ManifestQuery = Type.Object(
  { since: Type.Optional(IsoDate) },
  { additionalProperties: false },
);
export type ManifestQuery = Static<typeof ManifestQuery>;

export const ManifestTicket = Type.Object({
  hash: Type.String({ description: 'Hex SHA-256 of the ticket secret' }),
  admission: Admission,
  seatId: Type.Optional(SeatId),
  zoneId: Type.Optional(Type.String()),
  row: Type.Optional(Type.String()),
  number: Type.Optional(Type.Integer()),
  orderCode: Type.String(),
  status: TicketStatus,
});
export type ManifestTicket = Static<typeof ManifestTicket>;

export const Manifest = Type.Object({
  showDate: ShowDate,
  generatedAt: IsoDate,
  tickets: Type.Array(ManifestTicket, {
    description: 'With `since`: only tickets issued, revoked or checked in after it (and in the 10 s before it, so nothing committing at that moment is missed; merge by `hash`)',
  }),
  admitted: Type.Integer(),
  total: Type.Integer(),
});
export type Manifest = Static<typeof Manifest>;

export const CheckinCount = Type.Object({
  showDate: ShowDate,
  admitted: Type.Integer({ description: 'Tickets of the show checked in' }),
  total: Type.Integer({ description: 'Tickets of the show that can get in (not revoked)' }),
});
export type CheckinCount = Static<typeof CheckinCount>;
