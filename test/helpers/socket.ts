import assert from 'node:assert/strict';
import { io, type Socket } from 'socket.io-client';
import { Value } from 'typebox/value';
import type { TSchema } from 'typebox';
import { call } from './http.ts';
import { JoinShowAck, OrderStatusChangedEvent, PaymentStatusChangedEvent, SeatBlockedEvent, SeatBookedEvent, SeatLockedEvent, SeatReleasedEvent, StandingChangedEvent } from '../../src/contract/events.ts';

export type EventName = 'seat-locked' | 'seat-released' | 'seat-booked' | 'seat-blocked' | 'standing-changed' | 'order-status-changed' | 'payment-status-changed';
/** The events numbered in a show's seq (standing-changed shares it with the seat events). */
export const SEAT_EVENTS: EventName[] = ['seat-locked', 'seat-released', 'seat-booked', 'seat-blocked', 'standing-changed'];

export interface Received {
  name: string;
  payload: any;
  /** performance.now() when the client got it */
  at: number;
}

/**
 * Resolves with check()'s first truthy answer; polls until the deadline, then fails saying what it
 * waited for and what it saw. For awaiting state without sleeping for a guessed time.
 */
export async function waitFor<T>(check: () => T | undefined | null | false, timeoutMs: number, what: string | (() => string)): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Exact key set of the contract's socket events (TypeBox's Check allows extra keys). */
export const EVENT_KEYS: Record<EventName, string[]> = {
  'seat-locked': ['expiresAt', 'lockedBy', 'seatIds', 'seq', 'showDate'],
  'seat-released': ['expiresAt', 'lockedBy', 'reason', 'seatIds', 'seq', 'showDate'],
  'seat-booked': ['seatIds', 'seq', 'showDate'],
  'seat-blocked': ['seatIds', 'seq', 'showDate'],
  'standing-changed': ['available', 'seq', 'showDate'],
  'order-status-changed': ['orderId', 'showDate', 'status', 'timestamp', 'userId'],
  'payment-status-changed': ['orderId', 'paymentId', 'status', 'timestamp', 'userId'],
};
const EVENT_SCHEMAS: Record<EventName, TSchema> = {
  'seat-locked': SeatLockedEvent,
  'seat-released': SeatReleasedEvent,
  'seat-booked': SeatBookedEvent,
  'seat-blocked': SeatBlockedEvent,
  'standing-changed': StandingChangedEvent,
  'order-status-changed': OrderStatusChangedEvent,
  'payment-status-changed': PaymentStatusChangedEvent,
};

/** Fails unless the payload matches the contract schema of the event and has exactly its keys. */
export function assertEventShape(name: string, payload: unknown): void {
  const schema = EVENT_SCHEMAS[name as EventName];
  assert.ok(schema, `unexpected event name ${name}`);
  const errors = [...Value.Errors(schema, payload)].map((e) => `${e.instancePath} ${e.message}`);
  assert.deepEqual(errors, [], `${name} payload ${JSON.stringify(payload)} does not match the contract`);
  assert.deepEqual(Object.keys(payload as object).sort(), EVENT_KEYS[name as EventName], `${name} has other keys than the contract`);
}

export interface ConnectOptions {
  token?: string;
  transports?: ('websocket' | 'polling')[];
  headers?: Record<string, string>;
  /** join these shows right after connecting */
  shows?: string[];
}

/** A real socket.io-client socket that records every event it receives, in order. */
export class TestSocket {
  readonly events: Received[] = [];
  disconnectReason?: string;

  private constructor(readonly socket: Socket) {
    socket.onAny((name: string, payload: unknown) => this.events.push({ name, payload, at: performance.now() }));
    socket.on('disconnect', (reason) => {
      this.disconnectReason = reason;
    });
  }

  /** Connects (no reconnection) and joins opts.shows; rejects with the connect_error if refused. */
  static async connect(url: string, opts: ConnectOptions = {}): Promise<TestSocket> {
    const socket = io(url, {
      transports: opts.transports ?? ['websocket'],
      auth: opts.token === undefined ? {} : { token: opts.token },
      extraHeaders: opts.headers,
      reconnection: false,
      forceNew: true,
      timeout: 10_000,
    });
    const t = new TestSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => {
        socket.close();
        reject(err);
      });
    });
    for (const show of opts.shows ?? []) {
      const ack = await t.join(show);
      assert.ok(Value.Check(JoinShowAck, ack), `join-show ack ${JSON.stringify(ack)}`);
    }
    return t;
  }

  /** The connect_error a refused handshake gives (fails if the connection is accepted). */
  static async refused(url: string, opts: ConnectOptions = {}): Promise<Error & { data?: any }> {
    try {
      const t = await TestSocket.connect(url, opts);
      t.close();
    } catch (err) {
      return err as Error & { data?: any };
    }
    throw new Error('the connection was accepted');
  }

  request(event: string, payload: unknown, timeoutMs = 5000): Promise<any> {
    return this.socket.timeout(timeoutMs).emitWithAck(event, payload);
  }

  join(showDate: string): Promise<any> {
    return this.request('join-show', { showDate });
  }

  leave(showDate: string): Promise<any> {
    return this.request('leave-show', { showDate });
  }

  /** Payloads of one event name, in arrival order. */
  of(name: string): any[] {
    return this.events.filter((e) => e.name === name).map((e) => e.payload);
  }

  /** Seat events (any of the seat event names) in arrival order, with their name. */
  seatEvents(showDate?: string): (any & { event: string })[] {
    return this.events
      .filter((e) => SEAT_EVENTS.includes(e.name as EventName) && (!showDate || e.payload.showDate === showDate))
      .map((e) => ({ event: e.name, ...e.payload }));
  }

  /** Waits for an event matching pred, by default one not seen before this call started counting from `from`. */
  async next(name: string, pred: (p: any) => boolean = () => true, timeoutMs = 5000, from = 0): Promise<any> {
    return waitFor(
      () => this.events.slice(from).find((e) => e.name === name && pred(e.payload))?.payload,
      timeoutMs,
      () => `${name} on socket ${this.socket.id}; got ${JSON.stringify(this.events.slice(from).map((e) => [e.name, e.payload.seq ?? e.payload.status]))}`,
    );
  }

  /** Waits for the seat event with this seq of the show. */
  seq(showDate: string, seq: number, timeoutMs = 5000): Promise<any> {
    return waitFor(
      () => this.seatEvents(showDate).find((e) => e.seq === seq),
      timeoutMs,
      () => `seq ${seq} of ${showDate} on socket ${this.socket.id}; last seen ${JSON.stringify(this.seatEvents(showDate).slice(-3).map((e) => e.seq))}`,
    );
  }

  disconnected(timeoutMs = 5000): Promise<string> {
    return waitFor(() => this.disconnectReason, timeoutMs, `socket ${this.socket.id} to be disconnected`);
  }

  close(): void {
    this.socket.close();
  }
}

/** What a client knows about one seat: the snapshot's fields that events change. */
export interface SeatState {
  status: string;
  lockedBy?: string;
  expiresAt?: string;
}

export function stateOf(snapshot: any): Map<string, SeatState> {
  const m = new Map<string, SeatState>();
  for (const seat of snapshot.seats) {
    const st: SeatState = { status: seat.status };
    if (seat.lockedBy !== undefined) st.lockedBy = seat.lockedBy;
    if (seat.expiresAt !== undefined) st.expiresAt = seat.expiresAt;
    m.set(seat.id, st);
  }
  return m;
}

/** Applies seat events to a seat-map state the way a client does. */
export function applyEvents(state: Map<string, SeatState>, events: any[]): Map<string, SeatState> {
  for (const e of events) {
    for (const id of e.seatIds) {
      assert.ok(state.has(id), `event seq ${e.seq} names unknown seat ${id}`);
      if (e.event === 'seat-locked') state.set(id, { status: 'LOCKED', lockedBy: e.lockedBy, expiresAt: e.expiresAt });
      else if (e.event === 'seat-released') state.set(id, { status: 'AVAILABLE' });
      else if (e.event === 'seat-booked') state.set(id, { status: 'BOOKED' });
      else if (e.event === 'seat-blocked') state.set(id, { status: 'BLOCKED' });
    }
  }
  return state;
}

/** Asserts the show's seat events a socket got are exactly seq from+1 … to, in order, once each. */
export function assertSeqRun(events: any[], from: number, to: number, who: string): void {
  const seqs = events.map((e) => e.seq);
  const want = Array.from({ length: to - from }, (_, i) => from + i + 1);
  if (seqs.length !== want.length || seqs.some((v, i) => v !== want[i])) {
    const firstBad = seqs.findIndex((v, i) => v !== want[i]);
    assert.fail(`${who}: expected seq ${from + 1}..${to} (${want.length} events), got ${seqs.length}; first difference at index ${firstBad}: ${JSON.stringify(seqs.slice(Math.max(0, firstBad - 3), firstBad + 3))}`);
  }
}

/** Deterministic PRNG so a failing run can be replayed (seed in the failure message). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}


export interface WorkloadUser {
  id: string;
  auth: { authorization: string };
}

export interface WorkloadOptions {
  /** base URL for the i-th operation (spread them over instances) */
  url: (i: number) => string;
  show: string;
  seats: string[];
  customers: WorkloadUser[];
  staff: WorkloadUser;
  operations: number;
  concurrency: number;
  seed: number;
  /** called once after this many operations finished (e.g. to take a snapshot while others still run) */
  midpoint?: { after: number; run: () => Promise<void> };
}

/**
 * Mixed seat traffic from several users at once: locks (often conflicting), releases, orders from held
 * or random seats, cancellations by owners and staff, payments, staff releases of anyone's locks.
 * Answers are tallied (`lock:200`, `order:409`…); many operations are meant to be refused.
 */
export async function mixedWorkload(o: WorkloadOptions): Promise<Record<string, number>> {
  const rnd = prng(o.seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const held = new Map<string, Set<string>>(o.customers.map((u) => [u.id, new Set()]));
  const orders: { id: string; total: number; owner: WorkloadUser; status: string }[] = [];
  const tally: Record<string, number> = {};
  const req = (i: number, u: WorkloadUser, method: string, path: string, body: unknown) =>
    call(o.url(i), method, path, { body, headers: u.auth });
  const lock = (i: number, u: WorkloadUser, seatIds: string[]) => req(i, u, 'POST', '/api/orders/enhanced/seats/lock', { showDate: o.show, seatIds });
  const release = (i: number, u: WorkloadUser, seatIds: string[]) => req(i, u, 'POST', '/api/orders/enhanced/seats/release', { showDate: o.show, seatIds });

  const op = async (i: number): Promise<string> => {
    const r = rnd();
    if (r < 0.1) {
      const ord = orders.find((x) => x.status === 'PENDING' && rnd() < 0.5);
      if (ord) {
        const res = await req(i, o.staff, 'POST', `/api/v1/orders/${ord.id}/payments`, { method: 'cash', amount: ord.total, reference: `r-${ord.id}` });
        if (res.status === 200) ord.status = 'PAID';
        return `pay:${res.status}`;
      }
    }
    if (r < 0.16) {
      const ord = orders.find((x) => x.status === 'PAID' && rnd() < 0.5);
      if (ord) {
        const res = await req(i, o.staff, 'PATCH', `/api/v1/orders/${ord.id}/cancel`, {});
        if (res.status === 200) ord.status = 'CANCELLED';
        return `staff-cancel:${res.status}`;
      }
    }
    if (r < 0.2) return `staff-release:${(await release(i, o.staff, [pick(o.seats), pick(o.seats)])).status}`;
    const u = pick(o.customers);
    const mine = held.get(u.id)!;
    if (r < 0.55) {
      const want = [pick(o.seats), pick(o.seats), pick(o.seats)].slice(0, 1 + Math.floor(rnd() * 3));
      const res = await lock(i, u, want);
      if (res.status === 200) for (const id of res.body.seatIds) mine.add(id);
      return `lock:${res.status}`;
    }
    if (r < 0.72) {
      const ids = mine.size ? [...mine].slice(0, 2) : [pick(o.seats)];
      const res = await release(i, u, ids);
      for (const id of ids) mine.delete(id);
      return `release:${res.status}`;
    }
    if (r < 0.88) {
      const ids = mine.size && rnd() < 0.8 ? [...mine].slice(0, 2) : [pick(o.seats)];
      const res = await req(i, u, 'POST', '/api/v1/orders', { showDate: o.show, seatIds: ids });
      if (res.status === 201) {
        for (const id of ids) mine.delete(id);
        if (res.body.order.status === 'PENDING' && !orders.some((x) => x.id === res.body.order.id)) {
          orders.push({ id: res.body.order.id, total: res.body.order.total, owner: u, status: 'PENDING' });
        }
      }
      return `order:${res.status}`;
    }
    const ord = orders.find((x) => x.owner === u && x.status === 'PENDING');
    if (!ord) return 'idle';
    const res = await req(i, u, 'PATCH', `/api/v1/orders/${ord.id}/cancel`, {});
    if (res.status === 200) ord.status = 'CANCELLED';
    return `cancel:${res.status}`;
  };

  let started = 0;
  let finished = 0;
  const worker = async () => {
    while (started < o.operations) {
      const i = started++;
      const what = await op(i);
      if (what.endsWith(':500') || what.endsWith(':503')) throw new Error(`operation ${i} failed on the server: ${what}`);
      tally[what] = (tally[what] ?? 0) + 1;
      if (++finished === o.midpoint?.after) await o.midpoint.run();
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return tally;
}
