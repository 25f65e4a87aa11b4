import { Type, type Static } from 'typebox';
import { ShowDate, SeatId, SeatState, IsoDate, Uuid } from './common.ts';

/** Upper bound on seat ids in one request; the per-user cap (MAX_SEATS_PER_USER) is usually lower. */
export const MAX_SEATS_PER_REQUEST = 50;

export const SeatIds = Type.Array(SeatId, { minItems: 1, maxItems: MAX_SEATS_PER_REQUEST, uniqueItems: true, example: ['343', '342'] });

export const LockBody = Type.Object({ showDate: ShowDate, seatIds: SeatIds }, { additionalProperties: false });
export type LockBody = Static<typeof LockBody>;

export const LockResult = Type.Object({
  showDate: ShowDate,
  seatIds: Type.Array(SeatId),
  lockedBy: Uuid,
  expiresAt: IsoDate,
});
export type LockResult = Static<typeof LockResult>;

export const LockBestBody = Type.Object(
  {
    showDate: ShowDate,
    quantity: Type.Integer({ minimum: 1, maximum: MAX_SEATS_PER_REQUEST, description: 'How many seats side by side (at most MAX_SEATS_PER_USER)' }),
    zoneId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'Only in this zone; any zone when absent' })),
  },
  { additionalProperties: false },
);
export type LockBestBody = Static<typeof LockBestBody>;

export const ReleaseBody = LockBody;
export type ReleaseBody = Static<typeof ReleaseBody>;

export const ReleaseResult = Type.Object({
  showDate: ShowDate,
  released: Type.Array(SeatId),
  notHeld: Type.Array(SeatId),
});
export type ReleaseResult = Static<typeof ReleaseResult>;

export const SeatStatusParams = Type.Object({ seatId: SeatId });
export const SeatStatusQuery = Type.Object({ showDate: Type.Optional(ShowDate) }, { additionalProperties: false });

export const SeatStatus = Type.Object({
  seatId: SeatId,
  showDate: ShowDate,
  status: SeatState,
  expiresAt: Type.Optional(IsoDate),
  lockedBy: Type.Optional(Uuid),
});
export type SeatStatus = Static<typeof SeatStatus>;

/** details of a 409 SEAT_UNAVAILABLE */
export const UnavailableSeat = Type.Object({ seatId: SeatId, status: SeatState });
export type UnavailableSeat = Static<typeof UnavailableSeat>;
