/**
 * The framework-free part of the example: one SDK client, the error → UI decision, and small formatting helpers.
 * This file is the same in examples/react, examples/vue and examples/angular (a test checks it).
 */
import { BoxofficeError, createClient, type Lang, type LiveSeat, type PickerNotice, type Zone } from 'boxoffice/client';

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
  | 'refresh-seats' // the map was behind: the taken seats are named; SeatPicker reloads the map itself
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
    case 'STANDING_UNAVAILABLE':
      // fewer standing places left than asked for: the live count shows how many there are
      return ui('refresh-seats');
    case 'LOCK_LIMIT_EXCEEDED':
      return ui('release-some');
    case 'RATE_LIMITED':
    case 'SERVICE_UNAVAILABLE':
    case 'PAYMENT_PROVIDER_UNAVAILABLE':
    case 'INTERNAL':
      return ui('retry');
    case 'VALIDATION_FAILED':
    case 'INVALID_CREDENTIALS':
    case 'EMAIL_TAKEN':
    case 'PAYLOAD_TOO_LARGE':
    case 'IDEMPOTENCY_KEY_REUSED':
    case 'PAYMENT_AMOUNT_MISMATCH':
    case 'SHOW_IN_PAST':
    case 'NO_ADJACENT_SEATS':
    case 'REFERRER_NOT_FOUND':
    case 'PAYMENT_METHOD_UNAVAILABLE':
    case 'SLIP_INVALID':
    case 'REFUND_EXCEEDS_PAID':
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
    case 'PAYMENT_NOT_FOUND':
    case 'ORDER_NOT_PAID':
    case 'TICKET_NOT_FOUND':
    case 'SLIP_NOT_FOUND':
    case 'USER_NOT_FOUND':
      return ui('reload-page');
    default: {
      // A new error code in the SDK makes this line fail to compile: decide what the UI does about it.
      const unhandled: never = err.code;
      return { code: String(unhandled), message: err.localized(lang), action: 'none', seatIds: [] };
    }
  }
}
// #endregion

// #region notices
/**
 * What the SDK's SeatPicker tells the user, as the same UiError (message + next action). Server errors keep the
 * server's words in the user's language; the picker's own refusals get a sentence here.
 */
export function noticeToUiError(notice: PickerNotice, lang: Lang): UiError | undefined {
  const info = (code: string, message: string, action: ErrorAction = 'none', seatIds: string[] = []): UiError => ({ code, message, action, seatIds });
  switch (notice.kind) {
    case 'taken': // someone else was faster; the picker already reloaded the map and asked again for the rest
    case 'error':
      return toUiError(notice.error, lang);
    case 'limit':
      return notice.error
        ? toUiError(notice.error, lang)
        : info('LOCK_LIMIT_EXCEEDED', `You can hold up to ${notice.max} seats at a time: seat ${notice.seatIds.join(', ')} was not picked.`, 'release-some', notice.seatIds);
    case 'unavailable':
      return info('SEAT_UNAVAILABLE', `Seat ${notice.seatId} is ${notice.status === 'BOOKED' ? 'sold' : 'not for sale'}.`, 'none', [notice.seatId]);
    case 'lost':
      return info('HOLD_LOST', `Your hold on seat ${notice.seatIds.join(', ')} ran out.`, 'none', notice.seatIds);
    case 'expiring':
      return info('HOLD_EXPIRING', `Your hold ends in ${formatCountdown(notice.msLeft)}: order now to keep the seats.`);
    case 'offline':
      return info('OFFLINE', 'You are offline: seats can be picked again when the connection is back.', 'retry');
    case 'needsSignIn':
      return info('UNAUTHENTICATED', 'Sign in to hold seats.', 'sign-in', notice.seatIds);
    case 'heldRest':
      return undefined; // the seats show as held; the `taken` message already said which were not
  }
}
// #endregion

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
