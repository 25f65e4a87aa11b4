import { Type, type Static } from 'typebox';
import { ShowDate, SeatId, SeatState, IsoDate, Uuid } from './common.ts';

/** Upper bound on seat ids in one request; the per-user cap (MAX_SEATS_PER_USER) is usually lower. */
export const MAX_SEATS_PER_REQUEST = 50;

export const SeatIds = Type.Array(SeatId, { minItems: 1, maxItems: MAX_SEATS_PER_REQUEST, uniqueItems: true, example: ['343', '342'] });

/** Standing (general admission) places of one type in one request: how many. */
export const StandingCount = Type.Integer({ minimum: 0, maximum: MAX_SEATS_PER_REQUEST, description: 'Standing places (a non-negative integer)' });

/**
 * Standing places asked for next to `seatIds` (API.md v2 "Standing"): adult and child counts. A request needs at
 * least one seat or one standing place (400 VALIDATION_FAILED otherwise).
 */
export const StandingRequest = Type.Object(
  { adult: Type.Optional(StandingCount), child: Type.Optional(StandingCount) },
  { additionalProperties: false, example: { adult: 2, child: 1 } },
);
export type StandingRequest = Static<typeof StandingRequest>;

/** Standing places by type, as answered: the caller's holds now, or what was released. */
export const StandingCounts = Type.Object({ adult: Type.Integer({ minimum: 0 }), child: Type.Integer({ minimum: 0 }) });
export type StandingCounts = Static<typeof StandingCounts>;

/** Seat ids next to standing places: may be empty or absent when standing places are asked for. */
export const ItemSeatIds = Type.Array(SeatId, { maxItems: MAX_SEATS_PER_REQUEST, uniqueItems: true, example: ['343', '342'] });

export const LockBody = Type.Object(
  { showDate: ShowDate, seatIds: Type.Optional(ItemSeatIds), standing: Type.Optional(StandingRequest) },
  { additionalProperties: false },
);
export type LockBody = Static<typeof LockBody>;

export const LockResult = Type.Object({
  showDate: ShowDate,
  seatIds: Type.Array(SeatId),
  lockedBy: Uuid,
  expiresAt: IsoDate,
  standing: Type.Optional(StandingCounts),
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
  standing: Type.Optional(StandingCounts),
  standingReleased: Type.Optional(StandingCounts),
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
