import type { SeatState, StandingArea, StandingCounts, UnavailableSeat } from '../contract/index.ts';
import type { BoxofficeClient } from './client.ts';
import { BoxofficeError } from './errors.ts';
import type { LiveChange, LiveSeat, MyLock, ShowLive, Timers } from './show-live.ts';

/**
 * How a seat should be drawn in a seat picker:
 * - `available`: free to pick;
 * - `selected`: picked, not held yet because the user must sign in first (see `needsSignIn` notices);
 * - `pending`: picked or un-picked, the lock or release request is waiting for the batching window or on its way;
 * - `mine`: held by this user (as the server answered, before the socket confirms it, or as ShowLive says);
 * - `locked`: held by someone else; `booked`: sold; `blocked`: not for sale.
 */
export type PickLook = 'available' | 'selected' | 'pending' | 'mine' | 'locked' | 'booked' | 'blocked';

/** Every look, in the order a legend lists them. */
export const PICK_LOOKS: readonly PickLook[] = ['available', 'selected', 'pending', 'mine', 'locked', 'booked', 'blocked'];

/** A seat the user holds, with what the basket shows about it. Times are server-clock ms since epoch. */
export interface HeldSeat {
  seatId: string;
  zoneId: string;
  row: string;
  number: number;
  /** The zone's price for this show (THB, whole units), 0 if the zone is unknown. */
  price: number;
  expiresAt: string;
  msLeft: number;
}

/**
 * Something the user should be told, in words the UI picks (the picker never formats text).
 * - `limit`: a pick past `maxSeats` (counted locally, so quick clicks are refused one by one, or the server's
 *   LOCK_LIMIT_EXCEEDED): `seatIds` were not picked; `max` is the cap.
 * - `unavailable`: a click on a sold or blocked seat, or on one the live map shows held by someone else (`LOCKED`):
 *   answered locally, no request (the socket keeps the map current; a seat released meanwhile shows as free).
 * - `taken`: someone else was faster (409 SEAT_UNAVAILABLE, as `error`); `seats` lists them with their state now.
 * - `heldRest`: after `taken`, the seats that were still free were held (`seatIds`).
 * - `lost`: holds that ended without the user releasing them (time ran out, staff released them); a hold that
 *   became the user's order (the seat is BOOKED now) is not lost.
 * - `expiring`: the soonest hold ends within `warnBeforeMs` (once per hold deadline).
 * - `needsSignIn`: seats are picked but holding needs an account; call `resume()` after signing in. Asked once
 *   (at the first pick without an account, and again when the server answers UNAUTHENTICATED): later picks wait
 *   as `selected` without a notice, so the UI keeps its own "sign in to hold N seats" call to action (`picked()`).
 * - `offline`: a pick while live updates are not flowing (the map may be stale): refused.
 * - `error`: any other failure of a lock or release call (BoxofficeError: rate limit, network…).
 */
export type PickerNotice =
  | { kind: 'limit'; seatIds: string[]; max: number; error?: BoxofficeError }
  | { kind: 'unavailable'; seatId: string; status: SeatState }
  | { kind: 'taken'; seats: UnavailableSeat[]; error: BoxofficeError }
  | { kind: 'heldRest'; seatIds: string[] }
  | { kind: 'lost'; seatIds: string[] }
  | { kind: 'expiring'; seatIds: string[]; expiresAt: string; msLeft: number }
  | { kind: 'needsSignIn'; seatIds: string[] }
  | { kind: 'offline'; seatId: string }
  | { kind: 'standingUnavailable'; available: number; error: BoxofficeError }
  | { kind: 'error'; error: unknown; seatIds: string[] };

/** A standing (general admission) type the picker sells. */
export type StandingType = 'adult' | 'child';

/**
 * The standing places of a picker: what the user holds now (as the server answered), what they asked for (the
 * steppers' values, equal to `held` once settled), the area (capacity, places available now, prices) and the
 * soonest hold's end.
 */
export interface StandingPick {
  area: StandingArea | undefined;
  held: StandingCounts;
  wanted: StandingCounts;
  /** Basket lines of the held places: one per type, with the show's price per place (THB). */
  lines: { type: StandingType; quantity: number; price: number }[];
  expiresAt: string | undefined;
}

/** The parts of ShowLive the picker reads (its public interface; tests may pass a ShowLive on fakes). */
export type PickerLive = Pick<ShowLive, 'showDate' | 'seat' | 'myLocks' | 'zone' | 'onChange' | 'online' | 'resync'> & Partial<Pick<ShowLive, 'standing'>>;

export interface SeatPickerOptions {
  client: Pick<BoxofficeClient, 'lockSeats' | 'releaseSeats' | 'getToken'> & Partial<Pick<BoxofficeClient, 'serverNow'>>;
  live: PickerLive;
  /** Picks within this long of each other go to the server as one request (ms). Default 300. */
  batchMs?: number;
  /** How long the server's answer is trusted before ShowLive confirms it through the socket (ms). Default 3000. */
  optimisticMs?: number;
  /**
   * Most seats and standing places one user may hold: the server's MAX_SEATS_PER_USER, or BOX_OFFICE_MAX_SEATS for
   * staff picking for a counter sale (their holds are real holds, capped by it on the server; the sale
   * POST /api/v1/boxoffice/sales takes what the seller holds). Default 10.
   */
  maxSeats?: number;
  /** A second pick of the same seat within this long is taken as a double click and ignored (ms). Default 400. */
  doubleClickMs?: number;
  /** How long before the soonest hold ends the `expiring` notice comes (ms). Default 60 000. */
  warnBeforeMs?: number;
  /** Whether holding is possible (a signed-in user). Default: the client has a token. */
  signedIn?: () => boolean;
  /**
   * Whether picks are refused as offline. Default: ShowLive's socket is down. A browser app may prefer
   * `() => !navigator.onLine`, so a deliberate reconnection (after signing in) does not refuse clicks.
   */
  offline?: () => boolean;
  /** The server's clock (ms). Default `client.serverNow()`. */
  now?: () => number;
  timers?: Timers;
}

interface Optimistic {
  mine: boolean;
  expiresAt?: string;
  until: number;
}

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The seat-picking part of a booking page, without any UI: every frontend (the web app, the React, Vue and
 * Angular examples) draws `look(seatId)` and `held()` and calls `toggle(seatId)`.
 *
 * - Picks and un-picks within `batchMs` go out as one lock and one release request (releases first), one
 *   batch at a time, so a burst of clicks is one round trip and the server's order matches the user's.
 * - The server's answer shows at once (optimistic) until the socket event confirms it; a failure rolls back to
 *   what ShowLive says.
 * - Lock is all-or-nothing on the server: after 409 SEAT_UNAVAILABLE the seats that were still free are asked
 *   for once more (`taken`, then `heldRest`).
 * - At most `maxSeats` held or on their way: further picks are refused with a `limit` notice naming them.
 * - Holds that disappear without the user releasing them give a `lost` notice; a minute before the soonest
 *   hold ends, an `expiring` notice; countdowns use the server's clock (`msLeft()`).
 * - Without an account, picks wait as `selected` and a `needsSignIn` notice asks for one, once (closing the
 *   sign-in box leaves the buyer picking; later picks wait as `selected` too); `resume()` sends them all.
 * - A seat the live map shows held by someone else, sold or blocked is refused locally (`unavailable`), no request.
 */
export class SeatPicker {
  readonly showDate: string;
  readonly maxSeats: number;

  private readonly client: SeatPickerOptions['client'];
  private readonly live: PickerLive;
  private readonly batchMs: number;
  private readonly optimisticMs: number;
  private readonly doubleClickMs: number;
  private readonly warnBeforeMs: number;
  private readonly signedIn: () => boolean;
  private readonly offline: () => boolean;
  private readonly now: () => number;
  private readonly timers: Timers;

  /** Picked, waiting for the batching window. */
  private readonly toLock = new Set<string>();
  /** Un-picked, waiting for the batching window. */
  private readonly toRelease = new Set<string>();
  /** Picked without an account: waiting for sign-in. */
  private readonly waiting = new Set<string>();
  /** Sign-in was asked for (a needsSignIn notice went out) and the user has not signed in since: do not ask again. */
  private askedSignIn = false;
  /** In a request on its way. */
  private readonly inFlight = new Set<string>();
  /** The part of inFlight that is being locked. */
  private readonly locking = new Set<string>();
  private readonly optimistic = new Map<string, Optimistic>();
  /** Standing holds as the server made them, oldest first (a release gives back the newest first, as the server does). */
  private standingHolds: { type: StandingType; quantity: number; expiresAt: string }[] = [];
  /** The steppers' values; undefined for a type means "what is held". */
  private readonly standingWanted: Partial<Record<StandingType, number>> = {};
  /** Seats the user let go of: their disappearance is no `lost` hold. */
  private readonly releasedByMe = new Set<string>();
  private confirmedMine = new Set<string>();
  /** The seat toggled last while its double-click window runs (a local timer: the server's clock estimate can move between clicks). */
  private lastPick: string | undefined;
  private lastPickTimer: unknown;
  private batchTimer: unknown;
  private warnTimer: unknown;
  private warnedFor: string | undefined;
  private flushing: Promise<void> | undefined;
  private stopped = false;
  private readonly listeners = new Set<() => void>();
  private readonly noticeListeners = new Set<(notice: PickerNotice) => void>();
  private readonly offLive: () => void;

  constructor(opts: SeatPickerOptions) {
    this.client = opts.client;
    this.live = opts.live;
    this.showDate = opts.live.showDate;
    this.batchMs = opts.batchMs ?? 300;
    this.optimisticMs = opts.optimisticMs ?? 3_000;
    this.maxSeats = opts.maxSeats ?? 10;
    this.doubleClickMs = opts.doubleClickMs ?? 400;
    this.warnBeforeMs = opts.warnBeforeMs ?? 60_000;
    this.signedIn = opts.signedIn ?? (() => opts.client.getToken() !== undefined);
    this.offline = opts.offline ?? (() => !opts.live.online);
    this.now = opts.now ?? (opts.client.serverNow ? () => opts.client.serverNow!() : Date.now);
    this.timers = opts.timers ?? defaultTimers;
    this.confirmedMine = new Set(this.live.myLocks().map((l) => l.seatId));
    this.offLive = this.live.onChange((change) => this.onLiveChange(change));
    this.scheduleWarning();
  }

  /** Stops timers and listeners. Holds stay on the server (they run out by themselves). */
  stop(): void {
    this.stopped = true;
    this.offLive();
    for (const timer of [this.batchTimer, this.warnTimer, this.lastPickTimer]) if (timer !== undefined) this.timers.clearTimeout(timer);
    this.batchTimer = this.warnTimer = this.lastPickTimer = undefined;
    this.listeners.clear();
    this.noticeListeners.clear();
  }

  // ---- reading -------------------------------------------------------------------------------

  /** How to draw the seat now (undefined for an unknown seat). */
  look(seatId: string): PickLook | undefined {
    const seat = this.live.seat(seatId);
    if (!seat) return undefined;
    if (this.toLock.has(seatId) || this.toRelease.has(seatId) || this.inFlight.has(seatId)) return 'pending';
    if (this.waiting.has(seatId)) return 'selected';
    const guess = this.guess(seatId);
    if (guess && guess.mine !== seat.mine) return guess.mine ? 'mine' : lookOfState(seat.status === 'LOCKED' ? 'AVAILABLE' : seat.status);
    if (seat.mine) return 'mine';
    return lookOfState(seat.status);
  }

  /** Whether a click on the seat would do something (pick, un-pick); false for sold, blocked, someone else's and in-flight seats. */
  canToggle(seatId: string): boolean {
    const look = this.look(seatId);
    return look !== undefined && look !== 'booked' && look !== 'blocked' && look !== 'locked' && !this.inFlight.has(seatId);
  }

  /** The seats the user holds (server answers included before the socket confirms them), soonest to end first. */
  held(): HeldSeat[] {
    const now = this.now();
    const locks = new Map<string, string>();
    for (const l of this.live.myLocks()) locks.set(l.seatId, l.expiresAt);
    for (const [id, guess] of this.optimistic) {
      if (guess.until <= now) continue;
      if (guess.mine && guess.expiresAt) locks.set(id, guess.expiresAt);
      if (!guess.mine) locks.delete(id);
    }
    const held: HeldSeat[] = [];
    for (const [seatId, expiresAt] of locks) {
      const msLeft = Date.parse(expiresAt) - now;
      const seat = this.live.seat(seatId);
      if (msLeft <= 0 || !seat) continue;
      const price = this.live.zone(seat.zoneId)?.price ?? 0;
      held.push({ seatId, zoneId: seat.zoneId, row: seat.row, number: seat.number, price, expiresAt, msLeft });
    }
    return held.sort((a, b) => a.msLeft - b.msLeft || compareSeatIds(a.seatId, b.seatId));
  }

  /** Sum of the held seats' and standing places' prices. */
  total(): number {
    return this.held().reduce((sum, s) => sum + s.price, 0) + this.standing().lines.reduce((sum, l) => sum + l.quantity * l.price, 0);
  }

  /** Milliseconds until the soonest hold (seat or standing place) ends (server clock); undefined without holds. */
  msLeft(): number | undefined {
    const held = this.held();
    const ends = [...held.map((h) => h.msLeft), ...this.liveStandingHolds().map((h) => Date.parse(h.expiresAt) - this.now())];
    return ends.length > 0 ? Math.min(...ends) : undefined;
  }

  /** The standing places: held, asked for (the steppers), the area with places available now, basket lines. */
  standing(): StandingPick {
    const area = this.live.standing?.();
    const holds = this.liveStandingHolds();
    const held = { adult: 0, child: 0 };
    for (const h of holds) held[h.type] += h.quantity;
    const wanted = { adult: this.standingWanted.adult ?? held.adult, child: this.standingWanted.child ?? held.child };
    const lines = (['adult', 'child'] as const).filter((t) => held[t] > 0).map((type) => ({ type, quantity: held[type], price: area?.prices[type] ?? 0 }));
    const expiresAt = holds.map((h) => h.expiresAt).sort()[0];
    return { area, held, wanted, lines, expiresAt };
  }

  /**
   * Sets how many standing places of a type the user wants (the stepper's value, ≥ 0): the difference is held or
   * given back in the next batch, after the seats. Refused with a `limit` notice past `maxSeats` (seats and places
   * count alike) and with `offline` while offline. Returns false when refused.
   */
  setStanding(type: StandingType, quantity: number): boolean {
    if (this.stopped || !Number.isInteger(quantity) || quantity < 0) return false;
    const now = this.standing();
    const more = quantity - now.wanted[type];
    if (more > 0) {
      if (this.offline()) {
        this.notice({ kind: 'offline', seatId: 'standing' });
        return false;
      }
      if (this.count() + more > this.maxSeats) {
        this.notice({ kind: 'limit', seatIds: [], max: this.maxSeats });
        return false;
      }
    }
    this.standingWanted[type] = quantity;
    this.scheduleFlush();
    this.changed();
    return true;
  }

  /** Seats picked but not held yet (waiting for the window, on their way, or waiting for sign-in). */
  picked(): string[] {
    return [...new Set([...this.toLock, ...this.waiting, ...this.locking])];
  }

  /** True while nothing is waiting to be sent or on its way (e.g. before booking). */
  get settled(): boolean {
    return this.toLock.size === 0 && this.toRelease.size === 0 && this.inFlight.size === 0 && this.flushing === undefined && !this.standingDelta();
  }

  // ---- subscriptions -------------------------------------------------------------------------

  /** Called after anything look(), held() or picked() return may have changed. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onNotice(listener: (notice: PickerNotice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  // ---- actions -------------------------------------------------------------------------------

  /**
   * Picks a free seat, un-picks a picked one, or releases a held one. A seat the live map shows sold, blocked or
   * held by someone else is refused locally with an `unavailable` notice (no request: the socket keeps the map
   * current, so such a click would only earn a 409). Without an account, once sign-in was asked for, a pick waits
   * as `selected` at once. A repeat within `doubleClickMs` is ignored. Returns false when the click did nothing
   * (a notice says why).
   */
  toggle(seatId: string): boolean {
    if (this.stopped) return false;
    const look = this.look(seatId);
    if (look === undefined || this.inFlight.has(seatId)) return false;
    const repeat = this.lastPick === seatId;
    if (this.lastPickTimer !== undefined) this.timers.clearTimeout(this.lastPickTimer);
    this.lastPick = seatId;
    this.lastPickTimer = this.timers.setTimeout(() => {
      this.lastPick = this.lastPickTimer = undefined;
    }, this.doubleClickMs);
    if (repeat) return false;

    if (this.toLock.delete(seatId) || this.waiting.delete(seatId) || this.toRelease.delete(seatId)) {
      this.scheduleFlush();
      this.changed();
      return true;
    }
    if (look === 'booked' || look === 'blocked' || look === 'locked') {
      this.notice({ kind: 'unavailable', seatId, status: look === 'booked' ? 'BOOKED' : look === 'blocked' ? 'BLOCKED' : 'LOCKED' });
      return false;
    }
    if (look === 'mine') {
      this.toRelease.add(seatId);
      this.releasedByMe.add(seatId);
    } else {
      if (this.offline()) {
        this.notice({ kind: 'offline', seatId });
        return false;
      }
      if (this.count() >= this.maxSeats) {
        this.notice({ kind: 'limit', seatIds: [seatId], max: this.maxSeats });
        return false;
      }
      if (this.askedSignIn && !this.signedIn()) {
        // asked once already: keep the pick locally; the UI shows "sign in to hold N seats"
        this.waiting.add(seatId);
        this.changed();
        return true;
      }
      this.toLock.add(seatId);
    }
    this.scheduleFlush();
    this.changed();
    return true;
  }

  /** Releases these held seats (or un-picks them) in the next batch. */
  release(seatIds: string[]): void {
    for (const id of seatIds) {
      if (this.toLock.delete(id) || this.waiting.delete(id)) continue;
      if (this.look(id) === 'mine') {
        this.toRelease.add(id);
        this.releasedByMe.add(id);
      }
    }
    this.scheduleFlush();
    this.changed();
  }

  /** Releases every hold (seats and standing places) and forgets every pick, now. */
  releaseAll(): Promise<void> {
    this.toLock.clear();
    this.waiting.clear();
    this.standingWanted.adult = 0;
    this.standingWanted.child = 0;
    this.release(this.held().map((h) => h.seatId));
    return this.flush();
  }

  /** Sends what is waiting now instead of at the end of the batching window (e.g. right after signing in). */
  resume(): Promise<void> {
    if (this.signedIn()) this.askedSignIn = false;
    for (const id of this.waiting) this.toLock.add(id);
    this.waiting.clear();
    return this.flush();
  }

  /** Sends the waiting picks and un-picks now; resolves when they (and any batch before them) are answered. */
  async flush(): Promise<void> {
    if (this.batchTimer !== undefined) this.timers.clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    while (this.flushing) await this.flushing;
    if (this.stopped || (this.toLock.size === 0 && this.toRelease.size === 0 && !this.standingDelta())) return;
    this.flushing = this.send().finally(() => {
      this.flushing = undefined;
      this.changed(); // settled again
    });
    await this.flushing;
  }

  // ---- internals -----------------------------------------------------------------------------

  /** Held, on their way or waiting to be held, seats and standing places: what counts toward maxSeats. */
  private count(): number {
    const ids = new Set([...this.held().map((h) => h.seatId), ...this.toLock, ...this.waiting, ...this.locking]);
    for (const id of this.toRelease) ids.delete(id);
    const { wanted } = this.standing();
    return ids.size + wanted.adult + wanted.child;
  }

  /** Standing holds that have not ended (server clock). */
  private liveStandingHolds() {
    const now = this.now();
    return this.standingHolds.filter((h) => Date.parse(h.expiresAt) > now);
  }

  /** What the steppers ask for beyond (positive) or below (negative) what is held; undefined when nothing. */
  private standingDelta(): StandingCounts | undefined {
    const { held, wanted } = this.standing();
    const delta = { adult: wanted.adult - held.adult, child: wanted.child - held.child };
    return delta.adult !== 0 || delta.child !== 0 ? delta : undefined;
  }

  /** Holds or gives back the standing places the steppers changed: one release, then one lock. */
  private async sendStanding(): Promise<void> {
    const delta = this.standingDelta();
    if (!delta) return;
    const give = { adult: Math.max(0, -delta.adult), child: Math.max(0, -delta.child) };
    const take = { adult: Math.max(0, delta.adult), child: Math.max(0, delta.child) };
    if (give.adult + give.child > 0) {
      try {
        await this.client.releaseSeats({ showDate: this.showDate, seatIds: [], standing: give });
        for (const type of ['adult', 'child'] as const) {
          let left = give[type];
          for (let i = this.standingHolds.length - 1; i >= 0 && left > 0; i--) {
            const h = this.standingHolds[i];
            if (h.type !== type) continue;
            const n = Math.min(left, h.quantity);
            h.quantity -= n;
            left -= n;
          }
        }
        this.standingHolds = this.standingHolds.filter((h) => h.quantity > 0);
      } catch (err) {
        this.standingWanted.adult = this.standingWanted.child = undefined;
        this.notice({ kind: 'error', error: err, seatIds: [] });
      }
    }
    if (take.adult + take.child > 0) {
      if (!this.signedIn()) {
        this.standingWanted.adult = this.standingWanted.child = undefined;
        this.notice({ kind: 'needsSignIn', seatIds: [...this.waiting] });
        return;
      }
      try {
        const result = await this.client.lockSeats({ showDate: this.showDate, seatIds: [], standing: take });
        for (const type of ['adult', 'child'] as const) {
          if (take[type] > 0) this.standingHolds.push({ type, quantity: take[type], expiresAt: result.expiresAt });
        }
      } catch (err) {
        // what is held stays; the steppers go back to it
        this.standingWanted.adult = this.standingWanted.child = undefined;
        if (!(err instanceof BoxofficeError)) return this.notice({ kind: 'error', error: err, seatIds: [] });
        if (err.code === 'STANDING_UNAVAILABLE') {
          const available = (err.details as { available?: number } | undefined)?.available ?? 0;
          return this.notice({ kind: 'standingUnavailable', available, error: err });
        }
        if (err.code === 'LOCK_LIMIT_EXCEEDED') return this.notice({ kind: 'limit', seatIds: [], max: this.maxSeats, error: err });
        if (err.code === 'UNAUTHENTICATED') return this.notice({ kind: 'needsSignIn', seatIds: [...this.waiting] });
        this.notice({ kind: 'error', error: err, seatIds: [] });
      }
    }
    const held = this.standing().held;
    // settled: the steppers show what is held
    if (this.standingWanted.adult === held.adult) this.standingWanted.adult = undefined;
    if (this.standingWanted.child === held.child) this.standingWanted.child = undefined;
  }

  private scheduleFlush(): void {
    if (this.batchTimer !== undefined) this.timers.clearTimeout(this.batchTimer);
    this.batchTimer = this.timers.setTimeout(() => {
      this.batchTimer = undefined;
      void this.flush();
    }, this.batchMs);
  }

  private async send(): Promise<void> {
    const releases = [...this.toRelease];
    let locks = [...this.toLock];
    this.toRelease.clear();
    this.toLock.clear();
    if (locks.length > 0 && !this.signedIn()) {
      for (const id of locks) this.waiting.add(id);
      if (!this.askedSignIn) this.askSignIn();
      locks = [];
    }
    for (const id of [...releases, ...locks]) this.inFlight.add(id);
    for (const id of locks) this.locking.add(id);
    this.changed();
    try {
      if (releases.length > 0) await this.sendRelease(releases);
      if (locks.length > 0) await this.sendLock(locks, true);
      await this.sendStanding();
    } finally {
      for (const id of [...releases, ...locks]) this.inFlight.delete(id);
      for (const id of locks) this.locking.delete(id);
      this.scheduleWarning();
      this.changed();
    }
  }

  private async sendLock(seatIds: string[], retryRest: boolean): Promise<void> {
    try {
      const result = await this.client.lockSeats({ showDate: this.showDate, seatIds });
      const until = this.now() + this.optimisticMs;
      for (const id of result.seatIds) {
        this.releasedByMe.delete(id);
        this.optimistic.set(id, { mine: true, expiresAt: result.expiresAt, until });
      }
      if (!retryRest) this.notice({ kind: 'heldRest', seatIds: result.seatIds });
    } catch (err) {
      if (!(err instanceof BoxofficeError)) return this.notice({ kind: 'error', error: err, seatIds });
      if (err.code === 'UNAUTHENTICATED') {
        // the session ended: ask again (once), keeping the picks
        for (const id of seatIds) this.waiting.add(id);
        return this.askSignIn();
      }
      if (err.code === 'LOCK_LIMIT_EXCEEDED') return this.notice({ kind: 'limit', seatIds, max: this.maxSeats, error: err });
      if (err.code !== 'SEAT_UNAVAILABLE') return this.notice({ kind: 'error', error: err, seatIds });
      const taken = err.unavailableSeats;
      this.notice({ kind: 'taken', seats: taken, error: err });
      // The map was behind: catch up, so the taken seats show why.
      void this.live.resync();
      const rest = seatIds.filter((id) => !taken.some((u) => u.seatId === id));
      if (retryRest && rest.length > 0) await this.sendLock(rest, false);
    }
  }

  /** The one needsSignIn notice for the seats waiting now; later picks wait without asking again. */
  private askSignIn(): void {
    this.askedSignIn = true;
    this.notice({ kind: 'needsSignIn', seatIds: [...this.waiting] });
  }

  private async sendRelease(seatIds: string[]): Promise<void> {
    try {
      const result = await this.client.releaseSeats({ showDate: this.showDate, seatIds });
      const until = this.now() + this.optimisticMs;
      for (const id of result.released) this.optimistic.set(id, { mine: false, until });
    } catch (err) {
      for (const id of seatIds) this.releasedByMe.delete(id);
      this.notice({ kind: 'error', error: err, seatIds });
    }
  }

  /** The server's answer for a seat while the socket has not confirmed it (dropped once confirmed or stale). */
  private guess(seatId: string): Optimistic | undefined {
    const guess = this.optimistic.get(seatId);
    if (!guess) return undefined;
    const seat = this.live.seat(seatId);
    if (guess.until <= this.now() || (seat && seat.mine === guess.mine)) {
      this.optimistic.delete(seatId);
      return undefined;
    }
    return guess;
  }

  private onLiveChange(change: LiveChange): void {
    if (change.kind === 'connection' || change.kind === 'error') return this.changed();
    for (const id of [...this.optimistic.keys()]) this.guess(id); // drop the answers the map now confirms
    const mine = new Set(this.live.myLocks().map((l: MyLock) => l.seatId));
    const lost: string[] = [];
    for (const id of this.confirmedMine) {
      if (mine.has(id) || this.releasedByMe.has(id) || this.inFlight.has(id) || this.toRelease.has(id)) continue;
      if (this.optimistic.get(id)?.mine && this.guess(id)) continue; // locked again, the event is on its way
      // A held seat turns BOOKED only through an order of its holder (the server books locked seats for the
      // user who holds them): the hold became an order, it was not lost.
      if (this.live.seat(id)?.status === 'BOOKED') continue;
      lost.push(id);
    }
    for (const id of this.confirmedMine) if (!mine.has(id)) this.releasedByMe.delete(id);
    this.confirmedMine = mine;
    if (lost.length > 0) this.notice({ kind: 'lost', seatIds: lost.sort(compareSeatIds) });
    this.scheduleWarning();
    this.changed();
  }

  /** Arms the `expiring` notice for the soonest hold's deadline (once per deadline). */
  private scheduleWarning(): void {
    if (this.stopped) return;
    if (this.warnTimer !== undefined) this.timers.clearTimeout(this.warnTimer);
    this.warnTimer = undefined;
    const held = this.held();
    if (held.length === 0) return;
    const soonest = held[0];
    if (this.warnedFor === soonest.expiresAt) return;
    const fire = () => {
      this.warnTimer = undefined;
      const now = this.held().filter((h) => h.expiresAt === soonest.expiresAt);
      if (now.length === 0) return;
      this.warnedFor = soonest.expiresAt;
      this.notice({ kind: 'expiring', seatIds: now.map((h) => h.seatId), expiresAt: soonest.expiresAt, msLeft: now[0].msLeft });
    };
    const wait = soonest.msLeft - this.warnBeforeMs;
    if (wait <= 0) fire();
    else this.warnTimer = this.timers.setTimeout(fire, wait);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A failing listener must not stop the others.
      }
    }
  }

  private notice(notice: PickerNotice): void {
    for (const listener of [...this.noticeListeners]) {
      try {
        listener(notice);
      } catch {
        // A failing listener must not stop the others.
      }
    }
  }
}

function lookOfState(status: SeatState): PickLook {
  return status === 'AVAILABLE' ? 'available' : status === 'LOCKED' ? 'locked' : status === 'BOOKED' ? 'booked' : 'blocked';
}

/** Seat ids in numeric order where they are numbers ('9' before '10'). */
export function compareSeatIds(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}

export type { LiveSeat };
