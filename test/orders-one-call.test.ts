import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { countingDb, type CountingDb } from './helpers/counting-db.ts';
import { checkInvariants } from './helpers/invariants.ts';
import { OrdersService } from '../src/modules/orders/service.ts';
import { Counters } from '../src/modules/ops/counters.ts';
import { AppError } from '../src/errors.ts';
import type { EventBus } from '../src/realtime/bus.ts';
import type { Queryable } from '../src/db/driver.ts';
import type { SeatEvent, OrderStatusChangedEvent, PaymentStatusChangedEvent } from '../src/contract/events.ts';
import type { TokenClaims } from '../src/modules/auth/service.ts';

/** An event bus that keeps what it is given. */
function recordingBus() {
  const seat: SeatEvent[] = [];
  const order: OrderStatusChangedEvent[] = [];
  const payment: PaymentStatusChangedEvent[] = [];
  const bus: EventBus = {
    seat: (events) => void seat.push(...events),
    order: (e) => void order.push(e),
    payment: (e) => void payment.push(e),
    checkinCount: () => {},
  };
  return { bus, seat, order, payment };
}

const claims = (u: TestUser): TokenClaims => ({ sub: u.id, role: u.role, email: u.email });

// Orders in one round trip (issue 13, target 3): create and cancel are ONE statement each (bo_order_create,
// bo_order_cancel), expiry runs in bounded batches of one statement each (bo_orders_expire, SKIP LOCKED).
for (const target of dbTargets()) {
  describe(`orders in one SQL call on ${target}`, () => {
    let s: TestServer;
    let db: CountingDb;

    before(async () => {
      s = await startTestServer({ target, listen: false });
      db = countingDb(s.db);
    });
    after(async () => {
      await checkInvariants(s.db);
      await s.close();
    });

    const service = (batch = 100) => {
      const rec = recordingBus();
      return { orders: new OrdersService(db, { ...s.config, orderExpiryBatch: batch }, rec.bus, new Counters()), ...rec };
    };
    const seq = async (showDate: string) => Number((await s.db.query<{ seq: number }>('SELECT seq FROM shows WHERE show_date = $1', [showDate])).rows[0].seq);
    const freeSeats = async (showDate: string, n: number) =>
      (await s.db.query<{ seat_id: string }>(`SELECT seat_id FROM seat_inventory WHERE show_date = $1 AND state = 'AVAILABLE' ORDER BY seat_id LIMIT $2`, [showDate, n])).rows.map((r) => r.seat_id);
    /** `n` one-seat orders on the show, by as many users as the per-user cap needs. */
    const wave = async (orders: OrdersService, showDate: string, n: number): Promise<string[]> => {
      const seats = await freeSeats(showDate, n);
      assert.equal(seats.length, n, 'the venue has enough free seats for the wave');
      const users = await s.users(Math.ceil(n / s.config.maxSeatsPerUser));
      const ids: string[] = [];
      for (const [i, seat] of seats.entries()) {
        ids.push((await orders.create(claims(users[Math.floor(i / s.config.maxSeatsPerUser)]), { showDate, seatIds: [seat] })).order.id);
      }
      return ids;
    };
    /** The events of each show, sorted by seq, must be numbered from `from` + 1 on without a gap or a repeat. */
    const assertGapFree = (events: SeatEvent[], showDate: string, from: number, to: number) => {
      const seqs = events.filter((e) => e.showDate === showDate).map((e) => e.seq).sort((x, y) => x - y);
      assert.deepEqual(seqs, Array.from({ length: to - from }, (_, i) => from + 1 + i), `seq of ${showDate} gap-free from ${from + 1} to ${to}`);
    };

    it('creates an order in ONE database round trip, and replays it by Idempotency-Key in one', async () => {
      const [u] = await s.users(1);
      const { orders, seat, order } = service();
      const [s1, s2] = await freeSeats(s.showDate, 2);
      const before = await seq(s.showDate);
      db.reset();
      const made = await orders.create(claims(u), { showDate: s.showDate, seatIds: [s2, s1], customerName: 'Somchai' }, 'key-one-call');
      assert.equal(db.roundTrips, 1, `one round trip, got: ${db.statements.join(' | ')}`);
      assert.equal(db.flushes, 1, 'answered after the wait for the disk (PostgreSQL: the asynchronous commit; PGlite: nothing to wait for)');
      assert.equal(db.transactions, 0);
      assert.equal(made.replayed, false);
      assert.equal(made.order.status, 'PENDING');
      assert.deepEqual(made.order.seats.map((x) => x.seatId), [s1, s2].sort());
      assert.equal(made.order.customerName, 'Somchai');
      assert.deepEqual(seat, [{ type: 'seat-booked', seatIds: [s1, s2].sort(), showDate: s.showDate, seq: before + 1 }]);
      assert.deepEqual(order.map((e) => [e.orderId, e.status]), [[made.order.id, 'PENDING']]);

      db.reset();
      const again = await orders.create(claims(u), { showDate: s.showDate, seatIds: [s1, s2], customerName: 'Somchai' }, 'key-one-call');
      assert.equal(db.roundTrips, 1);
      assert.equal(again.replayed, true);
      assert.deepEqual(again.order, made.order);
      assert.equal(seat.length, 1, 'a replay publishes nothing');
      assert.equal(await seq(s.showDate), before + 1, 'a replay takes no seq');
      await assert.rejects(
        orders.create(claims(u), { showDate: s.showDate, seatIds: [s1] }, 'key-one-call'),
        (err: unknown) => err instanceof AppError && err.code === 'IDEMPOTENCY_KEY_REUSED',
      );
      // a raised error wrote nothing: the seat-booked order is still the only one
      const n = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE user_id = $1', [u.id]);
      assert.equal(n.rows[0].n, 1);
    });

    it('answers errors from the one statement as before, writing nothing', async () => {
      const [u, v] = await s.users(2);
      const { orders } = service();
      const [x] = await freeSeats(s.showDate, 1);
      await orders.create(claims(v), { showDate: s.showDate, seatIds: [x] });
      const before = await seq(s.showDate);
      db.reset();
      await assert.rejects(orders.create(claims(u), { showDate: s.showDate, seatIds: [x] }), (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.code, 'SEAT_UNAVAILABLE');
        assert.deepEqual(err.details, { unavailable: [{ seatId: x, status: 'BOOKED' }] });
        return true;
      });
      assert.equal(db.roundTrips, 1);
      await assert.rejects(orders.create(claims(u), { showDate: s.showDate, seatIds: ['no-such-seat', x] }), (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.deepEqual([err.code, err.details], ['SEAT_NOT_FOUND', { seatIds: ['no-such-seat'] }]);
        return true;
      });
      await assert.rejects(orders.create(claims(u), { showDate: s.showDate, standing: { adult: 1000 } }), (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.code, 'STANDING_UNAVAILABLE');
        assert.deepEqual((err.details as { requested: unknown }).requested, { adult: 1000, child: 0 });
        return true;
      });
      assert.equal(await seq(s.showDate), before, 'refused orders take no seq');
    });

    it('cancels a whole order in ONE database round trip: seats and standing places back, one mail, events last', async () => {
      const [u] = await s.users(1);
      const { orders, seat, order } = service();
      const [x] = await freeSeats(s.showDate, 1);
      const made = await orders.create(claims(u), { showDate: s.showDate, seatIds: [x], standing: { adult: 1, child: 1 } });
      seat.length = 0;
      order.length = 0;
      const before = await seq(s.showDate);
      db.reset();
      const done = await orders.cancel(claims(u), made.order.id);
      assert.equal(db.roundTrips, 1, `one round trip, got: ${db.statements.join(' | ')}`);
      assert.equal(done.status, 'CANCELLED');
      assert.equal(done.cancelReason, 'USER');
      assert.equal(seat.length, 2);
      assert.deepEqual(seat[0], { type: 'seat-released', seatIds: [x], lockedBy: null, expiresAt: null, showDate: s.showDate, seq: before + 1, reason: 'cancelled' });
      assert.equal(seat[1].type, 'standing-changed');
      assert.equal(seat[1].seq, before + 2);
      assert.deepEqual(order.map((e) => [e.orderId, e.status]), [[made.order.id, 'CANCELLED']]);
      const state = await s.db.query<{ state: string }>('SELECT state FROM seat_inventory WHERE show_date = $1 AND seat_id = $2', [s.showDate, x]);
      assert.equal(state.rows[0].state, 'AVAILABLE');
      const mails = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE order_id = $1 AND kind = 'order-cancelled'`, [made.order.id]);
      assert.equal(mails.rows[0].n, 1);
      // a second cancel is refused by the same statement, and changes nothing
      await assert.rejects(orders.cancel(claims(u), made.order.id), (err: unknown) => err instanceof AppError && err.code === 'ORDER_NOT_CANCELLABLE');
      const [other] = await s.users(1);
      await assert.rejects(orders.cancel(claims(other), made.order.id), (err: unknown) => err instanceof AppError && err.code === 'ORDER_NOT_FOUND');
      assert.equal(await seq(s.showDate), before + 2);
    });

    it('expires a wave of 250 unpaid orders in 3 bounded batches of 100: each cancelled once, seq gap-free', async () => {
      const { orders, seat, order, payment } = service(100);
      const showDate = s.showDate;
      // the orders of the tests before run out first, so the wave is all there is
      s.clock.advance(s.config.orderPaymentTtlMs + 1);
      await orders.expireOrders();
      const ids = await wave(orders, showDate, 250);
      seat.length = 0;
      order.length = 0;
      const before = await seq(showDate);
      s.clock.advance(s.config.orderPaymentTtlMs + 1);
      db.reset();
      const n = await orders.expireOrders();
      assert.equal(n, 250);
      assert.equal(db.roundTrips, 3, `three statements, got: ${db.statements.join(' | ')}`);
      assert.equal(db.transactions, 0, 'each batch is one statement, committed on its own');
      assert.ok(db.statements.every((q) => q.includes('bo_orders_expire')));

      assert.deepEqual(order.map((e) => e.orderId).sort(), [...ids].sort(), 'one order-status-changed per order');
      assert.ok(order.every((e) => e.status === 'CANCELLED'));
      assert.deepEqual(payment, []);
      const released = seat.filter((e) => e.type === 'seat-released');
      assert.equal(released.length, 250);
      assert.ok(released.every((e) => e.type === 'seat-released' && e.reason === 'expired' && e.lockedBy === null));
      assertGapFree(seat, showDate, before, await seq(showDate));
      const rows = await s.db.query<{ status: string; cancel_reason: string; mails: number }>(
        `SELECT o.status, o.cancel_reason, (SELECT count(*)::int FROM outbox m WHERE m.order_id = o.id AND m.kind = 'order-cancelled') AS mails
           FROM orders o WHERE o.id = ANY ($1)`,
        [ids],
      );
      assert.equal(rows.rows.length, 250);
      assert.ok(rows.rows.every((r) => r.status === 'CANCELLED' && r.cancel_reason === 'EXPIRED' && r.mails === 1));
      const left = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM seat_inventory WHERE show_date = $1 AND state = 'BOOKED'`, [showDate]);
      assert.equal(left.rows[0].n, 0);
      db.reset();
      assert.equal(await orders.expireOrders(), 0);
      assert.equal(db.roundTrips, 1, 'nothing left: one empty batch');
    });

    it('two instances expiring at once cancel every order exactly once; seats all AVAILABLE, seq gap-free per show', async () => {
      const shows = (await s.db.query<{ show_date: string }>(`SELECT show_date FROM shows WHERE status = 'ON_SALE' ORDER BY show_date LIMIT 2`)).rows.map((r) => r.show_date);
      assert.equal(shows.length, 2);
      const a = service(25);
      const b = service(25);
      s.clock.advance(s.config.orderPaymentTtlMs + 1);
      assert.equal(await a.orders.expireOrders(), 0, 'no unpaid order left from before');
      const ids = [...(await wave(a.orders, shows[0], 120)), ...(await wave(a.orders, shows[1], 120))];
      a.seat.length = 0;
      a.order.length = 0;
      const before = await Promise.all(shows.map(seq));
      s.clock.advance(s.config.orderPaymentTtlMs + 1);
      db.reset();
      const [na, nb] = await Promise.all([a.orders.expireOrders(), b.orders.expireOrders()]);
      assert.equal(na + nb, 240, `both together cancelled every order (${na} + ${nb})`);
      // at most 9 full batches of 25 between them, and each instance stops at its first short one
      assert.ok(db.roundTrips <= 11, `bounded batches, one statement each: ${db.roundTrips}`);
      assert.equal(db.transactions, 0);
      const cancelled = [...a.order, ...b.order].map((e) => e.orderId);
      assert.equal(new Set(cancelled).size, cancelled.length, 'no order cancelled twice');
      assert.deepEqual(cancelled.sort(), [...ids].sort());
      const mails = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE order_id = ANY ($1) AND kind = 'order-cancelled'`, [ids]);
      assert.equal(mails.rows[0].n, 240, 'one cancel notice per order');
      const events = [...a.seat, ...b.seat];
      for (const [i, showDate] of shows.entries()) {
        assertGapFree(events, showDate, before[i], await seq(showDate));
        const booked = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM seat_inventory WHERE show_date = $1 AND state <> 'AVAILABLE'`, [showDate]);
        assert.equal(booked.rows[0].n, 0, `every seat of ${showDate} AVAILABLE`);
      }
      const seats = events.flatMap((e) => (e.type === 'seat-released' ? e.seatIds.map((id) => `${e.showDate}/${id}`) : []));
      assert.equal(new Set(seats).size, 240, 'each seat released once');
      assert.equal(seats.length, 240);
    });

    it('checks the show keys of the rows it inserts at COMMIT: an open order locks nothing of its show before numbering', async () => {
      const [u] = await s.users(1);
      const insertOrder = (q: Queryable, showDate: string) =>
        q.query(
          `INSERT INTO orders (user_id, show_date, status, total, currency, created_at, expires_at)
           VALUES ($1, $2, 'PENDING', 0, 'THB', now(), now() + interval '1 hour')`,
          [u.id, showDate],
        );
      // an unknown show: the inserts pass, COMMIT refuses them (23503), nothing is written
      let insertsPassed = false;
      await assert.rejects(
        s.db.tx(async (q) => {
          await insertOrder(q, '2099-01-01');
          await q.query(`INSERT INTO standing_holds (show_date, holder_id, admission, quantity, hold_expires_at) VALUES ('2099-01-01', $1, 'adult', 1, now())`, [u.id]);
          insertsPassed = true;
        }),
        (err: { code?: string }) => err.code === '23503',
      );
      assert.equal(insertsPassed, true, 'the keys are checked at COMMIT, not at the inserts');
      const left = await s.db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM orders WHERE show_date = '2099-01-01') + (SELECT count(*) FROM standing_holds WHERE show_date = '2099-01-01') AS n`,
      );
      assert.equal(Number(left.rows[0].n), 0);
      if (s.db.kind !== 'pg') return; // one connection: no second transaction to watch from
      // Two open order transactions of one show; the second numbers an event (as bo_order_create does, last).
      // Checked at each INSERT, both keys would share-lock the show row and its lock would be a MultiXact of
      // both; checked at COMMIT, the row is locked by the second alone, through its update.
      const rollback = new Error('roll back');
      let inserted!: () => void;
      let done!: () => void;
      const first = new Promise<void>((r) => (inserted = r));
      const finished = new Promise<void>((r) => (done = r));
      const t1 = s.db.tx(async (q) => {
        await insertOrder(q, s.showDate);
        inserted();
        await finished;
        throw rollback;
      });
      await first;
      const seen = s.db.tx(async (q) => {
        await insertOrder(q, s.showDate);
        const { rows } = await q.query<{ xid: string }>('SELECT (pg_current_xact_id()::text::bigint % 4294967296)::text AS xid, bo_next_seq($1, 1)', [s.showDate]);
        // read from another connection: the version it sees carries the row lock (xmax), a MultiXact id if shared
        const other = await s.db.query<{ xmax: string }>('SELECT xmax::text AS xmax FROM shows WHERE show_date = $1', [s.showDate]);
        throw Object.assign(rollback, { seen: { mine: rows[0].xid, ...other.rows[0] } });
      }).catch((err: { seen?: { mine: string; xmax: string } }) => err.seen);
      const result = await seen;
      done();
      await assert.rejects(t1, rollback);
      assert.ok(result, 'the second transaction got to read the show row');
      assert.equal(result.xmax, result.mine, 'the show row is locked by the transaction that numbered, alone (no MultiXact)');
    });
  });
}
