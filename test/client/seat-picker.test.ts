import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, SeatPicker, ShowLive, type PickerNotice } from '../../src/client/index.ts';
import type { SeatMap } from '../../src/contract/index.ts';
import { FakeClock, FakeSocket, errorBody, json, scriptedFetch, type RecordedCall } from './fakes.ts';

const SHOW = '2026-12-01';
const ME = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const SEAT_IDS = Array.from({ length: 12 }, (_, i) => String(401 + i));

function snapshot(seq: number, overrides: Record<string, Partial<SeatMap['seats'][number]>> = {}): SeatMap {
  return {
    showDate: SHOW,
    seq,
    venue: { name: 'Test stadium', width: 100, height: 100, ring: { x: 50, y: 50, size: 20 } },
    zones: [{ id: 'back', name: 'Back', names: { en: 'Back', th: 'ด้านหลัง' }, ticketType: 'STADIUM', price: 1800, currency: 'THB' }],
    seats: SEAT_IDS.map((id, i) => ({ id, zoneId: 'back', row: 'A', number: i + 1, x: i * 10, y: 0, status: 'AVAILABLE' as const, ...overrides[id] })),
  };
}

/** The server answering ShowLive's reads from a snapshot: the venue layout, or the show's state (seats not AVAILABLE). */
function serve(call: RecordedCall, map: SeatMap): Response {
  if (call.url.endsWith('/api/v1/venue/layout')) {
    const zones = map.zones.map((z) => ({ id: z.id, name: z.names, ticketType: z.ticketType, price: z.price, currency: z.currency }));
    return json(200, { venue: map.venue, zones, seats: map.seats.map(({ id, zoneId, row, number, x, y }) => ({ id, zoneId, row, number, x, y })), standing: null });
  }
  const seats = map.seats.filter((x) => x.status !== 'AVAILABLE').map(({ id, status, lockedBy, expiresAt }) => ({ id, status, lockedBy, expiresAt }));
  const standing = map.standing ? { standing: map.standing } : {};
  return json(200, { showDate: map.showDate, seq: map.seq, prices: Object.fromEntries(map.zones.map((z) => [z.id, z.price])), seats, ...standing });
}

type Handler = (call: RecordedCall) => Response | Error;

/**
 * A picker on a real ShowLive, over the SDK's fakes: the test plays the server (REST answers through `server`,
 * socket events through `socket.serverEmit`) and the clock.
 */
async function setup(opts: { token?: string; map?: SeatMap; maxSeats?: number; serverClockShift?: { ms: number } } = {}) {
  const clock = new FakeClock();
  const socket = new FakeSocket();
  const fetch = scriptedFetch();
  let server: Handler = () => new Error('no server answer scripted');
  for (let i = 0; i < 50; i++) fetch.push((call) => server(call));
  const client = createClient({ baseUrl: 'http://boxoffice.test', token: 'token' in opts ? opts.token : 'tkn', fetch, sleep: async () => {}, random: () => 0 });
  const live = new ShowLive({ client, socket, showDate: SHOW, userId: ME, now: clock.now, timers: clock });
  server = (call) => serve(call, opts.map ?? snapshot(1));
  await live.start();
  const shift = opts.serverClockShift;
  const picker = new SeatPicker({ client, live, now: shift ? () => clock.now() + shift.ms : clock.now, timers: clock, maxSeats: opts.maxSeats });
  const notices: PickerNotice[] = [];
  picker.onNotice((n) => notices.push(n));
  const requests = () => fetch.calls.filter((c) => c.method === 'POST').map((c) => [c.url.replace(/.*\/seats\//, ''), (c.body as { seatIds: string[] }).seatIds]);
  return {
    clock,
    socket,
    fetch,
    client,
    live,
    picker,
    notices,
    requests,
    answer(handler: Handler) {
      server = handler;
    },
    /** Lets the batching window pass and waits for the requests it sends. */
    async window() {
      clock.advance(300);
      await picker.flush();
    },
  };
}

const lockAnswer = (clock: FakeClock, ttlMs = 300_000) => (call: RecordedCall) =>
  json(200, { showDate: SHOW, seatIds: (call.body as { seatIds: string[] }).seatIds, lockedBy: ME, expiresAt: new Date(clock.now() + ttlMs).toISOString() });
const inFuture = (clock: FakeClock, ms: number) => new Date(clock.now() + ms).toISOString();

test('picks within the batching window go out as one lock request; the answer shows at once, before the socket confirms it', async () => {
  const { picker, clock, answer, requests, socket, window } = await setup();
  answer(lockAnswer(clock));
  picker.toggle('401');
  clock.advance(200);
  picker.toggle('402');
  clock.advance(200);
  picker.toggle('403');
  assert.deepEqual(['401', '402', '403', '404'].map((id) => picker.look(id)), ['pending', 'pending', 'pending', 'available']);
  assert.deepEqual(requests(), [], 'nothing sent while the user keeps clicking');
  await window();
  assert.deepEqual(requests(), [['lock', ['401', '402', '403']]]);
  assert.deepEqual(['401', '402', '403'].map((id) => picker.look(id)), ['mine', 'mine', 'mine'], 'optimistic: shown as held before any event');
  assert.deepEqual(picker.held().map((h) => h.seatId), ['401', '402', '403']);
  assert.equal(picker.total(), 5400);
  socket.serverEmit('seat-locked', { seatIds: ['401', '402', '403'], lockedBy: ME, expiresAt: inFuture(clock, 300_000), showDate: SHOW, seq: 2 });
  clock.advance(5_000); // the optimistic answers are long stale: ShowLive's state now shows the same
  assert.deepEqual(['401', '402', '403'].map((id) => picker.look(id)), ['mine', 'mine', 'mine']);
});

test('a failed lock rolls the picked seats back to what the live map says, with the error as a notice', async () => {
  const { picker, answer, notices, window } = await setup();
  answer(() => json(429, errorBody(429, 'RATE_LIMITED'), { 'retry-after': '40' }));
  picker.toggle('401');
  assert.equal(picker.look('401'), 'pending');
  await window();
  assert.equal(picker.look('401'), 'available');
  assert.deepEqual(picker.held(), []);
  assert.equal(notices.length, 1);
  const notice = notices[0] as Extract<PickerNotice, { kind: 'error' }>;
  assert.equal(notice.kind, 'error');
  assert.deepEqual(notice.seatIds, ['401']);
  assert.equal((notice.error as { retryAfterMs?: number }).retryAfterMs, 40_000, 'the wait the server asked for reaches the UI');
});

test('seats someone else took first are reported; the rest of the pick is held in a second request', async () => {
  const { picker, clock, answer, requests, notices, window, fetch } = await setup();
  answer((call) => {
    if (call.method === 'GET') return serve(call, snapshot(2, { 402: { status: 'LOCKED', lockedBy: OTHER, expiresAt: inFuture(clock, 60_000) } }));
    const ids = (call.body as { seatIds: string[] }).seatIds;
    if (ids.includes('402')) return json(409, errorBody(409, 'SEAT_UNAVAILABLE', { details: { unavailable: [{ seatId: '402', status: 'LOCKED' }] } }));
    return lockAnswer(clock)(call);
  });
  picker.toggle('401');
  picker.toggle('402');
  picker.toggle('403');
  await window();
  assert.deepEqual(requests(), [
    ['lock', ['401', '402', '403']],
    ['lock', ['401', '403']],
  ]);
  assert.deepEqual(notices.map((n) => n.kind), ['taken', 'heldRest']);
  assert.deepEqual((notices[0] as Extract<PickerNotice, { kind: 'taken' }>).seats, [{ seatId: '402', status: 'LOCKED' }]);
  assert.deepEqual((notices[1] as Extract<PickerNotice, { kind: 'heldRest' }>).seatIds, ['401', '403']);
  assert.ok(fetch.calls.some((c) => c.method === 'GET' && fetch.calls.indexOf(c) > 0), 'the map was reloaded');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(['401', '402', '403'].map((id) => picker.look(id)), ['mine', 'locked', 'mine']);
});

test('a hold that ends without the user releasing it is reported as lost; releasing one is not', async () => {
  const { picker, clock, answer, socket, notices, window } = await setup();
  answer(lockAnswer(clock));
  picker.toggle('401');
  picker.toggle('402');
  await window();
  socket.serverEmit('seat-locked', { seatIds: ['401', '402'], lockedBy: ME, expiresAt: inFuture(clock, 300_000), showDate: SHOW, seq: 2 });

  answer((call) => json(200, { showDate: SHOW, released: (call.body as { seatIds: string[] }).seatIds, notHeld: [] }));
  clock.advance(1000);
  picker.toggle('401');
  await window();
  socket.serverEmit('seat-released', { seatIds: ['401'], lockedBy: ME, expiresAt: null, showDate: SHOW, seq: 3, reason: 'released' });
  assert.deepEqual(notices, [], 'releasing a seat is no lost hold');

  // Staff release 402 (or the sweeper does): the user did not ask for it.
  socket.serverEmit('seat-released', { seatIds: ['402'], lockedBy: ME, expiresAt: null, showDate: SHOW, seq: 4, reason: 'expired' });
  assert.deepEqual(notices, [{ kind: 'lost', seatIds: ['402'] }]);
  assert.equal(picker.look('402'), 'available');
  assert.deepEqual(picker.held(), []);
});

test('a hold that became the buyer\'s order (seat-booked) is not reported as lost', async () => {
  const { picker, clock, answer, socket, notices, window } = await setup();
  answer(lockAnswer(clock));
  picker.toggle('401');
  await window();
  socket.serverEmit('seat-locked', { seatIds: ['401'], lockedBy: ME, expiresAt: inFuture(clock, 300_000), showDate: SHOW, seq: 2 });
  assert.equal(picker.look('401'), 'mine');
  // The buyer books: the order takes the held seat and the socket says it is sold.
  socket.serverEmit('seat-booked', { seatIds: ['401'], showDate: SHOW, seq: 3 });
  assert.deepEqual(notices, [], 'booking a held seat is no lost hold');
  assert.equal(picker.look('401'), 'booked');
  assert.deepEqual(picker.held(), []);
});

test("the double-click window is the user's time, not the server's: a click 800 ms later counts when the server clock estimate moved back meanwhile", async () => {
  // A phone whose clock is off: serverNow() is re-estimated from every answer's Date header (whole seconds), so
  // it can step back by up to a second between two clicks.
  const serverClockShift = { ms: 0 };
  const { picker, clock, answer, requests, window } = await setup({ serverClockShift });
  answer(lockAnswer(clock));
  assert.equal(picker.toggle('405'), true);
  await window();
  answer((call) => json(200, { showDate: SHOW, released: (call.body as { seatIds: string[] }).seatIds, notHeld: [] }));
  clock.advance(500);
  serverClockShift.ms = -700; // the lock's answer moved the estimate back
  assert.equal(picker.toggle('405'), true, 'a second click 800 ms after the first releases the seat');
  await window();
  assert.deepEqual(requests(), [
    ['lock', ['405']],
    ['release', ['405']],
  ]);
});

test('a double click picks the seat once instead of picking and un-picking it; a later click un-picks', async () => {
  const { picker, clock, answer, requests, window } = await setup();
  answer(lockAnswer(clock));
  assert.equal(picker.toggle('405'), true);
  clock.advance(120);
  assert.equal(picker.toggle('405'), false, 'the second click of a double click is ignored');
  assert.equal(picker.look('405'), 'pending');
  await window();
  assert.deepEqual(requests(), [['lock', ['405']]]);

  answer((call) => json(200, { showDate: SHOW, released: (call.body as { seatIds: string[] }).seatIds, notHeld: [] }));
  clock.advance(500);
  assert.equal(picker.toggle('405'), true, 'a click after the double-click window releases the seat');
  await window();
  assert.deepEqual(requests(), [
    ['lock', ['405']],
    ['release', ['405']],
  ]);
  assert.equal(picker.look('405'), 'available');
});

test('quick clicks past the cap: the first ten are held in one request, the eleventh is refused with a notice naming it', async () => {
  const { picker, clock, answer, requests, notices, window } = await setup();
  answer(lockAnswer(clock));
  for (const id of SEAT_IDS.slice(0, 11)) picker.toggle(id);
  assert.deepEqual(notices, [{ kind: 'limit', seatIds: ['411'], max: 10 }]);
  assert.equal(picker.look('411'), 'available');
  await window();
  assert.deepEqual(requests(), [['lock', SEAT_IDS.slice(0, 10)]]);
  assert.equal(picker.held().length, 10);
  // Held ones count too: one more click later is refused as well, and releasing one makes room.
  clock.advance(1000);
  assert.equal(picker.toggle('412'), false);
  assert.deepEqual(notices.at(-1), { kind: 'limit', seatIds: ['412'], max: 10 });
});

test('the server refusing past its own limit (holds in another tab) is a limit notice, not a generic error', async () => {
  const { picker, answer, notices, window } = await setup();
  answer(() => json(409, errorBody(409, 'LOCK_LIMIT_EXCEEDED')));
  picker.toggle('401');
  await window();
  const [limit] = notices as Extract<PickerNotice, { kind: 'limit' }>[];
  assert.deepEqual([notices.length, limit.kind, limit.seatIds, limit.max, limit.error?.code], [1, 'limit', ['401'], 10, 'LOCK_LIMIT_EXCEEDED']);
  assert.equal(picker.look('401'), 'available');
});

test('a minute before the soonest hold runs out, one expiring notice; the countdown follows the server clock', async () => {
  const { picker, clock, answer, notices, window, socket } = await setup();
  answer(lockAnswer(clock, 300_000));
  picker.toggle('401');
  await window();
  assert.equal(picker.msLeft(), 300_000);
  socket.serverEmit('seat-locked', { seatIds: ['401'], lockedBy: ME, expiresAt: inFuture(clock, 300_000), showDate: SHOW, seq: 2 });
  clock.advance(239_000);
  assert.deepEqual(notices, []);
  assert.equal(picker.msLeft(), 61_000);
  clock.advance(1_000);
  assert.equal(notices.length, 1);
  const { expiresAt, ...rest } = notices[0] as Extract<PickerNotice, { kind: 'expiring' }>;
  assert.deepEqual(rest, { kind: 'expiring', seatIds: ['401'], msLeft: 60_000 });
  assert.equal(Date.parse(expiresAt), clock.now() + 60_000);
  clock.advance(30_000);
  assert.equal(notices.length, 1, 'warned once');
});

test('without an account picks wait as selected and sign-in is asked for; after signing in resume() holds them', async () => {
  const { picker, clock, answer, requests, notices, window, client } = await setup({ token: undefined });
  answer(lockAnswer(clock));
  picker.toggle('401');
  picker.toggle('402');
  await window();
  assert.deepEqual(requests(), [], 'nothing is sent without an account');
  assert.deepEqual(notices, [{ kind: 'needsSignIn', seatIds: ['401', '402'] }]);
  assert.deepEqual([picker.look('401'), picker.look('402')], ['selected', 'selected']);
  assert.deepEqual(picker.picked(), ['401', '402']);
  client.setToken('fresh-token');
  await picker.resume();
  assert.deepEqual(requests(), [['lock', ['401', '402']]]);
  assert.deepEqual([picker.look('401'), picker.look('402')], ['mine', 'mine']);
});

test('without an account sign-in is asked once: picks made after the box was closed wait as selected, no notice, no request; signing in holds them all', async () => {
  const { picker, clock, answer, requests, notices, window, client } = await setup({ token: undefined });
  answer(lockAnswer(clock));
  picker.toggle('401');
  await window(); // the first pick asks (the page opens the sign-in box; the buyer closes it)
  for (const id of ['402', '403', '404']) {
    clock.advance(1_000); // human pace: each pick its own batching window
    assert.equal(picker.toggle(id), true);
    assert.equal(picker.look(id), 'selected', 'kept locally and drawn as selected at once');
    await window();
  }
  assert.deepEqual(notices, [{ kind: 'needsSignIn', seatIds: ['401'] }], 'asked once, not after every pick');
  assert.deepEqual(requests(), []);
  assert.deepEqual(picker.picked().sort(), ['401', '402', '403', '404']);
  assert.equal(picker.toggle('402'), true, 'a selected seat un-picks');
  assert.deepEqual(picker.picked().sort(), ['401', '403', '404']);
  client.setToken('fresh-token');
  await picker.resume();
  assert.deepEqual(requests(), [['lock', ['401', '403', '404']]], 'all of them in one hold');
  assert.deepEqual(['401', '403', '404'].map((id) => picker.look(id)), ['mine', 'mine', 'mine']);
});

test('a seat the live map shows held by someone else is answered locally ("unavailable", LOCKED): no hold request', async () => {
  const { picker, clock, requests, notices, window } = await setup({ map: snapshot(1, { 405: { status: 'LOCKED', lockedBy: OTHER, expiresAt: '2026-12-01T13:00:00.000Z' } }) });
  assert.equal(picker.look('405'), 'locked');
  assert.equal(picker.canToggle('405'), false);
  assert.equal(picker.toggle('405'), false);
  clock.advance(1_000);
  await window();
  assert.deepEqual(requests(), []);
  assert.deepEqual(notices, [{ kind: 'unavailable', seatId: '405', status: 'LOCKED' }]);
});

test('an expired session at the first hold asks for sign-in again and keeps the pick', async () => {
  const { picker, answer, notices, window } = await setup();
  answer(() => json(401, errorBody(401, 'UNAUTHENTICATED')));
  picker.toggle('403');
  await window();
  assert.deepEqual(notices, [{ kind: 'needsSignIn', seatIds: ['403'] }]);
  assert.equal(picker.look('403'), 'selected');
});

test('sold and blocked seats and picks while offline are refused with a notice', async () => {
  const { picker, socket, notices, requests } = await setup({ map: snapshot(1, { 401: { status: 'BOOKED' }, 402: { status: 'BLOCKED' } }) });
  assert.equal(picker.toggle('401'), false);
  assert.equal(picker.toggle('402'), false);
  assert.equal(picker.canToggle('401'), false);
  socket.disconnect();
  assert.equal(picker.toggle('403'), false);
  assert.deepEqual(notices, [
    { kind: 'unavailable', seatId: '401', status: 'BOOKED' },
    { kind: 'unavailable', seatId: '402', status: 'BLOCKED' },
    { kind: 'offline', seatId: '403' },
  ]);
  assert.deepEqual(requests(), []);
});

test('counter: staff picks are real holds (one lock per burst) up to maxSeats (BOX_OFFICE_MAX_SEATS), past the per-customer cap', async () => {
  const { picker, clock, notices, requests, answer, window } = await setup({ maxSeats: 11 });
  answer((call) => json(200, { showDate: SHOW, seatIds: (call.body as { seatIds: string[] }).seatIds, lockedBy: ME, expiresAt: inFuture(clock, 300_000) }));
  for (const id of SEAT_IDS.slice(0, 11)) assert.equal(picker.toggle(id), true, `seat ${id} picked`);
  clock.advance(1_000); // not a double click
  assert.equal(picker.toggle(SEAT_IDS[11]), false, 'the twelfth is past maxSeats');
  assert.deepEqual(notices.at(-1), { kind: 'limit', seatIds: [SEAT_IDS[11]], max: 11 });
  await window();
  assert.deepEqual(requests(), [['lock', SEAT_IDS.slice(0, 11)]], 'held on the server, in one request');
  assert.equal(picker.held().length, 11, 'eleven held, past the per-customer cap of 10');
  assert.equal(picker.look(SEAT_IDS[0]), 'mine');
});

test('standing steppers: places are held and given back through the picker, counted in the total and the cap, and places left follow standing-changed', async () => {
  const map = { ...snapshot(1), standing: { id: 'standing' as const, name: { en: 'Standing', th: 'บัตรยืน' }, capacity: 200, available: 200, prices: { adult: 1500, child: 1200 } } };
  const { picker, notices, fetch, answer, window, clock, socket, live } = await setup({ map, maxSeats: 4 });
  const bodies = () => fetch.calls.filter((c) => c.method === 'POST').map((c) => [c.url.replace(/.*\/seats\//, ''), (c.body as { standing?: unknown }).standing]);
  const expiresAt = new Date(clock.now() + 300_000).toISOString();
  answer((call) => json(200, { showDate: SHOW, seatIds: [], lockedBy: ME, expiresAt, standing: (call.body as { standing: unknown }).standing }));
  assert.equal(picker.setStanding('adult', 1), true);
  assert.equal(picker.setStanding('adult', 2), true);
  assert.equal(picker.setStanding('child', 1), true);
  assert.deepEqual(picker.standing().wanted, { adult: 2, child: 1 });
  assert.equal(picker.settled, false);
  await window();
  assert.deepEqual(bodies(), [['lock', { adult: 2, child: 1 }]], 'one lock for the whole burst');
  assert.deepEqual(picker.standing().held, { adult: 2, child: 1 });
  assert.deepEqual(picker.standing().lines, [{ type: 'adult', quantity: 2, price: 1500 }, { type: 'child', quantity: 1, price: 1200 }]);
  assert.equal(picker.total(), 4200);
  assert.equal(picker.settled, true);

  // seats and places count alike toward maxSeats (4)
  assert.equal(picker.setStanding('child', 3), false);
  assert.equal(notices.at(-1)?.kind, 'limit');

  answer(() => json(200, { showDate: SHOW, released: [], notHeld: [], standing: { adult: 1, child: 1 }, standingReleased: { adult: 1, child: 0 } }));
  picker.setStanding('adult', 1);
  await window();
  assert.deepEqual(bodies().at(-1), ['release', { adult: 1, child: 0 }]);
  assert.deepEqual(picker.standing().held, { adult: 1, child: 1 });

  // not enough places left: the steppers go back to what is held, with a notice saying how many are left
  answer(() => json(409, errorBody(409, 'STANDING_UNAVAILABLE', { details: { requested: { adult: 1, child: 0 }, available: 0 } })));
  picker.setStanding('adult', 2);
  await window();
  assert.deepEqual(picker.standing().wanted, { adult: 1, child: 1 });
  const last = notices.at(-1);
  assert.equal(last?.kind, 'standingUnavailable');
  assert.equal(last?.kind === 'standingUnavailable' && last.available, 0);

  // places left come from the snapshot, then from standing-changed in seq order
  socket.serverEmit('standing-changed', { showDate: SHOW, available: 197, seq: 2 });
  assert.equal(live.standing()?.available, 197);
  assert.equal(picker.standing().area?.available, 197);

  // holds run out: nothing is held any more
  clock.advance(300_001);
  assert.deepEqual(picker.standing().held, { adult: 0, child: 0 });
  assert.equal(picker.total(), 0);
});
