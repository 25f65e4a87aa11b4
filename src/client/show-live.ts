import type {
  JoinShowAck,
  OrderStatusChangedEvent,
  SeatBlockedEvent,
  SeatBookedEvent,
  SeatLockedEvent,
  SeatMap,
  SeatReleasedEvent,
  SeatView,
  StandingArea,
  StandingChangedEvent,
  ShowState,
  StaticLayout,
  Zone,
} from '../contract/index.ts';
import type { BoxofficeClient } from './client.ts';
import type { LiveSocket } from './socket.ts';

/** A seat as the user should see it right now: an expired lock already counts as AVAILABLE. */
export interface LiveSeat extends SeatView {
  /** Locked by the signed-in user. */
  mine: boolean;
}

export interface MyLock {
  seatId: string;
  expiresAt: string;
  msLeft: number;
}

/** `standing`: the standing places available changed (standing-changed), see `standing()`. */
export type LiveChangeKind = 'snapshot' | 'seats' | 'standing' | 'expiry' | 'connection' | 'error';

export interface LiveChange {
  kind: LiveChangeKind;
  /** Seats whose state changed (empty for snapshot / standing / connection / error: assume everything may have). */
  seatIds: string[];
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ShowLiveOptions {
  client: Pick<BoxofficeClient, 'getVenueLayout' | 'getShowState' | 'user'> & Partial<Pick<BoxofficeClient, 'serverNow' | 'getLang'>>;
  socket: LiveSocket;
  showDate: string;
  /** Whose locks count as "mine". Default: the client's signed-in user, looked up each time. */
  userId?: string;
  /** How long a gap in `seq` may stay open before the state is reloaded. */
  gapTimeoutMs?: number;
  /** How long to wait for the join-show acknowledgement before loading the snapshot anyway. */
  joinTimeoutMs?: number;
  /** Delay before trying again after a snapshot could not be loaded. */
  retryDelayMs?: number;
  /** The clock deadlines are compared with. Default: the client's estimate of the server's clock. */
  now?: () => number;
  timers?: Timers;
}

type SeatEvent =
  | { type: 'seat-locked'; e: SeatLockedEvent }
  | { type: 'seat-released'; e: SeatReleasedEvent }
  | { type: 'seat-booked'; e: SeatBookedEvent }
  | { type: 'seat-blocked'; e: SeatBlockedEvent }
  | { type: 'standing-changed'; e: StandingChangedEvent };

/** Events kept while waiting for a snapshot or a missing seq. */
const MAX_BUFFERED = 1000;

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * A live seat map of one show: the venue's static layout (GET /api/v1/venue/layout, fetched once and kept by the
 * client) under the show's state (GET /api/v1/shows/:showDate/state: seq, prices, only the seats that are not
 * AVAILABLE), kept current by the socket's seat events. On a 20,000-seat venue a resync reads a few kilobytes,
 * not the whole map.
 *
 * Events carry the show's `seq`, increasing by one per event. They are applied strictly in that order:
 * events that arrive before the state, or ahead of a missing one, wait in a buffer; events already
 * contained in the state (seq <= current) are dropped. A gap that does not fill within `gapTimeoutMs`
 * (the event was lost), and every reconnection (events were missed while offline), reload the state only.
 */
export class ShowLive {
  readonly showDate: string;

  private readonly client: ShowLiveOptions['client'];
  private readonly socket: LiveSocket;
  private readonly fixedUserId: string | undefined;
  private readonly gapTimeoutMs: number;
  private readonly joinTimeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly now: () => number;
  private readonly timers: Timers;

  private snapshot: SeatMap | undefined;
  /** Standing places available now: the state's, then each standing-changed event's. */
  private standingAvailable: number | undefined;
  private layout: StaticLayout | undefined;
  private readonly seatsById = new Map<string, SeatView>();
  private readonly zonesById = new Map<string, Zone>();
  /** seq of the last event applied (or of the snapshot); undefined until the first snapshot. */
  private currentSeq: number | undefined;
  /** The highest seq the server told us about (events, join ack): above currentSeq means a gap. */
  private latestKnownSeq = -1;
  private readonly buffer = new Map<number, SeatEvent>();

  private loading: Promise<void> | undefined;
  private reloadAgain = false;
  private gapTimer: unknown;
  private expiryTimer: unknown;
  private retryTimer: unknown;
  private stopped = false;
  private started = false;
  /** start() loaded the state before the socket's first connection: that connection's join needs no reload. */
  private firstConnect = false;
  private lastErrorValue: unknown;
  private readonly listeners = new Set<(change: LiveChange) => void>();
  private readonly detach: (() => void)[] = [];

  constructor(opts: ShowLiveOptions) {
    this.client = opts.client;
    this.socket = opts.socket;
    this.showDate = opts.showDate;
    this.fixedUserId = opts.userId;
    this.gapTimeoutMs = opts.gapTimeoutMs ?? 500;
    this.joinTimeoutMs = opts.joinTimeoutMs ?? 2_000;
    this.retryDelayMs = opts.retryDelayMs ?? 3_000;
    this.now = opts.now ?? (opts.client.serverNow ? () => opts.client.serverNow!() : Date.now);
    this.timers = opts.timers ?? defaultTimers;
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /** Joins the show's room and loads the first snapshot. Resolves once the map can be drawn (or rejects if it cannot be loaded). */
  async start(): Promise<void> {
    if (this.started) throw new Error('ShowLive.start() was already called');
    this.started = true;
    this.listen('seat-locked', (e: SeatLockedEvent) => this.receive({ type: 'seat-locked', e }));
    this.listen('seat-released', (e: SeatReleasedEvent) => this.receive({ type: 'seat-released', e }));
    this.listen('seat-booked', (e: SeatBookedEvent) => this.receive({ type: 'seat-booked', e }));
    this.listen('seat-blocked', (e: SeatBlockedEvent) => this.receive({ type: 'seat-blocked', e }));
    this.listen('standing-changed', (e: StandingChangedEvent) => this.receive({ type: 'standing-changed', e }));
    this.listen('connect', () => this.onConnect());
    this.listen('disconnect', () => this.emit({ kind: 'connection', seatIds: [] }));

    if (this.socket.connected) await this.join();
    // Not connected yet (a page's socket connects while the page opens): load now, and let the first connection
    // join without reloading unless its ack shows events since this state (see onConnect): one state per open.
    else this.firstConnect = true;
    await this.reload();
    if (this.snapshot === undefined) throw this.lastErrorValue;
  }

  /** Stops listening and cancels every timer. The socket itself stays open (it may be shared). */
  stop(): void {
    this.stopped = true;
    for (const off of this.detach.splice(0)) off();
    for (const timer of [this.gapTimer, this.expiryTimer, this.retryTimer]) {
      if (timer !== undefined) this.timers.clearTimeout(timer);
    }
    this.gapTimer = this.expiryTimer = this.retryTimer = undefined;
    // (socket.io would queue the emit while disconnected and send it after a later reconnect: skip it then.)
    if (this.socket.connected) this.socket.emit('leave-show', { showDate: this.showDate });
    this.listeners.clear();
  }

  /** Reloads the show's state now (the layout stays). Events that arrive meanwhile are kept and applied on top of it. */
  resync(): Promise<void> {
    return this.reload();
  }

  // ---- reading the state ---------------------------------------------------------------------

  /** True once a snapshot is loaded. */
  get ready(): boolean {
    return this.snapshot !== undefined;
  }

  /** Whether the socket is connected, i.e. whether changes by others are arriving. */
  get online(): boolean {
    return this.socket.connected;
  }

  get seq(): number | undefined {
    return this.currentSeq;
  }

  /** The venue, zones (with the show's prices) and showDate as of the last load (seat states there are stale: use seats()). */
  get map(): SeatMap | undefined {
    return this.snapshot;
  }

  get lastError(): unknown {
    return this.lastErrorValue;
  }

  /** The show's standing (general admission) area with the places available now; undefined when it has none. */
  standing(): StandingArea | undefined {
    const area = this.snapshot?.standing;
    return area && { ...area, available: this.standingAvailable ?? area.available };
  }

  zone(zoneId: string): Zone | undefined {
    return this.zonesById.get(zoneId);
  }

  seat(seatId: string): LiveSeat | undefined {
    const seat = this.seatsById.get(seatId);
    return seat && this.effective(seat);
  }

  seats(): LiveSeat[] {
    return Array.from(this.seatsById.values(), (s) => this.effective(s));
  }

  /** Ids of the seats the user holds right now. */
  mySeats(): string[] {
    return this.myLocks().map((l) => l.seatId);
  }

  /** The user's own locks with the time left on each, soonest to expire first. */
  myLocks(): MyLock[] {
    const now = this.now();
    const locks: MyLock[] = [];
    // only LOCKED seats can be mine: no view of the other (up to 20,000) seats is built
    for (const raw of this.seatsById.values()) {
      if (raw.status !== 'LOCKED') continue;
      const seat = this.effective(raw);
      if (seat.mine && seat.expiresAt) locks.push({ seatId: seat.id, expiresAt: seat.expiresAt, msLeft: Date.parse(seat.expiresAt) - now });
    }
    return locks.sort((a, b) => a.msLeft - b.msLeft);
  }

  /** Milliseconds until the lock on this seat ends (0 if not locked). */
  timeLeftMs(seatId: string): number {
    const seat = this.seat(seatId);
    if (seat?.status !== 'LOCKED' || !seat.expiresAt) return 0;
    return Math.max(0, Date.parse(seat.expiresAt) - this.now());
  }

  // ---- subscriptions -------------------------------------------------------------------------

  /** Called after every change of what seats() would return, and when the connection drops or returns. */
  onChange(listener: (change: LiveChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** order-status-changed events as the server sends them (own orders; every order for staff). */
  onOrderStatus(listener: (event: OrderStatusChangedEvent) => void): () => void {
    return this.listen('order-status-changed', listener);
  }

  // ---- internals -----------------------------------------------------------------------------

  private listen<T extends unknown[]>(event: string, fn: (...args: T) => void): () => void {
    const handler = (...args: unknown[]) => {
      if (!this.stopped) fn(...(args as T));
    };
    this.socket.on(event, handler);
    const off = () => {
      this.socket.off(event, handler);
    };
    this.detach.push(off);
    return off;
  }

  private userId(): string | undefined {
    return this.fixedUserId ?? this.client.user?.id;
  }

  private effective(seat: SeatView): LiveSeat {
    if (seat.status === 'LOCKED' && seat.expiresAt !== undefined && Date.parse(seat.expiresAt) <= this.now()) {
      return { id: seat.id, zoneId: seat.zoneId, row: seat.row, number: seat.number, x: seat.x, y: seat.y, status: 'AVAILABLE', mine: false };
    }
    const me = this.userId();
    return { ...seat, mine: seat.status === 'LOCKED' && me !== undefined && seat.lockedBy === me };
  }

  private onConnect(): void {
    if (this.firstConnect) {
      // The first connection after start() loaded (or is loading) the state: join, and reload only if the ack's
      // seq is past the state (events between the read and the join were missed) or there is no state to build on.
      // A load still on its way drains against the ack's seq when it lands (a gap then reloads, see watchGap).
      this.firstConnect = false;
      void this.join().then((acked) => {
        if (this.loading) return;
        if (!acked || this.currentSeq === undefined || this.latestKnownSeq > this.currentSeq) void this.reload();
      });
    } else {
      // Rooms do not survive a reconnection and events sent meanwhile are lost: join again, then reload.
      void this.join().then(() => this.reload());
    }
    this.emit({ kind: 'connection', seatIds: [] });
  }

  /** Joins the show's room; resolves with whether the server acknowledged it with its seq (false: error or timeout). */
  private join(): Promise<boolean> {
    return new Promise((resolve) => {
      let done = false;
      let acked = false;
      const finish = () => {
        if (done) return;
        done = true;
        this.timers.clearTimeout(timer);
        resolve(acked);
      };
      const timer = this.timers.setTimeout(finish, this.joinTimeoutMs);
      this.socket.emit('join-show', { showDate: this.showDate }, (ack: JoinShowAck | { code: string }) => {
        if (ack && typeof (ack as JoinShowAck).seq === 'number') {
          acked = true;
          this.latestKnownSeq = Math.max(this.latestKnownSeq, (ack as JoinShowAck).seq);
          if (this.currentSeq !== undefined && !this.loading) this.drain();
        } else {
          this.lastErrorValue = ack;
        }
        finish();
      });
    });
  }

  private receive(event: SeatEvent): void {
    const { e } = event;
    if (e.showDate !== this.showDate || typeof e.seq !== 'number') return;
    this.latestKnownSeq = Math.max(this.latestKnownSeq, e.seq);
    if (this.currentSeq !== undefined && e.seq <= this.currentSeq && !this.loading) return;
    // A buffer this long means the snapshot cannot be loaded for a while; the next one covers these anyway.
    if (this.buffer.size >= MAX_BUFFERED) this.buffer.clear();
    this.buffer.set(e.seq, event);
    if (this.currentSeq !== undefined && !this.loading) this.drain();
  }

  /** Applies buffered events that continue the sequence; watches for a gap. */
  private drain(): void {
    const changed: string[] = [];
    let standingChanged = false;
    for (const key of this.buffer.keys()) if (key <= this.currentSeq!) this.buffer.delete(key);
    for (let next = this.currentSeq! + 1; this.buffer.has(next); next++) {
      const event = this.buffer.get(next)!;
      this.buffer.delete(next);
      this.apply(event);
      this.currentSeq = next;
      if (event.type === 'standing-changed') standingChanged = true;
      else changed.push(...event.e.seatIds);
    }
    if (changed.length > 0) {
      this.scheduleExpiryCheck();
      this.emit({ kind: 'seats', seatIds: changed });
    }
    if (standingChanged) this.emit({ kind: 'standing', seatIds: [] });
    this.watchGap();
  }

  private watchGap(): void {
    const gap = this.buffer.size > 0 || this.latestKnownSeq > this.currentSeq!;
    if (!gap) {
      if (this.gapTimer !== undefined) this.timers.clearTimeout(this.gapTimer);
      this.gapTimer = undefined;
      return;
    }
    // Already counting since the gap opened, or a failed load will be retried soon anyway.
    if (this.gapTimer !== undefined || this.retryTimer !== undefined) return;
    this.gapTimer = this.timers.setTimeout(() => {
      this.gapTimer = undefined;
      void this.reload();
    }, this.gapTimeoutMs);
  }

  private apply(event: SeatEvent): void {
    if (event.type === 'standing-changed') {
      this.standingAvailable = event.e.available;
      return;
    }
    const { type, e } = event;
    for (const id of e.seatIds) {
      const seat = this.seatsById.get(id);
      if (!seat) continue;
      const base = { id: seat.id, zoneId: seat.zoneId, row: seat.row, number: seat.number, x: seat.x, y: seat.y };
      if (type === 'seat-locked') this.seatsById.set(id, { ...base, status: 'LOCKED', lockedBy: e.lockedBy, expiresAt: e.expiresAt });
      else if (type === 'seat-released') this.seatsById.set(id, { ...base, status: 'AVAILABLE' });
      else if (type === 'seat-blocked') this.seatsById.set(id, { ...base, status: 'BLOCKED' });
      else this.seatsById.set(id, { ...base, status: 'BOOKED' });
    }
  }

  /** Loads the state (and the layout the first time); concurrent calls share one load, and a call during a load triggers one more after it. */
  private reload(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.loading) {
      this.reloadAgain = true;
      return this.loading;
    }
    if (this.gapTimer !== undefined) this.timers.clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    let loaded = false;
    this.loading = (async () => {
      do {
        this.reloadAgain = false;
        try {
          // the layout once (the client keeps it), the state every time
          const [layout, state] = await Promise.all([this.layout ?? this.client.getVenueLayout(), this.client.getShowState(this.showDate)]);
          if (this.stopped) return;
          this.useState(layout, state);
          this.lastErrorValue = undefined;
          loaded = true;
        } catch (err) {
          this.lastErrorValue = err;
          this.scheduleRetry();
          return;
        }
      } while (this.reloadAgain && !this.stopped);
    })().finally(() => {
      this.loading = undefined;
      if (this.stopped) return;
      // Events buffered meanwhile continue from the new snapshot (or, after a failure, from the old state).
      if (this.currentSeq !== undefined) this.drain();
      this.emit(loaded ? { kind: 'snapshot', seatIds: [] } : { kind: 'error', seatIds: [] });
    });
    return this.loading;
  }

  /** Every seat of the layout AVAILABLE, then the state's seats over it; zones with the show's prices. */
  private useState(layout: StaticLayout, state: ShowState): void {
    this.layout = layout;
    const lang = this.client.getLang?.() ?? 'en';
    const zones: Zone[] = layout.zones.map((z) => ({
      id: z.id,
      name: z.name[lang],
      names: z.name,
      ticketType: z.ticketType,
      price: state.prices[z.id] ?? z.price,
      currency: z.currency,
    }));
    this.seatsById.clear();
    for (const seat of layout.seats) this.seatsById.set(seat.id, { ...seat, status: 'AVAILABLE' });
    for (const taken of state.seats) {
      const seat = this.seatsById.get(taken.id);
      if (seat) this.seatsById.set(taken.id, { ...seat, ...taken });
    }
    this.zonesById.clear();
    for (const zone of zones) this.zonesById.set(zone.id, zone);
    this.snapshot = { showDate: state.showDate, seq: state.seq, venue: layout.venue, zones, seats: [...this.seatsById.values()] };
    if (state.standing) this.snapshot.standing = state.standing;
    this.currentSeq = state.seq;
    this.standingAvailable = state.standing?.available;
    this.scheduleExpiryCheck();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer !== undefined) return;
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = undefined;
      void this.reload();
    }, this.retryDelayMs);
  }

  /** Locks end silently on the server side until the sweeper runs: tell listeners when the next one ends. */
  private scheduleExpiryCheck(): void {
    if (this.expiryTimer !== undefined) this.timers.clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    const now = this.now();
    let next = Infinity;
    for (const seat of this.seatsById.values()) {
      if (seat.status !== 'LOCKED' || !seat.expiresAt) continue;
      const at = Date.parse(seat.expiresAt);
      if (at > now && at < next) next = at;
    }
    if (next === Infinity || this.stopped) return;
    this.expiryTimer = this.timers.setTimeout(() => {
      this.expiryTimer = undefined;
      const t = this.now();
      const ended = [...this.seatsById.values()]
        .filter((s) => s.status === 'LOCKED' && s.expiresAt && Date.parse(s.expiresAt) <= t && Date.parse(s.expiresAt) >= next)
        .map((s) => s.id);
      this.scheduleExpiryCheck();
      this.emit({ kind: 'expiry', seatIds: ended });
    }, next - now);
  }

  private emit(change: LiveChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch {
        // A failing listener must not stop the others or the event stream.
      }
    }
  }
}
