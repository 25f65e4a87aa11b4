/**
 * boxoffice client SDK: `import { createClient, ShowLive, connectSocket } from 'boxoffice/client'`.
 * Works in browsers and Node 20+. Types come from the shared contract in src/contract.
 */
export { BoxofficeClient, createClient, randomUuid, type CallOptions, type ClientOptions, type ShowsPageQuery } from './client.ts';
export { BoxofficeError, type Lang } from './errors.ts';
export { DEFAULT_RETRY, backoffDelay, parseRetryAfter, type RetryPolicy } from './http.ts';
export { connectSocket, type BoxofficeSocket, type LiveSocket } from './socket.ts';
export {
  SeatPicker,
  PICK_LOOKS,
  compareSeatIds,
  type HeldSeat,
  type PickLook,
  type PickerLive,
  type PickerNotice,
  type SeatPickerOptions,
  type StandingPick,
  type StandingType,
} from './seat-picker.ts';
export { ShowLive, type LiveChange, type LiveChangeKind, type LiveSeat, type MyLock, type ShowLiveOptions, type Timers } from './show-live.ts';
export type {
  AuditEntry,
  AuditPage,
  CounterQr,
  CounterSettings,
  AuthResult,
  Admission,
  CheckinCount,
  CheckinCountEvent,
  CheckinResult,
  CheckinResultCode,
  CheckinTicket,
  Manifest,
  ManifestTicket,
  Ticket,
  TicketStatus,
  UserList,
  DaySheet,
  Referrer,
  ReferrerReport,
  Refund,
  ShowReport,
  ErrorCode,
  Health,
  Order,
  OrderList,
  OrderStatus,
  OrderStatusChangedEvent,
  OnlineMethod,
  Payment,
  PaymentMethods,
  PaymentStatusChangedEvent,
  RefundQueue,
  Slip,
  SeatMap,
  SeatState,
  SeatView,
  Show,
  ShowList,
  ShowState,
  ShowStateSeat,
  StaticLayout,
  Stats,
  UnavailableSeat,
  User,
  Zone,
} from '../contract/index.ts';
