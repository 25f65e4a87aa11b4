import type { SeatEvent, OrderStatusChangedEvent } from '../contract/events.ts';

/**
 * Where services hand events once their transaction has committed. The realtime gateway implements it;
 * services never emit before COMMIT, and a rolled-back operation publishes nothing.
 */
export interface EventBus {
  seat(events: SeatEvent[]): void;
  order(event: OrderStatusChangedEvent): void;
}
