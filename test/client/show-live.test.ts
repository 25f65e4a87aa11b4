import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createClient, ShowLive, type LiveChange, type LiveChangeKind } from '../../src/client/index.ts';
import type { SeatView } from '../../src/contract/index.ts';
import { FakeClock, FakeSocket, deferred, json, scriptedFetch } from './fakes.ts';

const SHOW = '2026-12-01';
const ME = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const SEAT_IDS = ['401', '402', '403', '404'];

const LAYOUT = {
  venue: { name: 'Test stadium', width: 100, height: 100, ring: { x: 50, y: 50, size: 20 } },
  zones: [{ id: 'back-left', name: { en: 'Back left', th: 'ด้านหลังซ้าย' }, ticketType: 'STADIUM', price: 1800, currency: 'THB' }],
  seats: SEAT_IDS.map((id, i) => ({ id, zoneId: 'back-left', row: 'A', number: i + 1, x: i * 10, y: 0 })),
  standing: null,
};
const LAYOUT_URL = 'http://boxoffice.test/api/v1/venue/layout';
const STATE_URL = `http://boxoffice.test/api/v1/shows/${SHOW}/state`;

/** The server at `seq`: GET /venue/layout answers the layout, GET /shows/:showDate/state the seats that are not AVAILABLE. */
function served(seq: number, taken: Record<string, Partial<SeatView>> = {}) {
  return (call: { url: string }) => {
    if (call.url === LAYOUT_URL) return json(200, LAYOUT);
    assert.equal(call.url, STATE_URL, 'ShowLive reads the layout and the state only');
    const seats = Object.entries(taken).map(([id, seat]) => ({ id, ...seat }));
    return json(200, { showDate: SHOW, seq, prices: { 'back-left': 1800 }, seats });
  };
}

/** The first load: the layout and the state (two requests, in either order). */
const firstLoad = (seq: number, taken: Record<string, Partial<SeatView>> = {}) => [served(seq, taken), served(seq, taken)];

function setup(opts: { userId?: string } = {}) {
  const clock = new FakeClock();
  const socket = new FakeSocket();
  const fetch = scriptedFetch();
  const client = createClient({ baseUrl: 'http://boxoffice.test', fetch, sleep: async () => {}, random: () => 0 });
  const live = new ShowLive({ client, socket, showDate: SHOW, userId: opts.userId ?? ME, now: clock.now, timers: clock });
  const changes: LiveChange[] = [];
  live.onChange((c) => changes.push(c));
  return { clock, socket, fetch, client, live, changes };
}

const inFuture = (clock: FakeClock, ms: number) => new Date(clock.now() + ms).toISOString();
const locked = (seq: number, seatIds: string[], lockedBy: string, expiresAt: string) => ({ seatIds, lockedBy, expiresAt, showDate: SHOW, seq });
const released = (seq: number, seatIds: string[]) => ({ seatIds, lockedBy: OTHER, expiresAt: null, showDate: SHOW, seq, reason: 'released' });
const booked = (seq: number, seatIds: string[]) => ({ seatIds, showDate: SHOW, seq });

/** Resolves at the next change of the given kind. */
function nextChange(live: ShowLive, kind: LiveChangeKind): Promise<LiveChange> {
  return new Promise((resolve) => {
    const off = live.onChange((c) => {
      if (c.kind === kind) {
        off();
        resolve(c);
      }
    });
  });
}

const statuses = (live: ShowLive) => Object.fromEntries(live.seats().map((s) => [s.id, s.status]));

test('start joins the show, then loads the snapshot', async () => {
  const { socket, fetch, live } = setup();
  fetch.push(...firstLoad(5));
  await live.start();
  assert.deepEqual(socket.joins(), [{ showDate: SHOW }]);
  assert.deepEqual(fetch.calls.map((c) => c.url).sort(), [STATE_URL, LAYOUT_URL].sort(), 'the layout and the state, not the whole snapshot');
  assert.equal(live.ready, true);
  assert.equal(live.seq, 5);
  assert.equal(live.seats().length, 4);
  assert.equal(live.zone('back-left')?.price, 1800);
});

test('events that arrive before the snapshot are buffered and applied on top of it; older ones are dropped', async () => {
  const { socket, fetch, live, clock } = setup();
  const answer = deferred<void>();
  fetch.push(served(5), async (call) => (await answer.promise, served(5)(call)));
  const started = live.start();
  await new Promise((r) => setImmediate(r)); // let start() reach the snapshot request
  socket.serverEmit('seat-locked', locked(5, ['401'], OTHER, inFuture(clock, 60_000))); // already in the snapshot
  socket.serverEmit('seat-booked', booked(6, ['402']));
  socket.serverEmit('seat-locked', locked(7, ['403'], ME, inFuture(clock, 60_000)));
  answer.resolve();
  await started;
  assert.equal(live.seq, 7);
  assert.deepEqual(statuses(live), { 401: 'AVAILABLE', 402: 'BOOKED', 403: 'LOCKED', 404: 'AVAILABLE' });
});

test('events are applied in seq order whatever order they arrive in; duplicates and old ones are dropped', async () => {
  const { socket, fetch, live, clock } = setup();
  fetch.push(...firstLoad(10));
  await live.start();
  socket.serverEmit('seat-released', released(12, ['401'])); // ahead: waits for 11
  assert.equal(live.seat('401')?.status, 'AVAILABLE');
  assert.equal(live.seq, 10);
  socket.serverEmit('seat-locked', locked(11, ['401'], OTHER, inFuture(clock, 60_000)));
  assert.equal(live.seq, 12);
  assert.equal(live.seat('401')?.status, 'AVAILABLE', 'the later release wins, though it arrived first');
  socket.serverEmit('seat-locked', locked(11, ['401'], OTHER, inFuture(clock, 60_000))); // duplicate
  socket.serverEmit('seat-booked', booked(9, ['402'])); // older than the snapshot
  assert.deepEqual(statuses(live), { 401: 'AVAILABLE', 402: 'AVAILABLE', 403: 'AVAILABLE', 404: 'AVAILABLE' });
  assert.equal(fetch.calls.length, 2, 'no resync was needed');
});

test('a gap that fills within the timeout needs no resync', async () => {
  const { socket, fetch, live, clock } = setup();
  fetch.push(...firstLoad(1));
  await live.start();
  socket.serverEmit('seat-booked', booked(3, ['403']));
  clock.advance(400);
  socket.serverEmit('seat-booked', booked(2, ['402']));
  clock.advance(1000);
  assert.equal(fetch.calls.length, 2);
  assert.equal(live.seq, 3);
  assert.equal(clock.pending, 0, 'the gap timer was cancelled');
});

test('a gap that stays open for 500 ms reloads the show state only: the layout is kept', async () => {
  const { socket, fetch, live, clock } = setup();
  fetch.push(...firstLoad(1));
  await live.start();
  socket.serverEmit('seat-booked', booked(3, ['403'])); // 2 is lost
  clock.advance(499);
  assert.equal(fetch.calls.length, 2);
  fetch.push(served(3, { 402: { status: 'BOOKED' }, 403: { status: 'BOOKED' } }));
  const reloaded = nextChange(live, 'snapshot');
  clock.advance(1);
  await reloaded;
  assert.equal(fetch.calls.length, 3);
  assert.equal(fetch.calls[2].url, STATE_URL, 'the resync read /state, not the layout or the whole snapshot');
  assert.equal(live.map?.seats.length, 4, 'every seat of the kept layout is still there');
  assert.equal(live.seq, 3);
  assert.deepEqual(statuses(live), { 401: 'AVAILABLE', 402: 'BOOKED', 403: 'BOOKED', 404: 'AVAILABLE' });
});

test('a join ack with a newer seq than the snapshot counts as a gap', async () => {
  const { socket, fetch, live, clock } = setup();
  socket.joinAck = () => ({ showDate: SHOW, seq: 8 });
  fetch.push(...firstLoad(7));
  await live.start();
  fetch.push(served(8, { 404: { status: 'BOOKED' } }));
  const reloaded = nextChange(live, 'snapshot');
  clock.advance(500);
  await reloaded;
  assert.equal(live.seq, 8);
  assert.equal(live.seat('404')?.status, 'BOOKED');
});

test('a reconnection joins the show again and reloads the snapshot; listeners hear about the connection', async () => {
  const { socket, fetch, live, changes } = setup();
  fetch.push(...firstLoad(1));
  await live.start();
  socket.disconnect();
  assert.equal(live.online, false);
  assert.ok(changes.some((c) => c.kind === 'connection'));
  // While offline, seat 401 was booked by someone else; the event never reached us.
  fetch.push(served(4, { 401: { status: 'BOOKED' } }));
  const reloaded = nextChange(live, 'snapshot');
  socket.reconnect();
  await reloaded;
  assert.equal(live.online, true);
  assert.equal(socket.joins().length, 2);
  assert.equal(live.seq, 4);
  assert.equal(live.seat('401')?.status, 'BOOKED');
});

test('a page opening before its socket connects reads the state once: the first connection joins without reloading', async () => {
  const { socket, fetch, live } = setup();
  socket.connected = false;
  socket.joinAck = () => ({ showDate: SHOW, seq: 3 });
  fetch.push(...firstLoad(3));
  await live.start();
  const stateReads = () => fetch.calls.filter((c) => c.url === STATE_URL).length;
  assert.equal(stateReads(), 1);
  const joined = nextChange(live, 'connection');
  socket.reconnect();
  await joined;
  await new Promise((r) => setImmediate(r)); // the join's ack (a microtask) and anything it would start
  assert.equal(socket.joins().length, 1, 'joined on the first connection');
  assert.equal(stateReads(), 1, 'the state was read once for this open, not again after the socket connected');
  assert.equal(fetch.calls.length, 2, 'the layout and the state, nothing more');

  // A later reconnection is a resync: exactly one more state read.
  socket.disconnect();
  fetch.push(served(3));
  const reloaded = nextChange(live, 'snapshot');
  socket.reconnect();
  await reloaded;
  assert.equal(stateReads(), 2);
});

test('the first connection after the state was read reloads it once when its ack shows events since then', async () => {
  const { socket, fetch, live } = setup();
  socket.connected = false;
  socket.joinAck = () => ({ showDate: SHOW, seq: 6 });
  fetch.push(...firstLoad(3));
  await live.start();
  fetch.push(served(6, { 402: { status: 'BOOKED' } }));
  const reloaded = nextChange(live, 'snapshot');
  socket.reconnect();
  await reloaded;
  assert.equal(fetch.calls.filter((c) => c.url === STATE_URL).length, 2);
  assert.equal(live.seq, 6);
  assert.equal(live.seat('402')?.status, 'BOOKED');
});

test('my locks: mySeats, time left, and a lock whose time passed counts as AVAILABLE', async () => {
  const { socket, fetch, live, clock, changes } = setup();
  fetch.push(...firstLoad(1, { 404: { status: 'LOCKED', lockedBy: OTHER, expiresAt: inFuture(clock, -1) } }));
  await live.start();
  assert.equal(live.seat('404')?.status, 'AVAILABLE', 'expired in the snapshot already');

  socket.serverEmit('seat-locked', locked(2, ['401', '402'], ME, inFuture(clock, 300_000)));
  socket.serverEmit('seat-locked', locked(3, ['403'], OTHER, inFuture(clock, 120_000)));
  assert.deepEqual(live.mySeats().sort(), ['401', '402']);
  assert.equal(live.seat('401')?.mine, true);
  assert.equal(live.seat('403')?.mine, false);
  assert.equal(live.timeLeftMs('401'), 300_000);

  clock.advance(120_000);
  assert.equal(live.seat('403')?.status, 'AVAILABLE');
  assert.deepEqual(changes.at(-1), { kind: 'expiry', seatIds: ['403'] });
  assert.equal(live.myLocks()[0].msLeft, 180_000);

  clock.advance(180_000);
  assert.deepEqual(live.mySeats(), []);
  assert.equal(live.timeLeftMs('401'), 0);
  assert.deepEqual(changes.at(-1), { kind: 'expiry', seatIds: ['401', '402'] });
});

test('mine follows the client user when no userId is given', async () => {
  const clock = new FakeClock();
  const socket = new FakeSocket();
  const fetch = scriptedFetch(...firstLoad(1, { 401: { status: 'LOCKED', lockedBy: ME, expiresAt: inFuture(clock, 1000) } }));
  const client = createClient({ baseUrl: 'http://boxoffice.test', fetch });
  const live = new ShowLive({ client, socket, showDate: SHOW, now: clock.now, timers: clock });
  await live.start();
  assert.deepEqual(live.mySeats(), []);
  client.user = { id: ME, email: 'me@x.test', name: 'Me', role: 'customer', createdAt: '2026-01-01T00:00:00.000Z' };
  assert.deepEqual(live.mySeats(), ['401']);
});

test('events of other shows are ignored; order events pass through', async () => {
  const { socket, fetch, live } = setup();
  fetch.push(...firstLoad(1));
  await live.start();
  socket.serverEmit('seat-booked', { seatIds: ['401'], showDate: '2026-12-02', seq: 2 });
  assert.equal(live.seat('401')?.status, 'AVAILABLE');
  const seen: unknown[] = [];
  const off = live.onOrderStatus((e) => seen.push(e));
  const event = { orderId: 'o1', status: 'PAID', timestamp: '2026-12-01T12:00:00.000Z', userId: ME, showDate: SHOW };
  socket.serverEmit('order-status-changed', event);
  off();
  socket.serverEmit('order-status-changed', { ...event, status: 'CANCELLED' });
  assert.deepEqual(seen, [event]);
});

test('a failed snapshot load is retried later; stop() detaches everything', async () => {
  const { socket, fetch, live, clock } = setup();
  const failure = { statusCode: 500, code: 'INTERNAL', message: 'x', messages: { en: 'x', th: 'x' }, requestId: 'r' };
  fetch.push(json(500, failure), json(500, failure));
  await assert.rejects(live.start(), { code: 'INTERNAL' });
  assert.equal(live.ready, false);
  fetch.push(...firstLoad(3));
  const loaded = nextChange(live, 'snapshot');
  clock.advance(3000);
  await loaded;
  assert.equal(live.ready, true);
  live.stop();
  assert.equal(socket.listenerCount('seat-locked'), 0);
  assert.equal(clock.pending, 0);
  assert.deepEqual(socket.emitted.at(-1), { event: 'leave-show', args: [{ showDate: SHOW }] });
});

test('a resync that fails is retried after retryDelayMs, not on every gap tick, and buffered events still apply', async () => {
  const { socket, fetch, live, clock, changes } = setup();
  fetch.push(...firstLoad(1));
  await live.start();
  socket.serverEmit('seat-booked', booked(3, ['403']));
  const failure = { statusCode: 500, code: 'INTERNAL', message: 'x', messages: { en: 'x', th: 'x' }, requestId: 'r' };
  fetch.push(json(500, failure));
  const failed = nextChange(live, 'error');
  clock.advance(500);
  await failed;
  assert.equal(fetch.calls.length, 3);
  socket.serverEmit('seat-booked', booked(2, ['402'])); // the gap fills: both apply on the old state
  assert.equal(live.seq, 3);
  assert.deepEqual(statuses(live), { 401: 'AVAILABLE', 402: 'BOOKED', 403: 'BOOKED', 404: 'AVAILABLE' });
  socket.serverEmit('seat-booked', booked(5, ['404'])); // a new gap while the retry is pending
  clock.advance(2000);
  assert.equal(fetch.calls.length, 3, 'no extra reload before the retry delay');
  fetch.push(served(5, { 402: { status: 'BOOKED' }, 403: { status: 'BOOKED' }, 404: { status: 'BOOKED' } }));
  const reloaded = nextChange(live, 'snapshot');
  clock.advance(1000);
  await reloaded;
  assert.equal(fetch.calls.length, 4);
  assert.equal(live.seq, 5);
  assert.ok(changes.some((c) => c.kind === 'error'));
});

test('property: any arrival order (with duplicates) ends in the same state as in-order delivery', async () => {
  type Ev = { type: 'seat-locked' | 'seat-released' | 'seat-booked'; seat: string };
  const evArb = fc.record({ type: fc.constantFrom('seat-locked' as const, 'seat-released' as const, 'seat-booked' as const), seat: fc.constantFrom(...SEAT_IDS) });
  await fc.assert(
    fc.asyncProperty(fc.array(evArb, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 30 }), async (events: Ev[], shuffle) => {
      const { socket, fetch, live, clock } = setup();
      fetch.push(...firstLoad(0));
      await live.start();
      const payloads = events.map((e, i) => {
        const seq = i + 1;
        if (e.type === 'seat-locked') return { type: e.type, p: locked(seq, [e.seat], OTHER, inFuture(clock, 60_000)) };
        if (e.type === 'seat-released') return { type: e.type, p: released(seq, [e.seat]) };
        return { type: e.type, p: booked(seq, [e.seat]) };
      });
      // Expected: apply in order.
      const expected: Record<string, string> = Object.fromEntries(SEAT_IDS.map((id) => [id, 'AVAILABLE']));
      for (const e of events) expected[e.seat] = e.type === 'seat-locked' ? 'LOCKED' : e.type === 'seat-released' ? 'AVAILABLE' : 'BOOKED';
      // Deliver shuffled, with some duplicates.
      const delivery = [...payloads, ...shuffle.slice(0, 5).map((n) => payloads[n % payloads.length])];
      for (let i = delivery.length - 1; i > 0; i--) {
        const j = (shuffle[i % Math.max(1, shuffle.length)] ?? 0) % (i + 1);
        [delivery[i], delivery[j]] = [delivery[j], delivery[i]];
      }
      for (const d of delivery) socket.serverEmit(d.type, d.p);
      assert.deepEqual(statuses(live), expected);
      assert.equal(live.seq, events.length);
      assert.equal(fetch.calls.length, 2);
      live.stop();
    }),
    { numRuns: 200 },
  );
});
