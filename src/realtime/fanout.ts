import WebSocket from 'ws';
import { PacketType } from 'socket.io-parser';
import type { Namespace, Socket } from 'socket.io';
import type { SeatEvent } from '../contract/events.ts';

/** Told after each show's flush: how long each event waited on this instance, and how many socket writes it took. */
export type FanoutObserver = (waitedMs: number[], socketWrites: number) => void;

/**
 * Sends seat events to the sockets of their show in batches. Every event stays its own socket.io packet
 * (one websocket frame each, in seq order), but all the frames of one flush go to a socket in a single
 * write: with a thousand sockets on a busy show, the cost is the number of writes, not of events.
 *
 * A flush runs on the next turn of the event loop when the last one was at least `windowMs` ago, and
 * otherwise when the window is over, so a quiet show's event leaves at once and a busy show's events
 * wait at most `windowMs`. The frames are built once per flush and show (as socket.io's own broadcast
 * does, through engine.io's `wsPreEncodedFrame`) and stay in order with everything else sent to that
 * socket (acks, order events, pings):
 * - when engine.io has nothing queued for the socket, everything it accepted is already in the websocket's
 *   stream, so the frames go straight to the websocket's sender (the call engine.io itself makes for a
 *   pre-encoded frame), skipping engine.io's per-packet queue, events and callbacks: ~12 % of one server's
 *   CPU with a thousand sockets on one show (bench/RESULTS.md);
 * - otherwise they join the end of engine.io's queue.
 * A socket still on HTTP long-polling gets the events one by one through socket.io.
 */
export class SeatFanout {
  /** per show, the events waiting and when each was pushed (performance.now()) */
  private readonly pending = new Map<string, { e: SeatEvent; at: number }[]>();
  private scheduled?: { cancel(): void };
  private lastFlushAt = -Infinity;

  constructor(
    private readonly nsp: Namespace,
    /** the server's socket.io-parser encoder (`io.encoder`) */
    private readonly encoder: { encode(packet: { type: PacketType; nsp: string; data: unknown[] }): unknown[] },
    /** the rooms whose sockets get a show's seat events */
    private readonly roomsOf: (showDate: string) => [string, string],
    private readonly windowMs: number,
    private readonly observe: FanoutObserver = () => {},
  ) {}

  push(e: SeatEvent): void {
    const entry = { e, at: performance.now() };
    const list = this.pending.get(e.showDate);
    if (list) list.push(entry);
    else this.pending.set(e.showDate, [entry]);
    this.schedule();
  }

  /** The seq of the show's last event already sent: `accepted` (the last one handed over) unless some still wait. */
  sentSeq(showDate: string, accepted: number): number {
    const waiting = this.pending.get(showDate);
    return waiting?.length ? waiting[0].e.seq - 1 : accepted;
  }

  /** Sends everything pending now (also used at shutdown). */
  flush(): void {
    this.scheduled?.cancel();
    this.scheduled = undefined;
    const now = performance.now();
    this.lastFlushAt = now;
    for (const [showDate, entries] of this.pending) {
      this.pending.delete(showDate);
      const writes = this.send(showDate, entries.map((x) => x.e));
      this.observe(entries.map((x) => now - x.at), writes);
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    const wait = this.lastFlushAt + this.windowMs - performance.now();
    if (wait <= 0) {
      const immediate = setImmediate(() => this.flush());
      this.scheduled = { cancel: () => clearImmediate(immediate) };
    } else {
      const timer = setTimeout(() => this.flush(), wait);
      this.scheduled = { cancel: () => clearTimeout(timer) };
    }
  }

  /** Returns the number of sockets written to. */
  private send(showDate: string, events: SeatEvent[]): number {
    const [showRoom, allRoom] = this.roomsOf(showDate);
    const members = this.nsp.adapter.rooms.get(showRoom);
    const others = this.nsp.adapter.rooms.get(allRoom);
    if (!members?.size && !others?.size) return 0;
    const packets = events.map(({ type, ...payload }) => {
      const [encoded] = this.encoder.encode({ type: PacketType.EVENT, nsp: this.nsp.name, data: [type, payload] });
      return { type, payload, encoded: encoded as string };
    });
    const frames = [Buffer.concat(packets.flatMap((p) => frameOf(p.encoded)))];
    let writes = 0;
    const deliver = (id: string) => {
      const socket = this.nsp.sockets.get(id);
      if (!socket || socket.conn.readyState !== 'open') return;
      writes++;
      const conn = socket.conn as unknown as EngineConn;
      if (conn.transport.name === 'websocket') {
        const ws = conn.transport.socket;
        if (conn.writeBuffer.length === 0 && ws.readyState === WebSocket.OPEN) ws._sender.sendFrame(frames);
        else socket.conn.write('', { wsPreEncodedFrame: frames } as never);
      } else {
        for (const p of packets) (socket as Socket).emit(p.type, p.payload);
      }
    };
    if (members) for (const id of members) deliver(id);
    if (others) for (const id of others) if (!members?.has(id)) deliver(id);
    return writes;
  }
}

/** The parts of an engine.io socket (ws transport) the direct write relies on: engine.io 6 with ws 8. */
interface EngineConn {
  /** packets engine.io holds back until its transport's previous write has completed */
  writeBuffer: unknown[];
  transport: { name: string; socket: { readyState: number; _sender: { sendFrame(frames: Buffer[]): void } } };
}

/** One engine.io "message" packet as a websocket text frame, as socket.io's adapter pre-computes it. */
function frameOf(socketIoPacket: string): Buffer[] {
  return (WebSocket as unknown as { Sender: { frame(data: Buffer, opts: object): Buffer[] } }).Sender.frame(Buffer.from(`4${socketIoPacket}`), {
    readOnly: false,
    mask: false,
    rsv1: false,
    opcode: 1,
    fin: true,
  });
}
