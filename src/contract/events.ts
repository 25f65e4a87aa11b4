import { Type, type Static } from 'typebox';
import { ShowDate, SeatId, IsoDate, Uuid } from './common.ts';
import { OrderStatus } from './orders.ts';
import { PaymentStatus } from './payments.ts';

/** socket.io event names of the public contract. */
export const EVENTS = {
  seatLocked: 'seat-locked',
  seatReleased: 'seat-released',
  seatBooked: 'seat-booked',
  seatBlocked: 'seat-blocked',
  standingChanged: 'standing-changed',
  orderStatusChanged: 'order-status-changed',
  checkinCount: 'checkin-count',
  paymentStatusChanged: 'payment-status-changed',
  joinShow: 'join-show',
  leaveShow: 'leave-show',
} as const;

export const SeatLockedEvent = Type.Object({
  seatIds: Type.Array(SeatId),
  lockedBy: Uuid,
  expiresAt: IsoDate,
  showDate: ShowDate,
  seq: Type.Integer(),
});
export type SeatLockedEvent = Static<typeof SeatLockedEvent>;

export const ReleaseReason = Type.Union([Type.Literal('released'), Type.Literal('expired'), Type.Literal('cancelled'), Type.Literal('unblocked')]);
export type ReleaseReason = Static<typeof ReleaseReason>;

export const SeatReleasedEvent = Type.Object({
  seatIds: Type.Array(SeatId),
  lockedBy: Type.Union([Uuid, Type.Null()]),
  expiresAt: Type.Union([IsoDate, Type.Null()]),
  showDate: ShowDate,
  seq: Type.Integer(),
  reason: ReleaseReason,
});
export type SeatReleasedEvent = Static<typeof SeatReleasedEvent>;

export const SeatBookedEvent = Type.Object({ seatIds: Type.Array(SeatId), showDate: ShowDate, seq: Type.Integer() });
export type SeatBookedEvent = Static<typeof SeatBookedEvent>;

/** Staff took AVAILABLE seats of the show off sale (BLOCKED); unblocking them is a `seat-released` with reason `unblocked`. */
export const SeatBlockedEvent = Type.Object({ seatIds: Type.Array(SeatId), showDate: ShowDate, seq: Type.Integer() });
export type SeatBlockedEvent = Static<typeof SeatBlockedEvent>;

/** The show's standing (general admission) places available changed; numbered in the show's seat event `seq`. */
export const StandingChangedEvent = Type.Object({ showDate: ShowDate, available: Type.Integer({ minimum: 0 }), seq: Type.Integer() });
export type StandingChangedEvent = Static<typeof StandingChangedEvent>;

export const OrderStatusChangedEvent = Type.Object({
  orderId: Uuid,
  status: OrderStatus,
  timestamp: IsoDate,
  userId: Uuid,
  showDate: ShowDate,
});
export type OrderStatusChangedEvent = Static<typeof OrderStatusChangedEvent>;

export const CheckinCountEvent = Type.Object({
  showDate: ShowDate,
  admitted: Type.Integer({ description: 'Tickets of the show checked in so far' }),
  total: Type.Integer({ description: 'Tickets of the show that can get in (issued, not revoked)' }),
});
export type CheckinCountEvent = Static<typeof CheckinCountEvent>;
export const PaymentStatusChangedEvent = Type.Object({
  orderId: Uuid,
  paymentId: Uuid,
  status: PaymentStatus,
  timestamp: IsoDate,
  userId: Uuid,
});
export type PaymentStatusChangedEvent = Static<typeof PaymentStatusChangedEvent>;

export const JoinShowPayload = Type.Object({ showDate: ShowDate }, { additionalProperties: false });
export type JoinShowPayload = Static<typeof JoinShowPayload>;
export const JoinShowAck = Type.Object({ showDate: ShowDate, seq: Type.Integer() });
export type JoinShowAck = Static<typeof JoinShowAck>;

export type SeatEvent =
  | ({ type: 'seat-locked' } & SeatLockedEvent)
  | ({ type: 'seat-released' } & SeatReleasedEvent)
  | ({ type: 'seat-booked' } & SeatBookedEvent)
  | ({ type: 'seat-blocked' } & SeatBlockedEvent)
  | ({ type: 'standing-changed' } & StandingChangedEvent);

export interface ServerToClientEvents {
  'seat-locked': (e: SeatLockedEvent) => void;
  'seat-released': (e: SeatReleasedEvent) => void;
  'seat-booked': (e: SeatBookedEvent) => void;
  'seat-blocked': (e: SeatBlockedEvent) => void;
  'standing-changed': (e: StandingChangedEvent) => void;
  'order-status-changed': (e: OrderStatusChangedEvent) => void;
  'checkin-count': (e: CheckinCountEvent) => void;
  'payment-status-changed': (e: PaymentStatusChangedEvent) => void;
}
