import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { SeatFanout } from '../src/realtime/fanout.ts';
import type { SeatEvent } from '../src/contract/events.ts';
import { waitFor, assertEventShape, SEAT_EVENTS } from './helpers/socket.ts';

const SHOW = '2031-02-01';
const OTHER = '2031-02-02';
const rooms = (showDate: string): [string, string] => [`show:${showDate}`, 'shows:all'];

let seq = 0;
const locked = (showDate = SHOW): SeatEvent => ({
  type: 'seat-locked',
  showDate,
  seatIds: [`A-${++seq}`],
  seq,
  lockedBy: '00000000-0000-4000-8000-000000000001',
  expiresAt: '2031-02-01T12:00:00.000Z',
});

/**
 * SeatFanout on a real socket.io server with real clients: one on websocket in the show's room, one on
 * HTTP long-polling in the all-shows room, one in another show's room. Writes are counted per socket
 * (on a websocket, writes to its TCP stream; on long-polling, packets handed to engine.io): that is what
 * batching saves.
 */
describe('SeatFanout', () => {
  let http: HttpServer;
  let server: Server;
  const writes = new Map<string, number>();
  const got = new Map<string, { name: string; payload: any; at: number }[]>();
  const clients: ClientSocket[] = [];

  const open = async (name: string, room: string, transports: ('websocket' | 'polling')[]) => {
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const c = connect(url, { transports, auth: { room, name }, reconnection: false, forceNew: true });
    got.set(name, []);
    c.onAny((event: string, payload: unknown) => got.get(name)!.push({ name: event, payload, at: performance.now() }));
    clients.push(c);
    await waitFor(() => writes.has(name), 5000, `${name} to connect`);
  };

  before(async () => {
    http = createServer();
    server = new Server(http, { perMessageDeflate: false });
    server.on('connection', (socket) => {
      const { room, name } = socket.handshake.auth as { room: string; name: string };
      void socket.join(room);
      writes.set(name, 0);
      const count = <F extends (...args: any[]) => unknown>(f: F): F =>
        ((...args: Parameters<F>) => {
          writes.set(name, writes.get(name)! + 1);
          return f(...args);
        }) as F;
      const conn = socket.conn as unknown as { transport: { name: string; socket: { _socket: Socket } } };
      if (conn.transport.name === 'websocket') {
        const stream = conn.transport.socket._socket;
        stream.write = count(stream.write.bind(stream));
      } else socket.conn.write = count(socket.conn.write.bind(socket.conn));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    await open('ws', `show:${SHOW}`, ['websocket']);
    await open('polling', 'shows:all', ['polling']);
    await open('other', `show:${OTHER}`, ['websocket']);
  });

  after(async () => {
    for (const c of clients) c.disconnect();
    await new Promise((resolve) => server.close(resolve));
  });

  const reset = () => {
    for (const name of got.keys()) {
      got.set(name, []);
      writes.set(name, 0);
    }
  };

  it('sends the events of one turn to a websocket in one write, as separate contract events in seq order', async () => {
    reset();
    const fanout = new SeatFanout(server.of('/'), server.encoder, rooms, 1000);
    const events = [locked(), locked(), locked()];
    for (const e of events) fanout.push(e);
    await waitFor(() => got.get('ws')!.length === 3 && got.get('polling')!.length === 3, 5000, 'three events at both clients');
    assert.equal(writes.get('ws'), 1, 'one write carried the three events');
    for (const name of ['ws', 'polling']) {
      const received = got.get(name)!;
      assert.deepEqual(
        received.map((r) => r.payload.seq),
        events.map((e) => e.seq),
      );
      for (const r of received) {
        assert.ok(SEAT_EVENTS.includes(r.name as never));
        assertEventShape(r.name, r.payload);
      }
      const { type, ...payload } = events[0];
      assert.equal(received[0].name, type);
      assert.deepEqual(received[0].payload, payload);
    }
    assert.deepEqual(got.get('other'), [], 'another show gets nothing');
    assert.equal(writes.get('other'), 0);
  });

  it('sends a quiet show at once and holds a busy one to one write per window', async () => {
    reset();
    const windowMs = 300;
    const fanout = new SeatFanout(server.of('/'), server.encoder, rooms, windowMs);
    const first = locked();
    const pushedAt = performance.now();
    fanout.push(first);
    await waitFor(() => got.get('ws')!.length === 1, 5000, 'the first event');
    const firstAt = got.get('ws')![0].at;
    assert.ok(firstAt - pushedAt < windowMs, `a quiet show's event waits for no window (took ${firstAt - pushedAt} ms)`);
    // two more in different turns of the event loop, both within the window of the first flush
    fanout.push(locked());
    await new Promise((resolve) => setImmediate(resolve));
    fanout.push(locked());
    await waitFor(() => got.get('ws')!.length === 3, 5000, 'the next two events');
    const [, second, third] = got.get('ws')!;
    assert.ok(second.at - pushedAt >= windowMs - 1, `the busy show's next events waited for the window (${second.at - pushedAt} ms)`);
    assert.ok(third.at - second.at < windowMs, 'and left together');
    assert.equal(writes.get('ws'), 2);
    assert.deepEqual(
      got.get('ws')!.map((r) => r.payload.seq),
      [first.seq, first.seq + 1, first.seq + 2],
    );
  });

  it('keeps seat events in order with what else is sent to the socket, and flushes what waits on demand', async () => {
    reset();
    const fanout = new SeatFanout(server.of('/'), server.encoder, rooms, 60_000);
    fanout.push(locked());
    fanout.flush();
    const waiting = locked();
    fanout.push(waiting); // inside the 60 s window: waits
    assert.equal(fanout.sentSeq(SHOW, waiting.seq), waiting.seq - 1, 'a join ack tells the seq already sent, not the one still waiting');
    server.to(`show:${SHOW}`).emit('order-status-changed' as never, { marker: true } as never);
    fanout.flush();
    assert.equal(fanout.sentSeq(SHOW, waiting.seq), waiting.seq);
    await waitFor(() => got.get('ws')!.length === 3, 5000, 'two seat events and the marker');
    assert.deepEqual(
      got.get('ws')!.map((r) => r.name),
      ['seat-locked', 'order-status-changed', 'seat-locked'],
    );
  });

  it('queues seat events behind what engine.io still holds for a websocket (its previous write not done)', async () => {
    reset();
    const fanout = new SeatFanout(server.of('/'), server.encoder, rooms, 0);
    const [socket] = await server.in(`show:${SHOW}`).fetchSockets();
    const conn = server.of('/').sockets.get(socket.id)!.conn as unknown as { transport: { writable: boolean }; writeBuffer: unknown[]; flush(): void };
    // as while engine.io waits for the completion of its last write: it keeps new packets in its buffer
    conn.transport.writable = false;
    server.to(`show:${SHOW}`).emit('order-status-changed' as never, { marker: true } as never);
    assert.equal(conn.writeBuffer.length, 1, 'the marker waits in engine.io');
    fanout.push(locked());
    fanout.flush();
    conn.transport.writable = true;
    conn.flush();
    await waitFor(() => got.get('ws')!.length === 2, 5000, 'the marker and the seat event');
    assert.deepEqual(
      got.get('ws')!.map((r) => r.name),
      ['order-status-changed', 'seat-locked'],
    );
  });
});
