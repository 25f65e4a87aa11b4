/** Test doubles for the SDK: a scripted fetch, a manual clock and a fake socket.io socket. */
import type { LiveSocket, Timers } from '../../src/client/index.ts';

export interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = Response | Error | ((call: RecordedCall) => Response | Error | Promise<Response | Error>);

/** A fetch that answers from a script, one reply per call, and records every call. */
export function scriptedFetch(...replies: Reply[]): typeof fetch & { calls: RecordedCall[]; push(...r: Reply[]): void } {
  const queue = [...replies];
  const calls: RecordedCall[] = [];
  const fn = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((init.headers ?? {}) as Record<string, string>)) headers[k.toLowerCase()] = v;
    const call: RecordedCall = {
      url: String(input),
      method: init.method ?? 'GET',
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const next = queue.shift();
    if (next === undefined) throw new Error(`scriptedFetch: no reply left for ${call.method} ${call.url}`);
    const reply = typeof next === 'function' ? await next(call) : next;
    if (reply instanceof Error) throw reply;
    return reply;
  };
  return Object.assign(fn as typeof fetch, { calls, push: (...r: Reply[]) => queue.push(...r) });
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function errorBody(status: number, code: string, extra: Record<string, unknown> = {}) {
  return {
    statusCode: status,
    code,
    message: `${code} (en)`,
    messages: { en: `${code} (en)`, th: `${code} (th)` },
    requestId: 'req-1',
    ...extra,
  };
}

/** A deferred promise: resolve it later from the test. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A manual clock: timers fire only when the test advances time. */
export class FakeClock implements Timers {
  time: number;
  private timers: { id: number; at: number; fn: () => void }[] = [];
  private nextId = 1;

  constructor(start = Date.parse('2026-12-01T12:00:00.000Z')) {
    this.time = start;
  }

  now = (): number => this.time;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ id, at: this.time + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }

  get pending(): number {
    return this.timers.length;
  }
}

type Listener = (...args: unknown[]) => void;

/** A socket.io-client stand-in: the test plays the server. */
export class FakeSocket implements LiveSocket {
  connected = true;
  readonly emitted: { event: string; args: unknown[] }[] = [];
  /** Answers join-show acks; return undefined to never answer. */
  joinAck: (payload: { showDate: string }) => unknown = (p) => ({ showDate: p.showDate, seq: 0 });
  private listeners = new Map<string, Set<Listener>>();

  on(event: string, listener: Listener): this {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  emit(event: string, ...args: unknown[]): this {
    this.emitted.push({ event, args });
    const ack = args[args.length - 1];
    if (event === 'join-show' && typeof ack === 'function') {
      const answer = this.joinAck(args[0] as { showDate: string });
      if (answer !== undefined) queueMicrotask(() => (ack as Listener)(answer));
    }
    return this;
  }

  /** The server sends an event to this socket. */
  serverEmit(event: string, payload: unknown): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) l(payload);
  }

  disconnect(): void {
    this.connected = false;
    this.serverEmit('disconnect', 'transport close');
  }

  reconnect(): void {
    this.connected = true;
    this.serverEmit('connect', undefined);
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  joins(): unknown[] {
    return this.emitted.filter((e) => e.event === 'join-show').map((e) => e.args[0]);
  }
}
