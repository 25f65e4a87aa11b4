import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call } from './helpers/http.ts';
import { checkInvariants } from './helpers/invariants.ts';
import { addDays } from '../src/modules/catalog/dates.ts';

/**
 * Model-based test: random sequences of lock / release / order / cancel / partial cancel (some seats and standing
 * places of an order) / pay / time passing / sweep
 * from several users, with seats and standing places, run against the real service and against a small
 * in-memory model of the rules. After every step the HTTP status must be the one the model predicts, the seat
 * states and the standing places available in the database must equal the model's, and the database
 * invariants must hold. The shows' standing capacity is cut to CAPACITY so that it runs out.
 */

const SEATS = ['101', '102', '103', '104', '105', '106'];
const MAX = 4;
const TTL = 300_000;
const CAPACITY = 5;
const PRICE = { adult: 1500, child: 1200 } as const;

type Places = { adult: number; child: number };
type StandingHold = { user: number; type: 'adult' | 'child'; quantity: number; expiresAt: number };

type Seat = { state: 'AVAILABLE' | 'LOCKED' | 'BOOKED'; holder?: number; expiresAt?: number; order?: number };
type ModelOrder = { id?: string; user: number; seats: string[]; places: Places; status: 'PENDING' | 'PAID' | 'CANCELLED'; expiresAt: number };

type Op =
  | { kind: 'lock'; user: number; seats: string[]; places: Places }
  | { kind: 'release'; user: number; seats: string[]; places: Places; staff: boolean }
  | { kind: 'order'; user: number; seats: string[]; places: Places }
  | { kind: 'cancel'; user: number; order: number; staff: boolean }
  /** some items of an order: the seats picked by `pick` (by position), plus a seat not in it when `stranger` */
  | { kind: 'cancelItems'; user: number; order: number; staff: boolean; pick: boolean[]; stranger: boolean; places: Places }
  | { kind: 'pay'; order: number }
  | { kind: 'wait'; ms: number }
  | { kind: 'sweep' };

const seatsArb = fc.oneof({ weight: 3, arbitrary: fc.shuffledSubarray(SEATS, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.constant([] as string[]) });
const placesArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ adult: 0, child: 0 }) },
  { weight: 2, arbitrary: fc.record({ adult: fc.integer({ min: 0, max: 2 }), child: fc.integer({ min: 0, max: 2 }) }) },
);
const userArb = fc.integer({ min: 0, max: 2 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('lock' as const), user: userArb, seats: seatsArb, places: placesArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), user: userArb, seats: seatsArb, places: placesArb, staff: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('order' as const), user: userArb, seats: seatsArb, places: placesArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), user: userArb, order: fc.nat(20), staff: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('cancelItems' as const),
      user: userArb,
      order: fc.nat(20),
      staff: fc.boolean(),
      pick: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      stranger: fc.boolean(),
      places: placesArb,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pay' as const), order: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1_000, max: 200_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sweep' as const) }) },
);

const count = (p: Places) => p.adult + p.child;

class Model {
  seats = new Map<string, Seat>(SEATS.map((id) => [id, { state: 'AVAILABLE' }]));
  orders: ModelOrder[] = [];
  /** standing holds in the order they were made */
  holds: StandingHold[] = [];
  constructor(public now: number) {}

  private liveHolds(user?: number) {
    return this.holds.filter((h) => h.expiresAt > this.now && (user === undefined || h.user === user));
  }
  /** Standing places anyone may take now (expired holds count as free). */
  available(): number {
    const held = this.liveHolds().reduce((n, h) => n + h.quantity, 0);
    const booked = this.orders.filter((o) => o.status !== 'CANCELLED').reduce((n, o) => n + count(o.places), 0);
    return CAPACITY - held - booked;
  }
  private standingHeld(user: number) {
    return this.liveHolds(user).reduce((n, h) => n + h.quantity, 0);
  }
  /** Gives back up to `places` of the user's live holds, newest first (as bo_standing_unhold). */
  private unhold(user: number, places: Places) {
    for (const type of ['adult', 'child'] as const) {
      let left = places[type];
      for (const h of [...this.liveHolds(user)].reverse()) {
        if (h.type !== type || left === 0) continue;
        const n = Math.min(left, h.quantity);
        h.quantity -= n;
        left -= n;
      }
    }
    this.holds = this.holds.filter((h) => h.quantity > 0);
  }

  private liveLock(s: Seat) {
    return s.state === 'LOCKED' && s.expiresAt! > this.now;
  }
  private heldElsewhere(user: number, except: string[]) {
    let n = 0;
    for (const [id, s] of this.seats) if (s.state === 'LOCKED' && s.holder === user && this.liveLock(s) && !except.includes(id)) n++;
    for (const o of this.orders) if (o.user === user && o.status === 'PENDING') n += o.seats.length + count(o.places);
    return n + this.standingHeld(user);
  }
  private lockable(s: Seat, user: number) {
    return s.state === 'AVAILABLE' || (s.state === 'LOCKED' && (!this.liveLock(s) || s.holder === user));
  }

  lock(user: number, seats: string[], places: Places): number {
    if (seats.length + count(places) === 0) return 400;
    if (seats.some((id) => !this.lockable(this.seats.get(id)!, user))) return 409;
    if (count(places) > this.available()) return 409;
    const fresh = seats.filter((id) => !(this.seats.get(id)!.holder === user && this.liveLock(this.seats.get(id)!)));
    if (fresh.length === 0 && count(places) === 0) return 200;
    if (this.heldElsewhere(user, seats) + seats.length + count(places) > MAX) return 422;
    for (const id of fresh) this.seats.set(id, { state: 'LOCKED', holder: user, expiresAt: this.now + TTL });
    for (const type of ['adult', 'child'] as const) {
      if (places[type] > 0) this.holds.push({ user, type, quantity: places[type], expiresAt: this.now + TTL });
    }
    return 200;
  }

  release(user: number, seats: string[], places: Places, staff: boolean): number {
    if (seats.length + count(places) === 0) return 400;
    for (const id of seats) {
      const s = this.seats.get(id)!;
      if (s.state === 'LOCKED' && (staff || s.holder === user)) this.seats.set(id, { state: 'AVAILABLE' });
    }
    // standing places: only the caller's own holds (a staff member holds none here)
    if (!staff) this.unhold(user, places);
    return 200;
  }

  order(user: number, seats: string[], places: Places): { status: number; index?: number } {
    if (seats.length + count(places) === 0) return { status: 400 };
    if (seats.some((id) => !this.lockable(this.seats.get(id)!, user))) {
      if (count(places) > 0) return { status: 409 };
      const orderIds = new Set(seats.map((id) => this.seats.get(id)!.order));
      const [only] = [...orderIds];
      if (orderIds.size === 1 && only !== undefined) {
        const o = this.orders[only];
        if (o.user === user && o.status === 'PENDING' && [...o.seats].sort().join() === [...seats].sort().join()) return { status: 200, index: only };
      }
      return { status: 409 };
    }
    // the caller's own standing holds become the order's places; the rest must fit
    const holdsBefore = this.holds.map((h) => ({ ...h }));
    this.unhold(user, places);
    if (count(places) > this.available()) {
      this.holds = holdsBefore;
      return { status: 409 };
    }
    if (this.heldElsewhere(user, seats) + seats.length + count(places) > MAX) {
      this.holds = holdsBefore;
      return { status: 422 };
    }
    const index = this.orders.push({ user, seats: [...seats].sort(), places: { ...places }, status: 'PENDING', expiresAt: this.now + TTL }) - 1;
    for (const id of seats) this.seats.set(id, { state: 'BOOKED', order: index });
    return { status: 201, index };
  }

  private free(o: ModelOrder) {
    for (const id of o.seats) this.seats.set(id, { state: 'AVAILABLE' });
  }

  cancel(user: number, index: number, staff: boolean): number {
    const o = this.orders[index];
    if (!staff && o.user !== user) return 404;
    if (o.status === 'CANCELLED' || (o.status === 'PAID' && !staff)) return 409;
    o.status = 'CANCELLED';
    this.free(o);
    return 200;
  }

  /**
   * Partial cancel (OrdersService.cancel with seatIds / standing): the owner (PENDING) or staff (PENDING, PAID);
   * items not in the order → 400, nothing named → 400; every item named → the whole order is cancelled; else only
   * those seats become AVAILABLE and those places free, the rest of the order stays.
   */
  cancelItems(user: number, index: number, staff: boolean, seats: string[], places: Places): number {
    const o = this.orders[index];
    if (!staff && o.user !== user) return 404;
    if (o.status === 'CANCELLED' || (o.status === 'PAID' && !staff)) return 409;
    if (seats.some((id) => !o.seats.includes(id))) return 400;
    if (places.adult > o.places.adult || places.child > o.places.child) return 400;
    if (seats.length + count(places) === 0) return 400;
    if (seats.length === o.seats.length && places.adult === o.places.adult && places.child === o.places.child) return this.cancel(user, index, staff);
    for (const id of seats) this.seats.set(id, { state: 'AVAILABLE' });
    o.seats = o.seats.filter((id) => !seats.includes(id));
    o.places = { adult: o.places.adult - places.adult, child: o.places.child - places.child };
    return 200;
  }

  pay(index: number): number {
    const o = this.orders[index];
    if (o.status !== 'PENDING' || o.expiresAt <= this.now) return 409;
    o.status = 'PAID';
    return 200;
  }

  sweep(): void {
    for (const o of this.orders) {
      if (o.status === 'PENDING' && o.expiresAt <= this.now) {
        o.status = 'CANCELLED';
        this.free(o);
      }
    }
    for (const [id, s] of this.seats) if (s.state === 'LOCKED' && s.expiresAt! <= this.now) this.seats.set(id, { state: 'AVAILABLE' });
    this.holds = this.liveHolds();
  }
}

for (const target of dbTargets()) {
  describe(`booking model on ${target}`, () => {
    let s: TestServer;
    let users: TestUser[];
    let staff: TestUser;
    let admin: TestUser;
    let nextShow = 0;
    before(async () => {
      s = await startTestServer({ target, config: { maxSeatsPerUser: MAX, seatLockTtlMs: TTL, orderPaymentTtlMs: TTL } });
      users = await s.users(3);
      staff = await s.user('staff');
      admin = await s.user('admin');
    });
    after(() => s.close());

    it('every random sequence of operations keeps the service equal to the model and the invariants true', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 30 }), async (ops) => {
          const showDate = addDays('2035-01-01', nextShow++);
          assert.equal((await call(s.url, 'POST', '/api/v1/shows', { body: { showDate }, headers: admin.auth })).status, 201);
          // a tiny standing area, so that random walks run it out
          await s.db.query('UPDATE show_standing SET capacity = $2 WHERE show_date = $1', [showDate, CAPACITY]);
          const model = new Model(s.clock.now().getTime());
          for (const op of ops) {
            // time moves on between steps, if only by a millisecond: a partial cancel and a payment in the same
            // instant would leave the invariants unable to tell which came first (cancelled_at >= paid_at)
            s.clock.advance(1);
            model.now += 1;
            let expected: number;
            let got: { status: number; body: any };
            const who = (u: number, asStaff = false) => (asStaff ? staff : users[u]).auth;
            switch (op.kind) {
              case 'lock':
                expected = model.lock(op.user, op.seats, op.places);
                got = await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate, seatIds: op.seats, standing: op.places }, headers: who(op.user) });
                break;
              case 'release':
                expected = model.release(op.user, op.seats, op.places, op.staff);
                got = await call(s.url, 'POST', '/api/orders/enhanced/seats/release', { body: { showDate, seatIds: op.seats, standing: op.places }, headers: who(op.user, op.staff) });
                break;
              case 'order': {
                const m = model.order(op.user, op.seats, op.places);
                expected = m.status;
                got = await call(s.url, 'POST', '/api/v1/orders', { body: { showDate, seatIds: op.seats, standing: op.places }, headers: who(op.user) });
                if (got.status === 201) model.orders[m.index!].id = got.body.order.id;
                if (got.status === 200 && m.index !== undefined) assert.equal(got.body.order.id, model.orders[m.index].id);
                break;
              }
              case 'cancel': {
                if (model.orders.length === 0) continue;
                const index = op.order % model.orders.length;
                expected = model.cancel(op.user, index, op.staff);
                got = await call(s.url, 'PATCH', `/api/v1/orders/${model.orders[index].id}/cancel`, { body: {}, headers: who(op.user, op.staff) });
                break;
              }
              case 'cancelItems': {
                if (model.orders.length === 0) continue;
                const index = op.order % model.orders.length;
                const o = model.orders[index];
                const seats = o.seats.filter((_, i) => op.pick[i % op.pick.length]);
                const foreign = SEATS.find((id) => !o.seats.includes(id));
                if (op.stranger && foreign) seats.push(foreign);
                expected = model.cancelItems(op.user, index, op.staff, seats, op.places);
                const body = { ...(seats.length ? { seatIds: seats } : {}), standing: op.places };
                got = await call(s.url, 'PATCH', `/api/v1/orders/${o.id}/cancel`, { body, headers: who(op.user, op.staff) });
                if (got.status === 200) {
                  // the order as the service left it: exactly the model's items
                  const items = got.body.order.seats.map((x: { seatId: string }) => x.seatId).sort();
                  const placesLeft = { adult: 0, child: 0 };
                  for (const l of got.body.order.standing as { type: 'adult' | 'child'; quantity: number }[]) placesLeft[l.type] += l.quantity;
                  assert.deepEqual([got.body.order.status, items, placesLeft], [o.status, o.status === 'CANCELLED' ? items : o.seats, o.status === 'CANCELLED' ? placesLeft : o.places], `order after ${JSON.stringify(op)}`);
                }
                break;
              }
              case 'pay': {
                if (model.orders.length === 0) continue;
                const index = op.order % model.orders.length;
                const o = model.orders[index];
                expected = model.pay(index);
                got = await call(s.url, 'POST', `/api/v1/orders/${o.id}/payments`, {
                  body: { method: 'card', amount: o.seats.length * 1800 + o.places.adult * PRICE.adult + o.places.child * PRICE.child, reference: `ref-${Math.random()}` },
                  headers: staff.auth,
                });
                break;
              }
              case 'wait':
                s.clock.advance(op.ms);
                model.now += op.ms;
                continue;
              case 'sweep':
                model.sweep();
                expected = 200;
                got = await call(s.url, 'POST', '/api/orders/enhanced/cleanup', { headers: admin.auth });
                break;
            }
            assert.equal(got.status, expected, `${JSON.stringify(op)} → ${JSON.stringify(got.body)}`);
            const { rows } = await s.db.query<{ seat_id: string; state: string; holder_id: string | null }>(
              `SELECT seat_id, state, holder_id FROM seat_inventory WHERE show_date = $1 AND seat_id = ANY ($2) ORDER BY seat_id`,
              [showDate, SEATS],
            );
            for (const r of rows) {
              const m = model.seats.get(r.seat_id)!;
              assert.equal(r.state, m.state, `seat ${r.seat_id} after ${JSON.stringify(op)}`);
              if (m.state === 'LOCKED') assert.equal(r.holder_id, users[m.holder!].id);
            }
            const available = (await s.db.query<{ n: number }>('SELECT bo_standing_available($1, $2) AS n', [showDate, s.clock.now()])).rows[0].n;
            assert.equal(available, model.available(), `standing places available after ${JSON.stringify(op)}`);
            await checkInvariants(s.db);
          }
        }),
        { numRuns: Number(process.env.PROPERTY_RUNS ?? 25), seed: process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined },
      );
    });
  });
}
