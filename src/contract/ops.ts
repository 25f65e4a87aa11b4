import { Type, type Static } from 'typebox';
import { ShowDate } from './common.ts';
import { SeatCounts } from './catalog.ts';

const Check = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('down'), Type.Literal('disabled')]),
  latencyMs: Type.Optional(Type.Number()),
});

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  checks: Type.Object({
    database: Check,
    redis: Type.Optional(Check),
    realtime: Type.Object({ status: Type.Literal('ok'), connections: Type.Integer() }),
  }),
  uptimeS: Type.Number(),
  version: Type.String(),
});
export type Health = Static<typeof Health>;

export const Stats = Type.Object({
  shows: Type.Array(Type.Object({ showDate: ShowDate, seq: Type.Integer(), counts: SeatCounts })),
  orders: Type.Object({ PENDING: Type.Integer(), PAID: Type.Integer(), CANCELLED: Type.Integer() }),
  activeLocks: Type.Integer(),
  lockConflicts: Type.Integer({ description: 'Lock requests answered 409 SEAT_UNAVAILABLE, all instances' }),
  locksExpired: Type.Integer({ description: 'Expired locks released by the sweeper, all instances' }),
  ordersExpired: Type.Integer({ description: 'PENDING orders cancelled for non-payment, all instances' }),
  socketConnections: Type.Integer({ description: 'Sockets connected to this instance' }),
  mail: Type.Object(
    { pending: Type.Integer(), sent: Type.Integer(), failed: Type.Integer() },
    { description: 'Mail outbox: waiting (or retrying with backoff), sent, given up after repeated failures (see last_error in the outbox table)' },
  ),
  generatedAt: Type.String({ format: 'date-time' }),
});
export type Stats = Static<typeof Stats>;

export const CleanupResult = Type.Object({ releasedLocks: Type.Integer(), expiredOrders: Type.Integer() });
export type CleanupResult = Static<typeof CleanupResult>;
