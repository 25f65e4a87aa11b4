import { Type, type Static } from 'typebox';
import { ShowDate, SeatId, IsoDate, Uuid, ReferrerCode, SafeText, Instant } from './common.ts';
import { PaymentMethod } from './payments.ts';
import { StandingRequest } from './seats.ts';

// ---- audit log ---------------------------------------------------------------------------------

export const AuditEntry = Type.Object({
  id: Type.String({ description: 'Increasing number of the entry (text: it can exceed 2^53)' }),
  at: IsoDate,
  actorId: Type.Optional(Uuid),
  actorRole: Type.String({ example: 'staff' }),
  actorEmail: Type.Optional(Type.String()),
  action: Type.String({ example: 'order.refund', description: 'What was done, `<entity>.<verb>`' }),
  entityType: Type.String({ example: 'order' }),
  entityId: Type.String(),
  before: Type.Optional(Type.Unknown({ description: 'The entity before the action (absent when it did not exist)' })),
  after: Type.Optional(Type.Unknown({ description: 'The entity after the action' })),
  requestId: Type.Optional(Type.String({ description: 'The HTTP request that did it (x-request-id), to match the server log' })),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditQuery = Type.Object(
  {
    entityType: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "The entity's id; an order's 8-character code finds that order's entries too" })),
    actorId: Type.Optional(Uuid),
    actorEmail: Type.Optional(Type.String({ format: 'email', maxLength: 254, description: 'Entries by the user with this email (any case)' })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    from: Type.Optional(Instant({ description: 'Entries at or after this instant' })),
    to: Type.Optional(Instant({ description: 'Entries before this instant' })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$', description: '`nextCursor` of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditPage = Type.Object({
  items: Type.Array(AuditEntry, { description: 'Newest first' }),
  nextCursor: Type.Optional(Type.String({ description: 'Pass as `cursor` for the next (older) page; absent on the last page' })),
});
export type AuditPage = Static<typeof AuditPage>;

// ---- referrers ---------------------------------------------------------------------------------


export const Referrer = Type.Object({
  code: Type.String(),
  name: Type.String(),
  commissionPerTicket: Type.Integer({ description: 'THB per ticket sold through the code' }),
  createdAt: IsoDate,
});
export type Referrer = Static<typeof Referrer>;

export const CreateReferrerBody = Type.Object(
  { code: ReferrerCode, name: SafeText({ maxLength: 200, trim: true }), commissionPerTicket: Type.Integer({ minimum: 0, maximum: 1_000_000 }) },
  { additionalProperties: false },
);
export type CreateReferrerBody = Static<typeof CreateReferrerBody>;

export const ReferrerResult = Type.Object({ referrer: Referrer });
export const ReferrerList = Type.Object({ items: Type.Array(Referrer) });
export type ReferrerList = Static<typeof ReferrerList>;

// ---- counter sales -----------------------------------------------------------------------------

export const BoxOfficeSaleBody = Type.Object(
  {
    showDate: ShowDate,
    seatIds: Type.Optional(Type.Array(SeatId, { maxItems: 200, uniqueItems: true })),
    standing: Type.Optional(StandingRequest),
    customerName: Type.Optional(SafeText({ maxLength: 100, trim: true })),
    customerPhone: Type.Optional(Type.String({ minLength: 3, maxLength: 32, pattern: '^[0-9+() -]+$' })),
    customerEmail: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    referrerCode: Type.Optional(ReferrerCode),
    payment: Type.Object(
      {
        method: PaymentMethod,
        amount: Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'Must equal the total (THB)' }),
        reference: Type.Optional(SafeText({ maxLength: 100, trim: true })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type BoxOfficeSaleBody = Static<typeof BoxOfficeSaleBody>;

// ---- reports -----------------------------------------------------------------------------------

export const ZoneReport = Type.Object({
  zoneId: Type.String(),
  name: Type.String(),
  capacity: Type.Integer(),
  sold: Type.Integer({ description: 'In PAID orders' }),
  reserved: Type.Integer({ description: 'In PENDING orders (booked, not paid yet)' }),
  held: Type.Integer({ description: 'Locked by someone, lock not expired' }),
  blocked: Type.Integer(),
  available: Type.Integer({ description: 'Free to sell now (an expired lock counts as available)' }),
  revenue: Type.Integer({ description: 'Price of the sold seats, THB' }),
});

export const MoneyByMethod = Type.Object({ method: Type.String(), count: Type.Integer(), amount: Type.Integer() });

export const ShowReport = Type.Object({
  showDate: ShowDate,
  generatedAt: IsoDate,
  currency: Type.String(),
  zones: Type.Array(ZoneReport),
  standing: Type.Optional(
    Type.Object(
      {
        capacity: Type.Integer(),
        sold: Type.Object({ adult: Type.Integer(), child: Type.Integer() }, { description: 'Places in PAID orders, per type' }),
        reserved: Type.Integer({ description: 'Places in PENDING orders' }),
        held: Type.Integer({ description: 'Places in holds that have not expired' }),
        available: Type.Integer({ description: 'Free to sell now (an expired hold counts as available)' }),
        revenue: Type.Integer({ description: 'Price of the sold places, THB' }),
      },
      { description: 'The standing (general admission) area; absent when the venue has none' },
    ),
  ),
  totals: Type.Object({
    capacity: Type.Integer(),
    sold: Type.Integer(),
    reserved: Type.Integer(),
    held: Type.Integer(),
    blocked: Type.Integer(),
    available: Type.Integer(),
  }),
  orders: Type.Object({ pending: Type.Integer(), paid: Type.Integer(), cancelled: Type.Integer() }),
  channels: Type.Array(Type.Object({ channel: Type.String(), orders: Type.Integer(), tickets: Type.Integer() })),
  payments: Type.Array(MoneyByMethod, { description: 'Money taken for the show per payment method' }),
  refunds: Type.Array(MoneyByMethod, { description: 'Money given back (refunds not FAILED) per method' }),
  revenue: Type.Object({ paid: Type.Integer(), refunded: Type.Integer(), net: Type.Integer(), refundDue: Type.Integer() }),
  checkedIn: Type.Object(
    { admitted: Type.Integer({ description: 'Tickets checked in at the door' }), tickets: Type.Integer({ description: 'Valid tickets of the show (admitted or not)' }) },
    { description: 'Door check-ins so far' },
  ),
});
export type ShowReport = Static<typeof ShowReport>;

export const DaySheetQuery = Type.Object(
  { date: ShowDate, staffId: Type.Optional(Uuid) },
  { additionalProperties: false },
);
export type DaySheetQuery = Static<typeof DaySheetQuery>;

export const DaySheetLine = Type.Object({
  staffId: Uuid,
  staffName: Type.String(),
  staffEmail: Type.String(),
  method: Type.String(),
  paymentsCount: Type.Integer(),
  paymentsAmount: Type.Integer(),
  refundsCount: Type.Integer(),
  refundsAmount: Type.Integer(),
  net: Type.Integer({ description: 'payments − refunds: what this person\'s drawer should hold for this method' }),
});

export const DaySheet = Type.Object({
  date: ShowDate,
  timeZone: Type.String(),
  from: IsoDate,
  to: IsoDate,
  currency: Type.String(),
  lines: Type.Array(DaySheetLine),
  totals: Type.Array(MoneyByMethod, { description: 'Net per method over everyone listed' }),
});
export type DaySheet = Static<typeof DaySheet>;

export const PeriodQuery = Type.Object(
  { from: ShowDate, to: ShowDate },
  { additionalProperties: false },
);
export type PeriodQuery = Static<typeof PeriodQuery>;

export const ReferrerReport = Type.Object({
  from: ShowDate,
  to: ShowDate,
  currency: Type.String(),
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      orders: Type.Integer(),
      tickets: Type.Integer(),
      revenue: Type.Integer(),
      commission: Type.Integer(),
    }),
  ),
});
export type ReferrerReport = Static<typeof ReferrerReport>;

export const ExportQuery = Type.Object({ showDate: ShowDate }, { additionalProperties: false });

// ---- the counter page --------------------------------------------------------------------------

export const CounterSettings = Type.Object({
  maxSeats: Type.Integer({ description: 'BOX_OFFICE_MAX_SEATS: most items in one counter sale' }),
  promptpay: Type.Boolean({ description: 'Whether the counter can show a PromptPay QR (PROMPTPAY_ID is set, or the demo id outside production)' }),
  timeZone: Type.String({ description: "TZ_VENUE: the venue's time zone, whose calendar day is 'today' on the staff pages (day sheet, reports)", example: 'Asia/Bangkok' }),
});
export type CounterSettings = Static<typeof CounterSettings>;

export const CounterQrQuery = Type.Object(
  { amount: Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'THB, the sale\'s total' }) },
  { additionalProperties: false },
);
export type CounterQrQuery = Static<typeof CounterQrQuery>;

export const CounterQr = Type.Object({
  amount: Type.Integer(),
  payload: Type.String({ description: 'EMVCo merchant-presented payload (what the QR encodes)' }),
  qrSvg: Type.String({ description: 'The QR as an SVG document' }),
});
export type CounterQr = Static<typeof CounterQr>;
