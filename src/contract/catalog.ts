import { Type, type Static } from 'typebox';
import { ShowDate, SeatId, SeatState, IsoDate, Uuid, SafeText, Instant } from './common.ts';

export const SeatCounts = Type.Object({
  available: Type.Integer(),
  locked: Type.Integer(),
  booked: Type.Integer(),
  blocked: Type.Integer(),
});
export type SeatCounts = Static<typeof SeatCounts>;

export const ShowStatus = Type.Union([Type.Literal('ON_SALE'), Type.Literal('CLOSED'), Type.Literal('CANCELLED')], {
  description: 'CLOSED: an admin stopped sales (reopenable). CANCELLED: final; its orders were cancelled. Past `salesCloseAt` an ON_SALE show sells nothing either (see `salesOpen`).',
});
export type ShowStatus = Static<typeof ShowStatus>;

/** What a price can be set for: a zone id, or a standing (general admission) ticket type. */
export const PriceKey = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'A zone id, `standing-adult` or `standing-child`' });

/** Effective prices of a show, THB: every zone id and standing type, the show's override or else the venue's price. */
export const ShowPrices = Type.Record(PriceKey, Type.Integer({ minimum: 0 }), {
  description: 'THB per seat of each zone and per standing place (`standing-adult`, `standing-child`): the show\'s own price where one is set, else the venue\'s',
  example: { left: 1800, 'front-ringside': 1800, 'standing-adult': 1500, 'standing-child': 1200 },
});
export type ShowPrices = Static<typeof ShowPrices>;

export const Show = Type.Object({
  showDate: ShowDate,
  title: Type.String(),
  status: ShowStatus,
  salesOpen: Type.Boolean({ description: '`status` is ON_SALE and now is before `salesCloseAt`: locks and orders are accepted' }),
  startsAt: IsoDate,
  salesCloseAt: IsoDate,
  prices: ShowPrices,
  priceOverrides: Type.Record(PriceKey, Type.Integer({ minimum: 0 }), { description: 'The prices set for this show only (a subset of `prices`)' }),
  cancelledAt: Type.Optional(IsoDate),
  cancelReason: Type.Optional(Type.String()),
  counts: SeatCounts,
});
export type Show = Static<typeof Show>;

export const ShowList = Type.Object({
  items: Type.Array(Show),
  nextCursor: Type.Optional(
    Type.String({ description: 'Present when more shows follow: pass it as `cursor` for the next page. Absent on the last page.', example: '2026-12-24' }),
  ),
});
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
  blockReason: Type.Optional(Type.String({ description: 'Why staff blocked the seat for this show' })),
});
export type SeatView = Static<typeof SeatView>;

/** The show's standing (general admission) area (API.md v2 "Standing"); absent when the venue has none. */
export const StandingArea = Type.Object({
  id: Type.Literal('standing'),
  name: Type.Object({ en: Type.String(), th: Type.String() }),
  capacity: Type.Integer({ minimum: 0 }),
  available: Type.Integer({ minimum: 0, description: 'Places anyone may take now (holds that expired count as free)' }),
  prices: Type.Object({ adult: Type.Integer(), child: Type.Integer() }, { description: "THB per place: the show's price" }),
});
export type StandingArea = Static<typeof StandingArea>;
/** The venue drawn: its name(s), the drawing's size and the ring (or stage) in the middle, in seat-map units. */
export const VenueDrawing = Type.Object({
  name: Type.String({ description: "The venue's name (in English where the venue file gives both)", example: 'Demo Muay Thai Stadium' }),
  names: Type.Optional(
    Type.Object({ en: Type.String(), th: Type.String() }, { description: 'Both names, like a zone\'s `names`; present when the venue file gives a Thai name', example: { en: 'Demo Muay Thai Stadium', th: 'เวทีมวยไทยสาธิต' } }),
  ),
  width: Type.Number(),
  height: Type.Number(),
  ring: Type.Object({ x: Type.Number(), y: Type.Number(), size: Type.Number() }),
});

export const SeatMap = Type.Object({
  showDate: ShowDate,
  seq: Type.Integer({ description: 'Realtime sequence number of the show when this snapshot was taken' }),
  venue: VenueDrawing,
  zones: Type.Array(Zone),
  seats: Type.Array(SeatView),
  standing: Type.Optional(StandingArea),
});
export type SeatMap = Static<typeof SeatMap>;

/** General admission of the venue in the static layout: one area per show, sold by count. */
export const LayoutStanding = Type.Object({
  name: Type.Object({ en: Type.String(), th: Type.String() }),
  capacity: Type.Integer(),
  prices: Type.Object({ adult: Type.Integer(), child: Type.Integer() }, { description: "The venue's prices, THB (the show's are in its state)" }),
});

export const StaticLayout = Type.Object({
  venue: VenueDrawing,
  zones: Type.Array(
    Type.Object({
      id: Type.String({ example: 'left' }),
      name: Type.Object({ en: Type.String(), th: Type.String() }),
      ticketType: Type.String({ example: 'STADIUM' }),
      price: Type.Integer({ description: "The venue's price, THB (a show may set its own: the show's state has `prices`)" }),
      currency: Type.String({ example: 'THB' }),
    }),
  ),
  seats: Type.Array(Type.Object({ id: SeatId, zoneId: Type.String(), row: Type.String(), number: Type.Integer(), x: Type.Number(), y: Type.Number() })),
  standing: Type.Union([LayoutStanding, Type.Null()], { description: 'null when the venue sells no standing places' }),
});
export type StaticLayout = Static<typeof StaticLayout>;

export const ShowStateSeat = Type.Object({
  id: SeatId,
  status: Type.Union([Type.Literal('LOCKED'), Type.Literal('BOOKED'), Type.Literal('BLOCKED')]),
  expiresAt: Type.Optional(IsoDate),
  lockedBy: Type.Optional(Uuid),
  blockReason: Type.Optional(Type.String()),
});
export type ShowStateSeat = Static<typeof ShowStateSeat>;

export const ShowState = Type.Object({
  showDate: ShowDate,
  seq: Type.Integer({ description: 'Realtime sequence number of the show when this state was read: apply only events with a higher seq' }),
  prices: ShowPrices,
  seats: Type.Array(ShowStateSeat, { description: 'Only the seats that are not AVAILABLE (a hold past its expiry counts as AVAILABLE); every other seat of the layout is AVAILABLE' }),
  standing: Type.Optional(StandingArea),
});
export type ShowState = Static<typeof ShowState>;

export const ShowParams = Type.Object({ showDate: ShowDate });
export type ShowParams = Static<typeof ShowParams>;

const MAX_PRICE = 10_000_000;

/** Price overrides in a request: THB per zone id or standing type. */
export const PriceOverrides = Type.Record(PriceKey, Type.Integer({ minimum: 0, maximum: MAX_PRICE }), {
  additionalProperties: false,
  maxProperties: 64,
  description: 'THB for this show only, per zone id and `standing-adult` / `standing-child`; an unknown zone is 404 NOT_FOUND',
  example: { 'front-ringside': 2500, 'standing-adult': 1700 },
});
export type PriceOverrides = Static<typeof PriceOverrides>;

export const ShowTitle = SafeText({ maxLength: 200, trim: true });

export const CreateShowBody = Type.Object(
  {
    showDate: ShowDate,
    title: Type.Optional(ShowTitle),
    startsAt: Type.Optional(Instant({ description: 'Default: SHOW_START_TIME (21:00) on showDate in the venue time zone' })),
    salesCloseAt: Type.Optional(Instant({ description: 'Default: startsAt + SALES_CLOSE_AFTER_START_MIN (60 min)' })),
    prices: Type.Optional(PriceOverrides),
  },
  { additionalProperties: false },
);
export type CreateShowBody = Static<typeof CreateShowBody>;

export const CreateShowResult = Type.Object({ show: Show });

export const UpdateShowBody = Type.Object(
  {
    title: Type.Optional(ShowTitle),
    startsAt: Type.Optional(Instant({ description: 'Moving the start moves `salesCloseAt` by as much, unless it is given too' })),
    salesCloseAt: Type.Optional(Instant()),
    status: Type.Optional(Type.Union([Type.Literal('ON_SALE'), Type.Literal('CLOSED')], { description: 'CLOSED stops sales; ON_SALE reopens them' })),
    prices: Type.Optional(
      Type.Record(PriceKey, Type.Union([Type.Integer({ minimum: 0, maximum: MAX_PRICE }), Type.Null()]), {
        additionalProperties: false,
        maxProperties: 64,
        description: 'Merged into the show\'s prices; `null` removes an override (back to the venue price). New orders only: order lines keep the price they were sold at.',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateShowBody = Static<typeof UpdateShowBody>;

export const CancelShowBody = Type.Object(
  { reason: SafeText({ maxLength: 500, trim: true, description: 'Told to the buyers and kept on the cancelled orders' }) },
  { additionalProperties: false },
);
export type CancelShowBody = Static<typeof CancelShowBody>;

export const CancelShowResult = Type.Object({
  show: Show,
  ordersCancelled: Type.Integer({ description: 'PENDING and PAID orders cancelled by this call (PAID ones are due a refund)' }),
});
export type CancelShowResult = Static<typeof CancelShowResult>;

export const BlockSeatsBody = Type.Object(
  {
    seatIds: Type.Array(SeatId, { minItems: 1, maxItems: 400, uniqueItems: true }),
    reason: SafeText({ maxLength: 200, trim: true, example: 'broken', description: 'Why the seats are off sale (shown on the seat map)' }),
  },
  { additionalProperties: false },
);
export type BlockSeatsBody = Static<typeof BlockSeatsBody>;

export const UnblockSeatsBody = Type.Object(
  { seatIds: Type.Array(SeatId, { minItems: 1, maxItems: 400, uniqueItems: true }) },
  { additionalProperties: false },
);
export type UnblockSeatsBody = Static<typeof UnblockSeatsBody>;

export const BlockSeatsResult = Type.Object({ showDate: ShowDate, seatIds: Type.Array(SeatId) });
export type BlockSeatsResult = Static<typeof BlockSeatsResult>;

/** Shows per page of `GET /api/v1/shows` unless `limit` says otherwise. */
export const SHOWS_PAGE_DEFAULT = 50;

export const ListShowsQuery = Type.Object(
  {
    includePast: Type.Optional(Type.Boolean({ description: 'Also nights that are over (before today in the venue time zone, sales closed)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: SHOWS_PAGE_DEFAULT, description: 'Shows per page' })),
    cursor: Type.Optional(
      Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'The `nextCursor` of the previous page: the page starts after it', example: '2026-12-24' }),
    ),
  },
  { additionalProperties: false },
);
export type ListShowsQuery = Static<typeof ListShowsQuery>;
