import { Type, type Static } from 'typebox';
import { ShowDate, SeatId, SeatState, IsoDate, Uuid, SafeText } from './common.ts';

export const SeatCounts = Type.Object({
  available: Type.Integer(),
  locked: Type.Integer(),
  booked: Type.Integer(),
  blocked: Type.Integer(),
});
export type SeatCounts = Static<typeof SeatCounts>;

export const ShowStatus = Type.Union([Type.Literal('ON_SALE'), Type.Literal('CLOSED')]);

export const Show = Type.Object({
  showDate: ShowDate,
  title: Type.String(),
  status: ShowStatus,
  salesOpen: Type.Boolean(),
  counts: SeatCounts,
});
export type Show = Static<typeof Show>;

export const ShowList = Type.Object({ items: Type.Array(Show) });
export type ShowList = Static<typeof ShowList>;

export const Zone = Type.Object({
  id: Type.String({ example: 'left' }),
  name: Type.String({ example: 'Left stand' }),
  names: Type.Object({ en: Type.String(), th: Type.String() }),
  ticketType: Type.String({ example: 'STADIUM' }),
  price: Type.Integer({ example: 1800 }),
  currency: Type.String({ example: 'THB' }),
});
export type Zone = Static<typeof Zone>;

export const SeatView = Type.Object({
  id: SeatId,
  zoneId: Type.String(),
  row: Type.String(),
  number: Type.Integer(),
  x: Type.Number(),
  y: Type.Number(),
  status: SeatState,
  expiresAt: Type.Optional(IsoDate),
  lockedBy: Type.Optional(Uuid),
});
export type SeatView = Static<typeof SeatView>;

export const SeatMap = Type.Object({
  showDate: ShowDate,
  seq: Type.Integer({ description: 'Realtime sequence number of the show when this snapshot was taken' }),
  venue: Type.Object({ name: Type.String(), width: Type.Number(), height: Type.Number(), ring: Type.Object({ x: Type.Number(), y: Type.Number(), size: Type.Number() }) }),
  zones: Type.Array(Zone),
  seats: Type.Array(SeatView),
});
export type SeatMap = Static<typeof SeatMap>;

export const ShowParams = Type.Object({ showDate: ShowDate });
export type ShowParams = Static<typeof ShowParams>;

export const CreateShowBody = Type.Object(
  { showDate: ShowDate, title: Type.Optional(SafeText({ maxLength: 200, trim: true })) },
  { additionalProperties: false },
);
export type CreateShowBody = Static<typeof CreateShowBody>;

export const CreateShowResult = Type.Object({ show: Show });
