import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call, ok } from './helpers/http.ts';
import { assertErrorBody } from './helpers/errors.ts';
import { checkInvariants } from './helpers/invariants.ts';
import { TestSocket, waitFor, assertEventShape, assertSeqRun, applyEvents, stateOf, mixedWorkload, SEAT_EVENTS, type ConnectOptions } from './helpers/socket.ts';
import { EventEmitter, once } from 'node:events';
import net from 'node:net';
import type { Redis } from 'ioredis';
import { SeqOrderer } from '../src/realtime/orderer.ts';
import { adapterClients } from '../src/realtime/redis.ts';
import type { SeatEvent } from '../src/contract/events.ts';

describe('SeqOrderer', () => {
  it("puts a new show's events back in seq order (its first event may arrive second, while its seq is read)", async () => {
    const out: number[] = [];
    let answer!: (seq: number) => void;
    const o = new SeqOrderer((e) => out.push(e.seq), () => new Promise<number>((r) => (answer = r)), 60_000);
    const ev = (seq: number): SeatEvent => ({ type: 'seat-booked', seatIds: ['1'], showDate: '2031-01-01', seq });
    o.accept(ev(2));
    o.accept(ev(3));
    assert.deepEqual(out, []);
    o.accept(ev(1));
    answer(3); // the read ran after the three commits
    assert.equal(await o.position('2031-01-01'), 3);
    o.accept(ev(2)); // a repeat is dropped
    assert.deepEqual(out, [1, 2, 3]);
    o.stop();
  });

  it('continues from the seq read and skips a gap that never fills', async () => {
    const out: number[] = [];
    const o = new SeqOrderer((e) => out.push(e.seq), async () => 41, 20);
    assert.equal(await o.position('2031-01-02'), 41); // a socket joined first: the seq is read then
    const ev = (seq: number): SeatEvent => ({ type: 'seat-booked', seatIds: ['1'], showDate: '2031-01-02', seq });
    o.accept(ev(41)); // already reflected in the snapshot seq
    o.accept(ev(43));
    assert.deepEqual(out, []);
    await waitFor(() => out.length === 1, 2000, 'the gap at seq 42 to be skipped');
    assert.deepEqual(out, [43]);
    assert.equal(await o.position('2031-01-02'), 43);
    o.stop();
  });
});

describe('SeqOrderer learning where a show stands on first need (no read of every show at start)', () => {
  const ev = (seq: number): SeatEvent => ({ type: 'seat-booked', seatIds: ['1'], showDate: '2031-02-01', seq });
  /** A startOf whose reads the test answers itself. */
  const reads = () => {
    const asked: { showDate: string; answer(seq: number): void; fail(err: Error): void }[] = [];
    const startOf = (showDate: string) =>
      new Promise<number>((resolve, reject) => asked.push({ showDate, answer: resolve, fail: reject }));
    return { asked, startOf };
  };
  const settled = () => new Promise<void>((r) => setImmediate(r));

  it("holds a show's events while its seq is read, then continues from that seq (events already counted in it are dropped)", async () => {
    const out: number[] = [];
    const r = reads();
    const o = new SeqOrderer((e) => out.push(e.seq), r.startOf, 60_000);
    o.accept(ev(43));
    o.accept(ev(44));
    assert.deepEqual(out, [], 'nothing goes out before the show is known');
    assert.equal(r.asked.length, 1, 'one read per show, however many events wait');
    r.asked[0].answer(41);
    await settled();
    assert.deepEqual(out, [], 'seq 42 is missing: 43 and 44 wait for it');
    o.accept(ev(41)); // already in the seq that was read
    o.accept(ev(42));
    assert.deepEqual(out, [42, 43, 44]);
    assert.equal(r.asked.length, 1);
    o.stop();
  });

  it('delivers the events that arrived during the read even when the read already counts them', async () => {
    const out: number[] = [];
    const r = reads();
    const o = new SeqOrderer((e) => out.push(e.seq), r.startOf, 60_000);
    o.accept(ev(8)); // e.g. this instance's own commit: the read, made after it, sees seq 9
    o.accept(ev(9));
    r.asked[0].answer(9);
    await settled();
    assert.deepEqual(out, [8, 9]);
    assert.equal(await o.position('2031-02-01'), 9);
    o.stop();
  });

  it("answers a join with the show's seq read then, once per show; a failed read rejects and the next join reads again", async () => {
    const r = reads();
    const failures: string[] = [];
    const o = new SeqOrderer(() => {}, r.startOf, 60_000, undefined, (showDate) => failures.push(showDate));
    const first = o.position('2031-02-01');
    const second = o.position('2031-02-01');
    r.asked[0].fail(new Error('database away'));
    await assert.rejects(first, /database away/);
    await assert.rejects(second, /database away/);
    assert.deepEqual(failures, ['2031-02-01']);
    const third = o.position('2031-02-01');
    assert.equal(r.asked.length, 2, 'read again after the failure');
    r.asked[1].answer(17);
    assert.equal(await third, 17);
    assert.equal(await o.position('2031-02-01'), 17);
    assert.equal(r.asked.length, 2, 'a known show is not read again');
    o.stop();
  });

  it('keeps nothing for a date with no show (any calendar date may be joined): 0 each time, read each time', async () => {
    const out: number[] = [];
    const asked: string[] = [];
    const o = new SeqOrderer((e) => out.push(e.seq), async (showDate) => (asked.push(showDate), null), 60_000);
    assert.equal(await o.position('2031-02-01'), 0);
    assert.equal(await o.position('2031-02-01'), 0);
    assert.equal(asked.length, 2, 'nothing was kept for the date');
    o.accept(ev(1)); // the show was opened since: its first event goes out
    await settled();
    assert.deepEqual(out, [1]);
    assert.equal(await o.position('2031-02-01'), 1);
    assert.equal(asked.length, 3);
    o.stop();
  });

  it('when the read fails, the events that wait go out from the first of them', async () => {
    const out: number[] = [];
    const r = reads();
    const o = new SeqOrderer((e) => out.push(e.seq), r.startOf, 60_000);
    o.accept(ev(5));
    o.accept(ev(6));
    r.asked[0].fail(new Error('database away'));
    await settled();
    assert.deepEqual(out, [5, 6]);
    o.stop();
  });
});

describe('SeqOrderer gap timing (mocked timers)', () => {
  it('gives the seq missing after progress a full wait of its own, and reports what it skips', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setImmediate'] });
    const out: number[] = [];
    const skipped: [string, number, number][] = [];
    const o = new SeqOrderer((e) => out.push(e.seq), async () => 0, 300, (show, from, to) => skipped.push([show, from, to]));
    await o.position('2031-01-03'); // a new show, joined before its first event
    const ev = (seq: number): SeatEvent => ({ type: 'seat-booked', seatIds: ['1'], showDate: '2031-01-03', seq });
    o.accept(ev(3));
    o.accept(ev(5));
    t.mock.timers.tick(200);
    o.accept(ev(1));
    o.accept(ev(2));
    assert.deepEqual(out, [1, 2, 3]);
    t.mock.timers.tick(200); // 400 ms after 5 was buffered, 200 ms after 4 became the missing one
    assert.deepEqual(out, [1, 2, 3]);
    o.accept(ev(4));
    assert.deepEqual(out, [1, 2, 3, 4, 5]);
    o.accept(ev(7));
    t.mock.timers.tick(301);
    assert.deepEqual(out, [1, 2, 3, 4, 5, 7]);
    assert.deepEqual(skipped, [['2031-01-03', 6, 6]]);
    o.accept(ev(6)); // too late: dropped, never delivered out of order
    assert.deepEqual(out, [1, 2, 3, 4, 5, 7]);
    o.stop();
  });
});

describe('SeqOrderer after a stalled process', () => {
  it('does not skip an event that arrived while the process was stalled past the gap wait', async (t) => {
    // The missing event comes over a real socket, as it does from Redis. The process then stalls longer
    // than the gap wait before reading it: on resume Node runs the overdue timer before that I/O.
    const out: number[] = [];
    const skipped: number[] = [];
    const o = new SeqOrderer((e) => out.push(e.seq), async () => 0, 30, (_s, from) => skipped.push(from));
    await o.position('2031-01-04'); // a new show, joined before its first event
    const ev = (seq: number): SeatEvent => ({ type: 'seat-booked', seatIds: ['1'], showDate: '2031-01-04', seq });
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const accepted = once(server, 'connection');
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    const [peer] = (await accepted) as [net.Socket];
    t.after(() => {
      client.destroy();
      peer.destroy();
      server.close();
      o.stop();
    });
    peer.on('data', () => o.accept(ev(1)));
    o.accept(ev(2)); // seq 1 is missing: the 30 ms gap wait starts
    await new Promise<void>((r) => client.write('x', () => r()));
    const until = performance.now() + 120;
    while (performance.now() < until); // the stall: seq 1 waits unread in the socket
    await waitFor(() => out.length === 2 || skipped.length > 0, 2000, 'seq 1 to be read or skipped');
    assert.deepEqual(skipped, []);
    assert.deepEqual(out, [1, 2]);
  });
});

describe('Redis adapter clients (src/realtime/redis.ts)', () => {
  /** Just enough of an ioredis client: commands fail unless the connection is ready (enableOfflineQueue: false). */
  class FakeRedis extends EventEmitter {
    status = 'connecting';
    sent: string[] = [];
    private cmd(name: string, args: unknown[]) {
      if (this.status !== 'ready') return Promise.reject(new Error("Stream isn't writeable and enableOfflineQueue options is false"));
      this.sent.push(`${name} ${JSON.stringify(args)}`);
      return Promise.resolve(1);
    }
    psubscribe(...args: unknown[]) {
      return this.cmd('psubscribe', args);
    }
    subscribe(...args: unknown[]) {
      return this.cmd('subscribe', args);
    }
    punsubscribe(...args: unknown[]) {
      return this.cmd('punsubscribe', args);
    }
    publish(...args: unknown[]) {
      return this.cmd('publish', args);
    }
    connected() {
      this.status = 'ready';
      this.emit('ready');
    }
  }

  it('subscribes once the connection is ready, again after every reconnect, and not after unsubscribing', async () => {
    const pub = new FakeRedis();
    const sub = new FakeRedis();
    const errors: string[] = [];
    const c = adapterClients(pub as unknown as Redis, sub as unknown as Redis, (what) => errors.push(what));
    await c.sub.psubscribe('io#/#*');
    await c.sub.subscribe('io-request#/#', 'io-response#/#');
    assert.deepEqual(sub.sent, []);
    sub.connected();
    assert.deepEqual(sub.sent, ['psubscribe ["io#/#*"]', 'subscribe ["io-request#/#","io-response#/#"]']);
    sub.status = 'reconnecting';
    sub.connected();
    assert.equal(sub.sent.length, 4);
    await c.sub.punsubscribe('io#/#*');
    sub.connected();
    assert.deepEqual(sub.sent.slice(5), ['subscribe ["io-request#/#","io-response#/#"]']);
    assert.deepEqual(errors, []);
  });

  it('turns a failed publish into a reported error instead of an unhandled rejection', async () => {
    const pub = new FakeRedis();
    const errors: string[] = [];
    const c = adapterClients(pub as unknown as Redis, new FakeRedis() as unknown as Redis, (what) => errors.push(what));
    void c.pub.publish('io-request#/#', 'x'); // the adapter ignores the promise like this
    await waitFor(() => errors.length === 1, 1000, 'the publish error to be reported');
    assert.deepEqual(errors, ['publish']);
    pub.connected();
    assert.equal(await c.pub.publish('io-request#/#', 'y'), 1);
  });

  it('keeps an instance serving, and delivering to its own sockets, while Redis cannot be reached', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    const s = await startTestServer({ config: { redisUrl: 'redis://127.0.0.1:1', redisKeyPrefix: 'bo-test-down' }, env: { SERVE_WEB: 'false' } });
    try {
      const t = await TestSocket.connect(s.url, { shows: [s.showDate] });
      const u = await s.user();
      const res = await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: ['101'] }, headers: u.auth });
      assert.equal(res.status, 200);
      await t.next('seat-locked', (e) => e.seatIds.includes('101'));
      const order = await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['101'] }, headers: u.auth });
      assert.equal(order.status, 201);
      await t.next('seat-booked', (e) => e.seatIds.includes('101'));
      t.close();
      assert.deepEqual(unhandled.map(String), []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await s.close();
    }
  });
});

for (const target of dbTargets()) {
  describe(`realtime on ${target}`, () => {
    let s: TestServer;
    let a: TestUser;
    let b: TestUser;
    let staff: TestUser;
    let admin: TestUser;
    let otherShow: string;
    const sockets: TestSocket[] = [];
    let free: string[] = [];

    /** Seats nobody has touched yet (each test takes its own). */
    const take = (n: number) => {
      assert.ok(free.length >= n, 'ran out of fresh seats');
      return free.splice(0, n);
    };
    const connect = async (opts: ConnectOptions = {}) => {
      const t = await TestSocket.connect(s.url, opts);
      sockets.push(t);
      return t;
    };
    const lock = (u: TestUser, seatIds: string[], showDate = s.showDate) =>
      call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate, seatIds }, headers: u.auth });
    const release = (u: TestUser, seatIds: string[], showDate = s.showDate) =>
      call(s.url, 'POST', '/api/orders/enhanced/seats/release', { body: { showDate, seatIds }, headers: u.auth });
    const order = (u: TestUser, seatIds: string[], showDate = s.showDate) => call(s.url, 'POST', '/api/v1/orders', { body: { showDate, seatIds }, headers: u.auth });
    const cancel = (u: TestUser, id: string) => call(s.url, 'PATCH', `/api/v1/orders/${id}/cancel`, { body: {}, headers: u.auth });
    const pay = (u: TestUser, o: { id: string; total: number }) =>
      call(s.url, 'POST', `/api/v1/orders/${o.id}/payments`, { body: { method: 'cash', amount: o.total, reference: `r-${o.id}` }, headers: u.auth });
    const snapshot = async (showDate = s.showDate) => {
      const res = await call(s.url, 'GET', `/api/v1/shows/${showDate}/seats`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };

    before(async () => {
      s = await startTestServer({ target, env: { SERVE_WEB: 'false' } });
      [a, b] = await s.users(2);
      staff = await s.user('staff');
      admin = await s.user('admin');
      const shows = (await call(s.url, 'GET', '/api/v1/shows')).body.items.map((x: any) => x.showDate);
      otherShow = shows.find((d: string) => d !== s.showDate);
      free = (await snapshot()).seats.filter((x: any) => x.status === 'AVAILABLE').map((x: any) => x.id);
    });
    after(async () => {
      for (const t of sockets) t.close();
      await s.close();
    });

    it('announces lock, release, order, payment and cancellation with the contract payloads, seq +1 each', async () => {
      const watcher = await connect({ shows: [s.showDate] });
      const owner = await connect({ token: a.token });
      const desk = await connect({ token: staff.token });
      const seq0 = (await snapshot()).seq;
      const [x, y, z] = take(3);

      const locked = ok(await lock(a, [x, y]));
      const e1 = await watcher.seq(s.showDate, seq0 + 1);
      assert.deepEqual(e1, { event: 'seat-locked', seatIds: [x, y].sort(), lockedBy: a.id, expiresAt: locked.body.expiresAt, showDate: s.showDate, seq: seq0 + 1 });

      ok(await release(a, [y]));
      const e2 = await watcher.seq(s.showDate, seq0 + 2);
      assert.deepEqual(e2, { event: 'seat-released', seatIds: [y], lockedBy: a.id, expiresAt: locked.body.expiresAt, showDate: s.showDate, seq: seq0 + 2, reason: 'released' });

      const created = ok(await order(a, [x]), 201).body.order;
      const e3 = await watcher.seq(s.showDate, seq0 + 3);
      assert.deepEqual(e3, { event: 'seat-booked', seatIds: [x], showDate: s.showDate, seq: seq0 + 3 });
      for (const t of [owner, desk]) {
        const ev = await t.next('order-status-changed', (p) => p.orderId === created.id && p.status === 'PENDING');
        assert.deepEqual(ev, { orderId: created.id, status: 'PENDING', timestamp: ev.timestamp, userId: a.id, showDate: s.showDate });
        assert.equal(ev.timestamp, created.createdAt);
      }

      const paid = ok(await pay(staff, created)).body.order;
      for (const t of [owner, desk]) {
        const ev = await t.next('order-status-changed', (p) => p.orderId === created.id && p.status === 'PAID');
        assert.equal(ev.timestamp, paid.paidAt);
      }

      const refunded = ok(await cancel(staff, created.id)).body.order;
      const e4 = await watcher.seq(s.showDate, seq0 + 4);
      assert.deepEqual(e4, { event: 'seat-released', seatIds: [x], lockedBy: null, expiresAt: null, showDate: s.showDate, seq: seq0 + 4, reason: 'cancelled' });
      for (const t of [owner, desk]) {
        const ev = await t.next('order-status-changed', (p) => p.orderId === created.id && p.status === 'CANCELLED');
        assert.equal(ev.timestamp, refunded.cancelledAt);
      }

      // the owner cancelling a PENDING order frees its seats the same way
      const second = ok(await order(a, [z]), 201).body.order;
      await watcher.seq(s.showDate, seq0 + 5);
      ok(await cancel(a, second.id));
      const e6 = await watcher.seq(s.showDate, seq0 + 6);
      assert.deepEqual(e6, { event: 'seat-released', seatIds: [z], lockedBy: null, expiresAt: null, showDate: s.showDate, seq: seq0 + 6, reason: 'cancelled' });
      await owner.next('order-status-changed', (p) => p.orderId === second.id && p.status === 'CANCELLED');

      assertSeqRun(watcher.seatEvents(s.showDate), seq0, seq0 + 6, 'watcher');
      assert.equal(watcher.of('order-status-changed').length, 0, 'an anonymous socket got an order event');
      for (const t of [watcher, owner, desk]) for (const e of t.events) assertEventShape(e.name, e.payload);
      assert.equal((await snapshot()).seq, seq0 + 6);
    });

    it('emits after COMMIT: a client reading the snapshot when an event arrives already sees the change', async () => {
      const [x, y] = take(2);
      const t = await connect({ shows: [s.showDate] });
      const seen: Promise<{ e: any; snap: any }>[] = [];
      for (const name of SEAT_EVENTS) t.socket.on(name, (e: any) => seen.push(snapshot().then((snap) => ({ e: { event: name, ...e }, snap }))));
      ok(await lock(b, [x]));
      const o = ok(await order(b, [x, y]), 201).body.order;
      ok(await cancel(b, o.id));
      await waitFor(() => seen.length >= 3, 5000, 'three seat events');
      for (const { e, snap } of await Promise.all(seen)) {
        assert.ok(snap.seq >= e.seq, `snapshot seq ${snap.seq} is behind event seq ${e.seq}`);
        const want = e.event === 'seat-locked' ? 'LOCKED' : e.event === 'seat-booked' ? 'BOOKED' : 'AVAILABLE';
        if (snap.seq === e.seq) for (const id of e.seatIds) assert.equal(snap.seats.find((x: any) => x.id === id).status, want);
      }
    });

    it('sends order events only to the owner (every socket of theirs) and to staff and admin', async () => {
      const a1 = await connect({ token: a.token });
      const a2 = await connect({ token: a.token, transports: ['polling'] });
      const b1 = await connect({ token: b.token });
      const desk = await connect({ token: staff.token });
      const boss = await connect({ token: admin.token });
      const anon = await connect();
      const [x, y, z] = take(3);
      const oa = ok(await order(a, [x]), 201).body.order;
      const ob = ok(await order(b, [y]), 201).body.order;
      ok(await cancel(staff, ob.id));
      ok(await cancel(a, oa.id));
      // a seat event after all of that: once a socket has it, it has everything sent before
      ok(await lock(b, [z]));
      const mine = (t: TestSocket) => t.of('order-status-changed').map((e) => `${e.orderId === oa.id ? 'A' : e.orderId === ob.id ? 'B' : e.orderId}:${e.status}`);
      for (const t of [a1, a2, b1, desk, boss, anon]) await t.next('seat-locked', (e) => e.seatIds.includes(z));
      assert.deepEqual(mine(a1), ['A:PENDING', 'A:CANCELLED']);
      assert.deepEqual(mine(a2), ['A:PENDING', 'A:CANCELLED']);
      assert.deepEqual(mine(b1), ['B:PENDING', 'B:CANCELLED']);
      assert.deepEqual(mine(desk), ['A:PENDING', 'B:PENDING', 'B:CANCELLED', 'A:CANCELLED']);
      assert.deepEqual(mine(boss), ['A:PENDING', 'B:PENDING', 'B:CANCELLED', 'A:CANCELLED']);
      assert.deepEqual(mine(anon), []);
      for (const t of [a1, a2, b1, desk]) for (const e of t.of('order-status-changed')) assertEventShape('order-status-changed', e);
    });

    it('publishes realtime metrics: open sockets, how long seat events waited, socket writes', async () => {
      const metrics = async () => {
        const res = await call(s.url, 'GET', '/metrics');
        assert.equal(res.status, 200);
        const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(res.body)?.[1]);
        return {
          sockets: value('boxoffice_realtime_sockets'),
          delayed: value('boxoffice_realtime_seat_event_delay_seconds_count'),
          writes: value('boxoffice_realtime_socket_writes_total'),
        };
      };
      const t = await connect({ shows: [s.showDate] });
      const before = await metrics();
      assert.ok(before.sockets >= 1, `open sockets: ${before.sockets}`);
      const [x] = take(1);
      ok(await lock(a, [x]));
      await t.next('seat-locked', (e) => e.seatIds.includes(x));
      ok(await release(a, [x]));
      await t.next('seat-released', (e) => e.seatIds.includes(x));
      const after = await metrics();
      assert.equal(after.delayed - before.delayed, 2, 'both seat events were timed');
      assert.ok(after.writes - before.writes >= 1, 'the socket that got them was written to');
    });

    it("stops a socket's order events when its token expires; it keeps getting seat events", async () => {
      // tokens that expire in 3 s (the exp claim has whole seconds): one customer's, one staff member's
      const short = (u: TestUser) => s.app.jwt.sign({ sub: u.id, role: u.role, email: u.email }, { expiresIn: '3s' });
      const mine = await connect({ token: short(a) });
      const desk = await connect({ token: short(staff) });
      const watching = await connect({ token: staff.token });
      const [x, y] = take(2);
      const o = ok(await order(a, [x]), 201).body.order;
      for (const t of [mine, desk]) await t.next('order-status-changed', (e) => e.orderId === o.id && e.status === 'PENDING');

      const rooms = s.realtime.io.of('/').adapter.rooms;
      const inRoom = (room: string, t: TestSocket) => rooms.get(room)?.has(t.socket.id!) ?? false;
      await waitFor(() => !inRoom(`user:${a.id}`, mine) && !inRoom('staff', desk), 10_000, 'both sockets to be signed out at expiry');
      assert.ok(inRoom('staff', watching), 'a socket with a valid token stays');

      ok(await cancel(a, o.id));
      ok(await lock(b, [y])); // a seat event after the cancellation: once a socket has it, it has everything sent before
      for (const t of [mine, desk, watching]) await t.next('seat-locked', (e) => e.seatIds.includes(y));
      await watching.next('order-status-changed', (e) => e.orderId === o.id && e.status === 'CANCELLED');
      for (const t of [mine, desk]) {
        assert.deepEqual(
          t.of('order-status-changed').map((e) => e.status),
          ['PENDING'],
          'no order event after the token expired',
        );
      }
    });

    it("announces an expired lock and the seats of an expired unpaid order with reason 'expired'", async () => {
      const t = await connect({ shows: [s.showDate] });
      const owner = await connect({ token: b.token });
      const [x, y] = take(2);
      const locked = ok(await lock(a, [x])).body;
      const pending = ok(await order(b, [y]), 201).body.order;
      s.clock.advance(Math.max(s.config.seatLockTtlMs, s.config.orderPaymentTtlMs) + 1000);

      const swept = ok(await call(s.url, 'POST', '/api/orders/enhanced/cleanup', { headers: admin.auth })).body;
      assert.ok(swept.releasedLocks >= 1 && swept.expiredOrders >= 1, JSON.stringify(swept));
      const expired = await t.next('seat-released', (e) => e.seatIds.includes(x));
      assertEventShape('seat-released', expired);
      assert.deepEqual({ ...expired, seq: 0 }, { seatIds: [x], lockedBy: a.id, expiresAt: locked.expiresAt, showDate: s.showDate, seq: 0, reason: 'expired' });
      const freed = await t.next('seat-released', (e) => e.seatIds.includes(y));
      assert.deepEqual({ ...freed, seq: 0 }, { seatIds: [y], lockedBy: null, expiresAt: null, showDate: s.showDate, seq: 0, reason: 'expired' });
      const st = await owner.next('order-status-changed', (e) => e.orderId === pending.id && e.status === 'CANCELLED');
      assertEventShape('order-status-changed', st);

      // the periodic sweep (same code) finds nothing more and announces nothing
      const before = t.events.length;
      assert.deepEqual(await s.sweeper.sweep(), { releasedLocks: 0, expiredOrders: 0 });
      const snap = await snapshot();
      assert.equal(snap.seats.find((x2: any) => x2.id === x).status, 'AVAILABLE');
      assert.equal(t.seatEvents(s.showDate).at(-1).seq, snap.seq);
      assert.equal(t.events.length, before);
    });

    it('emits nothing for a refused lock or order (409/404/422) and spends no seq on it', async () => {
      const t = await connect({ shows: [s.showDate] });
      const [x, y, ...more] = take(13);
      ok(await lock(a, [x]));
      const n = (await snapshot()).seq;
      await t.seq(s.showDate, n);
      const from = t.events.length;

      const taken = await lock(b, [y, x]);
      assert.equal(taken.status, 409);
      assert.deepEqual(taken.body.details.unavailable, [{ seatId: x, status: 'LOCKED' }]);
      assert.equal((await order(b, [x, y])).status, 409);
      assert.equal((await lock(b, [y, 'no-such-seat'])).status, 404);
      assert.equal((await lock(b, more)).status, 422); // 11 seats > MAX_SEATS_PER_USER
      assert.equal((await release(b, [x])).status, 200); // not b's: nothing released
      assert.equal((await snapshot()).seq, n, 'a refused operation moved seq');

      ok(await lock(b, [y]));
      const next = await t.seq(s.showDate, n + 1);
      assert.deepEqual(next.seatIds, [y]);
      assert.deepEqual(
        t.events.slice(from).map((e) => [e.name, e.payload.seq]),
        [['seat-locked', n + 1]],
        'something was announced for a refused operation',
      );
    });

    it('scopes seat events by join-show; a socket that joined none (or left all) gets every show', async () => {
      const snapA = await snapshot(s.showDate);
      const snapB = await snapshot(otherShow);
      const onlyA = await connect();
      const ack = await onlyA.join(s.showDate);
      assert.deepEqual(ack, { showDate: s.showDate, seq: snapA.seq });
      const none = await connect();
      const aThenLeftB = await connect({ shows: [s.showDate, otherShow] });
      assert.deepEqual(await aThenLeftB.leave(otherShow), { ok: true, showDate: otherShow });
      const leftAll = await connect({ shows: [otherShow] });
      await leftAll.leave(otherShow);
      const onlyB = await connect({ shows: [otherShow] });

      const [x] = take(1);
      ok(await lock(a, [x], otherShow));
      ok(await lock(a, [take(1)[0]], s.showDate));
      // B's event was sent before A's: a socket that has A's would have had B's
      for (const t of [onlyA, none, aThenLeftB, leftAll]) await t.seq(s.showDate, snapA.seq + 1);
      for (const t of [none, leftAll, onlyB]) await t.seq(otherShow, snapB.seq + 1);
      assert.deepEqual(onlyA.seatEvents(otherShow), []);
      assert.deepEqual(aThenLeftB.seatEvents(otherShow), []);
      // and B's socket got nothing of A up to B's event, nor after: prove with one more B event
      ok(await release(a, [x], otherShow));
      await onlyB.seq(otherShow, snapB.seq + 2);
      assert.deepEqual(onlyB.seatEvents(s.showDate), []);
    });

    it('refuses a bad token with connect_error carrying the standard 401 body; no token is an anonymous socket', async () => {
      const expired = s.app.jwt.sign({ sub: a.id, role: 'customer', email: a.email }, { expiresIn: -10 });
      for (const token of ['garbage', expired, `${a.token}x`]) {
        const err = await TestSocket.refused(s.url, { token });
        assertErrorBody(err.data, 401, 'UNAUTHENTICATED');
        assert.deepEqual(Object.keys(err.data).sort(), ['code', 'message', 'messages', 'requestId', 'statusCode']);
        assert.equal(err.data.message, err.data.messages.en);
      }
      const th = await TestSocket.refused(s.url, { token: 'garbage', headers: { 'accept-language': 'th' }, transports: ['polling'] });
      assertErrorBody(th.data, 401, 'UNAUTHENTICATED');
      assert.equal(th.data.message, th.data.messages.th);
      const weird = await TestSocket.refused(s.url, { token: 42 as unknown as string });
      assertErrorBody(weird.data, 401, 'UNAUTHENTICATED');

      const anon = await connect();
      assert.ok(anon.socket.connected);
      const [x] = take(1);
      ok(await lock(a, [x]));
      await anon.next('seat-locked', (e) => e.seatIds.includes(x));
    });

    it('keeps seq gapless and in order over 1000 mixed concurrent operations; snapshot + events = database', async () => {
      const seed = Date.now() % 1_000_000;
      const show = '2031-03-03';
      ok(await call(s.url, 'POST', '/api/v1/shows', { body: { showDate: show }, headers: admin.auth }), 201);
      const joined = await connect({ shows: [show] });
      const everything = await connect();
      const snap0 = await snapshot(show);
      let mid: any;
      const tally = await mixedWorkload({
        url: () => s.url,
        show,
        seats: snap0.seats.filter((x: any) => x.status === 'AVAILABLE').map((x: any) => x.id).slice(0, 40),
        customers: await s.users(6),
        staff,
        operations: 1000,
        concurrency: 12,
        seed,
        midpoint: { after: 400, run: async () => void (mid = await snapshot(show)) },
      });
      const last = await snapshot(show);
      const context = `seed ${seed}, operations ${JSON.stringify(tally)}`;
      assert.ok(last.seq > 300, `too few seat changes to mean anything (${last.seq}); ${context}`);
      for (const t of [joined, everything]) await t.seq(show, last.seq, 10_000);

      const events = joined.seatEvents(show);
      assertSeqRun(events, snap0.seq, last.seq, `joined socket (${context})`);
      assertSeqRun(everything.seatEvents(show), snap0.seq, last.seq, `all-shows socket (${context})`);
      for (const e of events) {
        const { event, ...payload } = e;
        assertEventShape(event, payload);
      }
      assert.deepEqual(applyEvents(stateOf(snap0), events), stateOf(last), `events from the first snapshot do not rebuild the last (${context})`);
      assert.ok(mid, 'no snapshot in the middle');
      assert.deepEqual(
        applyEvents(
          stateOf(mid),
          events.filter((e) => e.seq > mid.seq),
        ),
        stateOf(last),
        `the middle snapshot (seq ${mid.seq}) + later events do not rebuild the last (${context})`,
      );
      await checkInvariants(s.db);
    });

    describe('abuse', () => {
      it('disconnects a socket that floods events; others keep receiving', async () => {
        const bystander = await connect({ shows: [s.showDate] });
        const flooder = await connect({ shows: [s.showDate] });
        for (let i = 0; i < 5; i++) await bystander.join(s.showDate); // ordinary use stays within the limit
        for (let i = 0; i < 200; i++) flooder.socket.emit('join-show', { showDate: s.showDate });
        assert.equal(await flooder.disconnected(), 'io server disconnect');
        const [x] = take(1);
        ok(await lock(a, [x]));
        await bystander.next('seat-locked', (e) => e.seatIds.includes(x));
        assert.ok(bystander.socket.connected);
      });

      for (const transport of ['websocket', 'polling'] as const) {
        it(`disconnects a socket that sends an oversize message (${transport}); others keep receiving`, async () => {
          const bystander = await connect({ shows: [s.showDate] });
          const big = await connect({ transports: [transport] });
          big.socket.emit('join-show', { showDate: s.showDate, padding: 'x'.repeat(64 * 1024) });
          assert.match(await big.disconnected(), /transport (close|error)/);
          const [x] = take(1);
          ok(await lock(a, [x]));
          await bystander.next('seat-locked', (e) => e.seatIds.includes(x));
          assert.ok(bystander.socket.connected);
        });
      }

      it('refuses joins past the per-socket show limit and malformed join-show payloads', async () => {
        const t = await connect();
        for (let d = 1; d <= 10; d++) assert.equal((await t.join(`2032-01-${String(d).padStart(2, '0')}`)).seq, 0);
        assertErrorBody(await t.join('2032-01-11'), 429, 'RATE_LIMITED');
        assert.equal((await t.join('2032-01-01')).showDate, '2032-01-01', 're-joining a joined show is not a new join');
        assertErrorBody(await t.request('join-show', { showDate: 'tomorrow' }), 400, 'VALIDATION_FAILED');
        assertErrorBody(await t.request('join-show', null), 400, 'VALIDATION_FAILED');
        assertErrorBody(await t.request('leave-show', {}), 400, 'VALIDATION_FAILED');
        assert.ok(t.socket.connected);
      });
    });

    it("acks a join with the show's seq read when the show is first needed, not at start (it may have moved since)", async () => {
      const shows: string[] = (await call(s.url, 'GET', '/api/v1/shows')).body.items.map((x: any) => x.showDate);
      const third = shows.find((d) => d !== s.showDate && d !== otherShow);
      assert.ok(third, 'the demo has a third night');
      // what commits of another instance before this one heard of the show look like from here
      const { rows } = await s.db.query<{ seq: number }>('UPDATE shows SET seq = seq + 7 WHERE show_date = $1 RETURNING seq', [third]);
      const t = await connect();
      assert.equal((await t.join(third)).seq, Number(rows[0].seq));
    });

    it(
      'announces the real expiry of newly locked seats when the request also names seats already held',
      async () => {
        const t = await connect({ shows: [s.showDate] });
        const [x, y] = take(2);
        ok(await lock(a, [x]));
        s.clock.advance(60_000);
        ok(await lock(a, [x, y]));
        const e = await t.next('seat-locked', (p) => p.seatIds.includes(y));
        const seat = (await snapshot()).seats.find((z: any) => z.id === y);
        assert.equal(e.expiresAt, seat.expiresAt);
      },
    );
  });
}
