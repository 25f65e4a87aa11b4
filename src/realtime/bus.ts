import type { SeatEvent, OrderStatusChangedEvent, CheckinCountEvent, PaymentStatusChangedEvent } from '../contract/events.ts';

/**
 * Where services hand events once their transaction has committed. The realtime gateway implements it;
 * services never emit before COMMIT, and a rolled-back operation publishes nothing.
 */
export interface EventBus {
  seat(events: SeatEvent[]): void;
  order(event: OrderStatusChangedEvent): void;
  /** A show's admitted/total changed (a check-in): staff and door sockets. */
  checkinCount(event: CheckinCountEvent): void;
  /** A payment changed state: the order's owner and staff sockets. */
  payment(event: PaymentStatusChangedEvent): void;
}
