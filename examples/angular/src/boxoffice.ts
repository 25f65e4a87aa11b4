/**
 * The framework-free part of the example: one SDK client, the error → UI decision, and small formatting helpers.
 * This file is the same in examples/react, examples/vue and examples/angular (a test checks it).
 */
import { BoxofficeError, createClient, type Lang, type LiveSeat, type Zone } from 'boxoffice/client';

// #region config
// Where the boxoffice server is. Set at build time (`VITE_BOXOFFICE_URL=https://tickets.example.com npm run build`);
// socket.io runs on the same port as the REST API unless your deployment routes it elsewhere.
const baseUrl = import.meta.env.VITE_BOXOFFICE_URL ?? 'http://localhost:3000';
const socketUrl = import.meta.env.VITE_BOXOFFICE_SOCKET_URL ?? baseUrl;
const TOKEN_KEY = 'boxoffice-example.token';

/** The one API client of the page. It keeps the token after sign-in; we also keep it across reloads. */
export const client = createClient({
  baseUrl,
  socketUrl,
  lang: navigator.language.toLowerCase().startsWith('th') ? 'th' : 'en',
  token: localStorage.getItem(TOKEN_KEY) ?? undefined,
  onTokenChange: (token) => (token ? localStorage.setItem(TOKEN_KEY, token) : localStorage.removeItem(TOKEN_KEY)),
});
// #endregion

// #region errors
/** What the screen should do about a failed call, besides showing `message`. */
export type ErrorAction =
  | 'sign-in' // the session is gone: show the sign-in form
  | 'refresh-seats' // the map was behind: drop the taken seats from the selection, reload the map
  | 'release-some' // the user holds the most seats allowed
  | 'retry' // nothing happened on the server: the same action may be tried again (the SDK already retried)
  | 'fix-input' // the form or the request is wrong: let the user correct it
  | 'reload-page' // the show or order is gone, or this app is out of date
  | 'none';

export interface UiError {
  code: string;
  message: string;
  action: ErrorAction;
  /** Seats another customer took first (SEAT_UNAVAILABLE). */
  seatIds: string[];
}

/** Turns anything an SDK call threw into a message in the user's language and the one thing to do next. */
export function toUiError(err: unknown, lang: Lang): UiError {
  if (!(err instanceof BoxofficeError)) {
    return { code: 'UNKNOWN', message: err instanceof Error ? err.message : String(err), action: 'none', seatIds: [] };
  }
  const ui = (action: ErrorAction, seatIds: string[] = []): UiError => ({ code: err.code, message: err.localized(lang), action, seatIds });
  switch (err.code) {
    case 'UNAUTHENTICATED':
      return ui('sign-in');
    case 'SEAT_UNAVAILABLE':
      return ui('refresh-seats', err.unavailableSeats.map((s) => s.seatId));
    case 'LOCK_LIMIT_EXCEEDED':
      return ui('release-some');
    case 'RATE_LIMITED':
    case 'SERVICE_UNAVAILABLE':
    case 'INTERNAL':
      return ui('retry');
    case 'VALIDATION_FAILED':
    case 'INVALID_CREDENTIALS':
    case 'EMAIL_TAKEN':
    case 'PAYLOAD_TOO_LARGE':
    case 'IDEMPOTENCY_KEY_REUSED':
    case 'PAYMENT_AMOUNT_MISMATCH':
      return ui('fix-input');
    case 'SHOW_NOT_FOUND':
    case 'SEAT_NOT_FOUND':
    case 'ORDER_NOT_FOUND':
    case 'NOT_FOUND':
    case 'SALES_CLOSED':
    case 'SHOW_EXISTS':
    case 'ORDER_NOT_CANCELLABLE':
    case 'ORDER_NOT_PAYABLE':
    case 'FORBIDDEN':
      return ui('reload-page');
    default: {
      // A new error code in the SDK makes this line fail to compile: decide what the UI does about it.
      const unhandled: never = err.code;
      return { code: String(unhandled), message: err.localized(lang), action: 'none', seatIds: [] };
    }
  }
}
// #endregion

/** How a seat is drawn: the server's state, plus the user's own picks and holds. */
export type SeatLook = 'available' | 'selected' | 'mine' | 'locked' | 'booked' | 'blocked';

export function seatLook(seat: LiveSeat, selected: ReadonlySet<string>): SeatLook {
  if (seat.mine) return 'mine';
  if (seat.status === 'AVAILABLE') return selected.has(seat.id) ? 'selected' : 'available';
  return seat.status === 'LOCKED' ? 'locked' : seat.status === 'BOOKED' ? 'booked' : 'blocked';
}

/** `m:ss` for a countdown. */
export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function formatPrice(amount: number, currency: string, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'th' ? 'th-TH' : 'en-GB', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
}

/** Seats grouped by zone (in the venue's zone order), by row and seat number: a simple, accessible grid of buttons. */
export function seatsByZone(seats: LiveSeat[], zones: Zone[]): { zone: Zone; seats: LiveSeat[] }[] {
  return zones.map((zone) => ({
    zone,
    seats: seats
      .filter((s) => s.zoneId === zone.id)
      .sort((a, b) => a.row.localeCompare(b.row, undefined, { numeric: true }) || a.number - b.number),
  }));
}
