/**
 * The SDK against a real server (fresh database, random port): every call, the typed errors, the
 * idempotent order, and ShowLive over a real socket.io connection.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BoxofficeError, ShowLive, connectSocket, createClient, type BoxofficeClient, type BoxofficeSocket, type LiveChange } from '../../src/client/index.ts';
import type { OrderStatusChangedEvent } from '../../src/contract/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Resolves when `check()` holds after a change of the live map; fails after `ms`. */
function until(live: ShowLive, check: () => boolean, ms = 3000): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('live map did not reach the expected state in time'));
    }, ms);
    const off = live.onChange(() => {
      if (check()) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
}

function once<T>(socket: BoxofficeSocket, event: string, match: (e: T) => boolean, ms = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} in time`)), ms);
    const handler = (e: T) => {
      if (!match(e)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(e);
    };
    socket.on(event, handler);
  });
}

describe('SDK against a running server', () => {
  let server: TestServer;
  let showDate: string;
  let alice: BoxofficeClient;
  let bob: BoxofficeClient;
  let staff: BoxofficeClient;
  let admin: BoxofficeClient;
  const sockets: BoxofficeSocket[] = [];
  const lives: ShowLive[] = [];

  const newClient = (token?: string) => createClient({ baseUrl: server.url, token });
  const openSocket = async (client: BoxofficeClient) => {
    const socket = connectSocket(client, { transports: ['websocket'] });
    sockets.push(socket);
    if (!socket.connected) await new Promise((r) => socket.once('connect', () => r(undefined)));
    return socket;
  };

  before(async () => {
    server = await startTestServer({ config: { serveWeb: false } });
    showDate = server.showDate;
    alice = newClient();
    await alice.register({ email: `alice-${Date.now()}@example.com`, password: 'correct-horse', name: 'Alice' });
    bob = newClient(await server.token('customer'));
    await bob.me();
    staff = newClient(await server.token('staff'));
    admin = newClient(await server.token('admin'));
  });

  after(async () => {
    for (const live of lives) live.stop();
    for (const socket of sockets) socket.disconnect();
    await server.close();
  });

  it('signs in and out: register keeps the token, login and me answer the same user', async () => {
    const c = newClient();
    const email = `somchai-${Date.now()}@example.com`;
    const reg = await c.register({ email, password: 'correct-horse', name: 'Somchai' });
    assert.equal(reg.user.role, 'customer');
    assert.equal((await c.me()).id, reg.user.id);
    c.logout();
    await assert.rejects(c.me(), { code: 'UNAUTHENTICATED', status: 401 });
    const login = await c.login({ email, password: 'correct-horse' });
    assert.equal(login.user.id, reg.user.id);
    await assert.rejects(c.login({ email, password: 'wrong-password' }), { code: 'INVALID_CREDENTIALS' });
  });

  it('lists shows and loads a seat map with seq, venue and zones', async () => {
    const shows = await alice.listShows();
    assert.ok(shows.some((s) => s.showDate === showDate));
    const map = await alice.getSeatMap(showDate);
    assert.equal(map.showDate, showDate);
    assert.equal(typeof map.seq, 'number');
    assert.ok(map.venue.ring.size > 0);
    assert.ok(map.seats.length > 100);
    assert.ok(map.zones.every((z) => z.price > 0));
  });

  it('locks, conflicts with a typed SEAT_UNAVAILABLE in the asked language, releases', async () => {
    const [seatA, seatB] = (await alice.getSeatMap(showDate)).seats.filter((s) => s.status === 'AVAILABLE').map((s) => s.id);
    const lock = await alice.lockSeats({ showDate, seatIds: [seatA] });
    assert.deepEqual(lock.seatIds, [seatA]);
    assert.equal(lock.lockedBy, alice.user?.id);
    // locking own seat again is harmless
    assert.equal((await alice.lockSeats({ showDate, seatIds: [seatA] })).expiresAt, lock.expiresAt);

    bob.setLang('th');
    const err = await bob.lockSeats({ showDate, seatIds: [seatB, seatA] }).catch((e: unknown) => e);
    bob.setLang('en');
    assert.ok(err instanceof BoxofficeError);
    assert.equal(err.code, 'SEAT_UNAVAILABLE');
    assert.equal(err.status, 409);
    assert.deepEqual(err.unavailableSeats, [{ seatId: seatA, status: 'LOCKED' }]);
    assert.equal(err.message, err.messages.th);
    assert.notEqual(err.messages.th, err.messages.en);
    assert.ok(err.requestId);
    assert.equal((await bob.seatStatus(seatB, showDate)).status, 'AVAILABLE', 'all or nothing: the free seat was not taken');

    const status = await bob.seatStatus(seatA, showDate);
    assert.equal(status.status, 'LOCKED');
    const released = await alice.releaseSeats({ showDate, seatIds: [seatA, seatB] });
    assert.deepEqual(released.released, [seatA]);
    assert.deepEqual(released.notHeld, [seatB]);
    assert.equal((await alice.seatStatus(seatA, showDate)).status, 'AVAILABLE');
  });

  it('unknown seats and orders are typed 404s', async () => {
    await assert.rejects(alice.lockSeats({ showDate, seatIds: ['nope'] }), { code: 'SEAT_NOT_FOUND', status: 404 });
    await assert.rejects(alice.getOrder('00000000-0000-4000-8000-000000000000'), { code: 'ORDER_NOT_FOUND' });
  });

  it('an order retried with the same Idempotency-Key is bought once', async () => {
    const seat = (await alice.getSeatMap(showDate)).seats.find((s) => s.status === 'AVAILABLE')!.id;
    const body = { showDate, seatIds: [seat], customerName: 'Alice', customerPhone: '+66 81 234 5678' };
    const first = await alice.createOrder(body, { idempotencyKey: 'alice-order-1' });
    const again = await alice.createOrder(body, { idempotencyKey: 'alice-order-1' });
    assert.equal(again.id, first.id);
    assert.equal(first.status, 'PENDING');
    assert.ok(first.total > 0);
    await assert.rejects(alice.createOrder({ ...body, customerName: 'Someone else' }, { idempotencyKey: 'alice-order-1' }), { code: 'IDEMPOTENCY_KEY_REUSED' });
    const mine = await alice.listOrders({ status: 'PENDING' });
    assert.equal(mine.items.filter((o) => o.id === first.id).length, 1);
  });

  it('staff take a payment; the owner hears order-status-changed; customers cannot pay', async () => {
    const seat = (await alice.getSeatMap(showDate)).seats.find((s) => s.status === 'AVAILABLE')!.id;
    const order = await alice.createOrder({ showDate, seatIds: [seat] });
    const aliceSocket = await openSocket(alice);
    const heard = once<OrderStatusChangedEvent>(aliceSocket, 'order-status-changed', (e) => e.orderId === order.id && e.status === 'PAID');

    await assert.rejects(alice.recordPayment(order.id, { method: 'cash', amount: order.total, reference: 'x' }), { code: 'FORBIDDEN' });
    await assert.rejects(staff.recordPayment(order.id, { method: 'cash', amount: order.total - 1, reference: 'x' }), { code: 'PAYMENT_AMOUNT_MISMATCH' });
    const paid = await staff.recordPayment(order.id, { method: 'promptpay', amount: order.total, reference: 'PP-123' });
    assert.equal(paid.status, 'PAID');
    const event = await heard;
    assert.equal(event.userId, alice.user?.id);
    assert.equal((await alice.getOrder(order.id)).status, 'PAID');
    await assert.rejects(alice.cancelOrder(order.id), { code: 'ORDER_NOT_CANCELLABLE' });
  });

  it('the owner cancels a pending order and its seat is free again', async () => {
    const seat = (await alice.getSeatMap(showDate)).seats.find((s) => s.status === 'AVAILABLE')!.id;
    const order = await alice.createOrder({ showDate, seatIds: [seat] });
    assert.equal((await alice.seatStatus(seat, showDate)).status, 'BOOKED');
    const cancelled = await alice.cancelOrder(order.id, { reason: 'changed plans' });
    assert.equal(cancelled.status, 'CANCELLED');
    assert.equal((await alice.seatStatus(seat, showDate)).status, 'AVAILABLE');
  });

  it('operations: health is public, stats need staff, cleanup needs admin, shows are opened by admins', async () => {
    const health = await newClient().health();
    assert.equal(health.status, 'ok');
    await assert.rejects(alice.stats(), { code: 'FORBIDDEN' });
    const stats = await staff.stats();
    assert.ok(stats.shows.some((s) => s.showDate === showDate));
    const cleanup = await admin.cleanup();
    assert.equal(typeof cleanup.releasedLocks, 'number');
    await assert.rejects(alice.createShow({ showDate: '2031-01-01' }), { code: 'FORBIDDEN' });
    const show = await admin.createShow({ showDate: '2031-01-01', title: 'New year fights' });
    assert.equal(show.showDate, '2031-01-01');
    assert.ok(show.counts.available > 0);
  });

  it('ShowLive: another customer sees a lock, a booking and a release live, in order', async () => {
    const aliceLive = new ShowLive({ client: alice, socket: await openSocket(alice), showDate });
    const bobLive = new ShowLive({ client: bob, socket: await openSocket(bob), showDate });
    lives.push(aliceLive, bobLive);
    await Promise.all([aliceLive.start(), bobLive.start()]);
    const changes: LiveChange[] = [];
    bobLive.onChange((c) => changes.push(c));

    const [s1, s2] = bobLive.seats().filter((s) => s.status === 'AVAILABLE').map((s) => s.id);
    const lock = await alice.lockSeats({ showDate, seatIds: [s1, s2] });
    await until(bobLive, () => bobLive.seat(s1)?.status === 'LOCKED' && bobLive.seat(s2)?.status === 'LOCKED');
    assert.equal(bobLive.seat(s1)?.mine, false);
    assert.equal(bobLive.seat(s1)?.lockedBy, alice.user?.id);
    await until(aliceLive, () => [s1, s2].every((id) => aliceLive.seat(id)?.mine));
    assert.ok(aliceLive.mySeats().includes(s1) && aliceLive.mySeats().includes(s2));
    assert.equal(aliceLive.myLocks().find((l) => l.seatId === s1)?.expiresAt, lock.expiresAt);
    assert.ok(aliceLive.timeLeftMs(s1) > 0);

    await alice.createOrder({ showDate, seatIds: [s1] });
    await alice.releaseSeats({ showDate, seatIds: [s2] });
    await until(bobLive, () => bobLive.seat(s1)?.status === 'BOOKED' && bobLive.seat(s2)?.status === 'AVAILABLE');
    assert.ok(changes.every((c) => c.kind !== 'snapshot'), 'no resync was needed');
    assert.equal(bobLive.seq, aliceLive.seq);
  });

  it('ShowLive: after a dropped connection the map is right again, including what changed meanwhile', async () => {
    const socket = await openSocket(bob);
    const live = new ShowLive({ client: bob, socket, showDate });
    lives.push(live);
    await live.start();
    const seat = live.seats().find((s) => s.status === 'AVAILABLE')!.id;

    socket.disconnect();
    await alice.lockSeats({ showDate, seatIds: [seat] });
    assert.equal(live.seat(seat)?.status, 'AVAILABLE', 'offline: the change has not reached us');
    socket.connect();
    await until(live, () => live.seat(seat)?.status === 'LOCKED');
    assert.equal(live.online, true);
  });
});
