// Coalesced holds (HoldBatcher + bo_hold_batch, migrations/003): a batch of lock/release operations must
// answer and change the database exactly as the same operations sent one by one.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { checkInvariants } from './helpers/invariants.ts';
import { holdsRepository, independentSeatOps, type HoldOp, type HoldOpResult } from '../src/modules/holds/repository.ts';
import { HoldBatcher } from '../src/modules/holds/batcher.ts';
import { call } from './helpers/http.ts';
import { prng } from './helpers/socket.ts';

const SEATS = ['101', '102', '103', '104', '105', '106'];

for (const target of dbTargets()) {
  describe(`coalesced seat holds on ${target}`, () => {
    let s: TestServer;
    let users: TestUser[];
    let staff: TestUser;
    const MAX = 3;
    const TTL = 60_000;
    before(async () => {
      s = await startTestServer({ target, config: { maxSeatsPerUser: MAX, seatLockTtlMs: TTL } });
      users = await s.users(3);
      staff = await s.user('staff');
    });
    after(async () => {
      await checkInvariants(s.db);
      await s.close();
    });

    const normalise = (r: HoldOpResult) =>
      r === undefined
        ? 'SHOW_NOT_FOUND'
        : 'groups' in r
          ? { ...r, groups: r.groups.map((g) => ({ ...g, showDate: 'X', expiresAt: g.expiresAt.getTime() })) }
          : 'expiresAt' in r
            ? { ...r, expiresAt: r.expiresAt.getTime() }
            : r;

    it('a batch answers and changes the seats exactly as the same operations one by one', async () => {
      // two identical fresh shows: one gets batches, the other the same operations one at a time
      const [batched, single] = ['2099-03-01', '2099-03-02'];
      await s.services.catalog.createShow(batched);
      await s.services.catalog.createShow(single);
      const rnd = prng(target === 'pg' ? 7 : 11);
      const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
      let outcomes = new Set<string>();
      for (let round = 0; round < 25; round++) {
        const now = s.clock.now();
        const ops: ((show: string) => HoldOp)[] = [];
        const n = 2 + Math.floor(rnd() * 10);
        for (let i = 0; i < n; i++) {
          const u = pick(users);
          const seats = [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => (rnd() < 0.05 ? 'ZZ9' : pick(SEATS))))].sort();
          const r = rnd();
          if (r < 0.6) ops.push((show) => ({ op: 'lock', showDate: rnd() < 0.03 ? '2001-01-01' : show, seatIds: seats, userId: u.id, now }));
          else if (r < 0.9) ops.push((show) => ({ op: 'release', showDate: show, seatIds: seats, userId: u.id, any: false }));
          else ops.push((show) => ({ op: 'release', showDate: show, seatIds: seats, userId: staff.id, any: true }));
        }
        // the same random choices for both shows: build each op once, then re-target
        const template = ops.map((f) => f('@'));
        const forShow = (show: string) => template.map((o) => ({ ...o, showDate: o.showDate === '@' ? show : o.showDate }));
        const got = await holdsRepository.batch(s.db, forShow(batched), { ttlMs: TTL, max: MAX });
        const want: HoldOpResult[] = [];
        for (const o of forShow(single)) {
          want.push(o.op === 'lock' ? await holdsRepository.lock(s.db, { ...o, ttlMs: TTL, max: MAX }) : await holdsRepository.release(s.db, o));
        }
        assert.deepEqual(got.map(normalise), want.map(normalise), `round ${round}: ${JSON.stringify(template)}`);
        for (const r of want) outcomes.add(r === undefined ? 'SHOW_NOT_FOUND' : 'groups' in r ? `released ${r.groups.length > 0}` : r.outcome);
        if (rnd() < 0.2) s.clock.advance(TTL + 1); // let some locks expire (lazy expiry)
      }
      const state = async (show: string) =>
        (
          await s.db.query(
            `SELECT seat_id, state, holder_id, hold_expires_at FROM seat_inventory WHERE show_date = $1 ORDER BY seat_id`,
            [show],
          )
        ).rows;
      assert.deepEqual(await state(batched), await state(single));
      const seqs = (await s.db.query<{ seq: number }>(`SELECT seq FROM shows WHERE show_date = ANY ($1::date[]) ORDER BY show_date`, [[batched, single]])).rows;
      assert.equal(seqs[0].seq, seqs[1].seq, 'the same number of seat events');
      // the random walk reached the interesting answers
      for (const o of ['OK', 'SEAT_UNAVAILABLE', 'LOCK_LIMIT_EXCEEDED', 'SEAT_NOT_FOUND', 'released true', 'released false']) assert.ok(outcomes.has(o), `never saw ${o}`);
      outcomes = new Set();
    });

    it('the hot path (bo_hold_seats) answers and changes the seats exactly as the general one (bo_hold_batch)', async () => {
      // independent seat-only batches: each user at most once per batch, each seat at most once
      const [hot, general] = ['2099-03-15', '2099-03-16'];
      await s.services.catalog.createShow(hot);
      await s.services.catalog.createShow(general);
      const buyers = [...users, ...(await s.users(5))];
      const pool = ['101', '102', '103', '104', '105', '106', '107', '108', '109', '110', 'ZZ9'];
      const rnd = prng(target === 'pg' ? 5 : 13);
      const outcomes = new Set<string>();
      for (let round = 0; round < 40; round++) {
        const now = s.clock.now();
        const free = [...pool].sort(() => rnd() - 0.5);
        const template: HoldOp[] = [];
        for (const u of buyers) {
          if (rnd() < 0.35 || free.length === 0) continue;
          const seats = free.splice(0, Math.min(free.length, 1 + Math.floor(rnd() * 3)));
          const show = rnd() < 0.04 ? '2001-01-01' : '@';
          template.push(
            rnd() < 0.6
              ? { op: 'lock', showDate: show, seatIds: seats, userId: u.id, now, ...(rnd() < 0.1 ? { max: 6 } : {}) }
              : { op: 'release', showDate: show, seatIds: seats, userId: u.id, any: false, now },
          );
        }
        if (template.length === 0) continue;
        assert.ok(independentSeatOps(template));
        const forShow = (show: string) => template.map((o) => ({ ...o, showDate: o.showDate === '@' ? show : o.showDate }));
        // seq numbers are compared from where each show's count stood before the batch
        const seqOf = async (show: string) => Number((await s.db.query<{ seq: string }>('SELECT seq FROM shows WHERE show_date = $1', [show])).rows[0].seq);
        const relative = (base: number) => (r: HoldOpResult) => {
          const n = normalise(r);
          if (typeof n !== 'object' || !n) return n;
          if ('groups' in n) return { ...n, groups: n.groups.map((g) => ({ ...g, seq: g.seq - base })) };
          return 'seq' in n && n.seq !== null ? { ...n, seq: n.seq - base } : n;
        };
        const [hotBase, generalBase] = [await seqOf(hot), await seqOf(general)];
        const got = await holdsRepository.seatBatch(s.db, forShow(hot), { ttlMs: TTL, max: MAX });
        const want = await holdsRepository.roundsBatch(s.db, forShow(general), { ttlMs: TTL, max: MAX });
        assert.deepEqual(got.map(relative(hotBase)), want.map(relative(generalBase)), `round ${round}: ${JSON.stringify(template)}`);
        for (const r of want) outcomes.add(r === undefined ? 'SHOW_NOT_FOUND' : 'groups' in r ? `released ${r.groups.length > 0}` : r.outcome);
        if (rnd() < 0.15) s.clock.advance(TTL + 1);
      }
      const state = async (show: string) =>
        (await s.db.query(`SELECT seat_id, state, holder_id, hold_expires_at FROM seat_inventory WHERE show_date = $1 ORDER BY seat_id`, [show])).rows;
      assert.deepEqual(await state(hot), await state(general));
      const seqs = (await s.db.query<{ seq: string }>(`SELECT seq FROM shows WHERE show_date = ANY ($1::date[]) ORDER BY show_date`, [[hot, general]])).rows;
      assert.equal(seqs[0].seq, seqs[1].seq, 'the same number of seat events');
      for (const o of ['OK', 'SEAT_UNAVAILABLE', 'LOCK_LIMIT_EXCEEDED', 'SEAT_NOT_FOUND', 'SHOW_NOT_FOUND', 'released true', 'released false']) {
        assert.ok(outcomes.has(o), `never saw ${o}`);
      }
    });

    it('hot-path batches over two shows, in parallel and in both show orders: no deadlock, every event numbered once', async () => {
      const shows = ['2099-03-17', '2099-03-18'];
      for (const d of shows) await s.services.catalog.createShow(d);
      const crowd = await s.users(24);
      const now = s.clock.now();
      const seatsOf = (k: number) => [String(101 + 2 * k), String(102 + 2 * k)];
      // batch k: user k locks two seats on each show, the shows listed in an order that alternates
      const batch = (k: number, op: 'lock' | 'release'): HoldOp[] =>
        (k % 2 ? [...shows].reverse() : shows).map((showDate) =>
          op === 'lock'
            ? { op, showDate, seatIds: seatsOf(k), userId: crowd[k].id, now }
            : { op, showDate, seatIds: seatsOf(k), userId: crowd[k].id, any: false, now },
        );
      for (const op of ['lock', 'release'] as const) {
        const results = await Promise.all(crowd.map((_, k) => holdsRepository.seatBatch(s.db, batch(k, op), { ttlMs: TTL, max: MAX })));
        for (const r of results.flat()) {
          if (op === 'lock') assert.equal(r && 'outcome' in r && r.outcome, 'OK');
          else assert.equal(r && 'groups' in r && r.groups.length, 1);
        }
      }
      const { rows } = await s.db.query<{ seq: number; locked: number }>(
        `SELECT sh.seq, (SELECT count(*)::int FROM seat_inventory i WHERE i.show_date = sh.show_date AND i.state = 'LOCKED') AS locked
           FROM shows sh WHERE sh.show_date = ANY ($1::date[]) ORDER BY sh.show_date`,
        [shows],
      );
      // per show: one seat-locked and one seat-released event per buyer, nothing left held
      assert.deepEqual(rows, shows.map(() => ({ seq: 2 * crowd.length, locked: 0 })));
    });

    it('a batch that fails on the server is retried one by one, in arrival order: only the bad request fails', async () => {
      const show = '2099-03-03';
      await s.services.catalog.createShow(show);
      const batcher = new HoldBatcher(s.db, { ttlMs: TTL, max: MAX, maxBatch: 64, maxInFlight: 1, maxInFlightPerShow: 1 });
      const now = s.clock.now();
      const [a, bad, c] = await Promise.allSettled([
        batcher.lock({ op: 'lock', showDate: show, seatIds: ['101'], userId: users[0].id, now }),
        // not a uuid: the whole batch statement fails with 22P02
        batcher.lock({ op: 'lock', showDate: show, seatIds: ['102'], userId: 'not-a-uuid', now }),
        batcher.lock({ op: 'lock', showDate: show, seatIds: ['101'], userId: users[1].id, now }),
      ]);
      assert.equal(a.status, 'fulfilled');
      assert.equal(a.status === 'fulfilled' && a.value.outcome, 'OK');
      assert.equal(bad.status, 'rejected');
      assert.equal(c.status === 'fulfilled' && c.value.outcome, 'SEAT_UNAVAILABLE');
      const { rows } = await s.db.query(`SELECT seat_id, holder_id FROM seat_inventory WHERE show_date = $1 AND state = 'LOCKED'`, [show]);
      assert.deepEqual(rows, [{ seat_id: '101', holder_id: users[0].id }]);
    });

    it('when the database does not answer, the batch and what waits for its shows fail at once, never sent; other shows go on', async () => {
      const show = '2099-03-07';
      const other = '2099-03-08';
      await s.services.catalog.createShow(show);
      await s.services.catalog.createShow(other);
      // the first statement hangs until it is failed by hand, as a lost connection or a client time limit fails it
      let failFirst!: (err: Error) => void;
      const sent: string[][] = [];
      const db = {
        ...s.db,
        query: (sql: string, params?: unknown[], name?: string) => {
          sent.push((params?.[7] as string[] | undefined) ?? []);
          if (sent.length === 1) return new Promise<never>((_, reject) => (failFirst = reject));
          return s.db.query(sql, params, name);
        },
      } as typeof s.db;
      const batcher = new HoldBatcher(db, { ttlMs: TTL, max: MAX, maxBatch: 64, maxInFlight: 4, maxInFlightPerShow: 1 });
      const now = s.clock.now();
      const first = batcher.lock({ op: 'lock', showDate: show, seatIds: ['101'], userId: users[0].id, now });
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(sent.length, 1, 'the first batch is in flight');
      // these wait for the show's batch in flight; the other show's request goes out beside it
      const waiting = [
        batcher.lock({ op: 'lock', showDate: show, seatIds: ['102'], userId: users[1].id, now }),
        batcher.release({ op: 'release', showDate: show, seatIds: ['103'], userId: users[2].id, any: false, now }),
      ];
      const elsewhere = batcher.lock({ op: 'lock', showDate: other, seatIds: ['102'], userId: users[1].id, now });
      assert.equal((await elsewhere).outcome, 'OK');
      const lost = new Error('Connection terminated unexpectedly');
      failFirst(lost);
      const outcomes = await Promise.allSettled([first, ...waiting]);
      assert.deepEqual(outcomes.map((o) => (o.status === 'rejected' ? o.reason : o.status)), [lost, lost, lost]);
      assert.deepEqual(sent, [['101'], ['102']], 'the waiting requests were never sent');
      const { rows } = await s.db.query(`SELECT show_date::text AS d, seat_id FROM seat_inventory WHERE show_date IN ($1, $2) AND state = 'LOCKED' ORDER BY 1`, [show, other]);
      assert.deepEqual(rows, [{ d: other, seat_id: '102' }]);
    });

    it("a show's next batch is sent as soon as the one before committed, before that one's answers are handled", async () => {
      const show = '2099-03-09';
      await s.services.catalog.createShow(show);
      const log: string[] = [];
      let release!: () => void;
      const firstSent = new Promise<void>((resolve) => (release = resolve));
      const db = {
        ...s.db,
        query: async (sql: string, params?: unknown[], name?: string) => {
          const seat = (params?.[7] as string[])[0];
          log.push(`sent ${seat}`);
          if (seat === '101') await firstSent;
          return s.db.query(sql, params, name);
        },
      } as typeof s.db;
      const batcher = new HoldBatcher(db, { ttlMs: TTL, max: MAX, maxBatch: 64, maxInFlight: 4, maxInFlightPerShow: 1 });
      const now = s.clock.now();
      const a = batcher.lock({ op: 'lock', showDate: show, seatIds: ['101'], userId: users[0].id, now }).then((r) => log.push(`answered 101 ${r.outcome}`));
      await new Promise((resolve) => setImmediate(resolve));
      const b = batcher.lock({ op: 'lock', showDate: show, seatIds: ['102'], userId: users[1].id, now }).then((r) => log.push(`answered 102 ${r.outcome}`));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(log, ['sent 101'], 'one batch of the show at a time');
      release();
      await Promise.all([a, b]);
      assert.deepEqual(log, ['sent 101', 'sent 102', 'answered 101 OK', 'answered 102 OK']);
    });

    it('while a batch is in flight, other shows wait to ride in one bigger batch: when it commits, or once they waited stallMs', async () => {
      const shows = ['2099-03-11', '2099-03-12', '2099-03-13'];
      for (const d of shows) await s.services.catalog.createShow(d);
      const sent: string[][] = [];
      const gates: (() => void)[] = [];
      const db = {
        ...s.db,
        query: async (sql: string, params?: unknown[], name?: string) => {
          const seats = params?.[7] as string[];
          sent.push(seats);
          // a statement with seat 101 waits until the test opens its gate
          if (seats.includes('101')) await new Promise<void>((open) => gates.push(open));
          return s.db.query(sql, params, name);
        },
      } as typeof s.db;
      const now = s.clock.now();
      const lock = (b: HoldBatcher, show: string, seat: string, user: TestUser) => b.lock({ op: 'lock', showDate: show, seatIds: [seat], userId: user.id, now });
      const release = (b: HoldBatcher, show: string, seat: string, user: TestUser) => b.release({ op: 'release', showDate: show, seatIds: [seat], userId: user.id, any: false, now });
      const tick = () => new Promise((resolve) => setImmediate(resolve));

      // 1. the batch in flight is stuck: the others go together once they have waited stallMs, without it
      // stallMs well above a busy test machine's pause between two ticks (20 ms once fired before the first check)
      const patient = new HoldBatcher(db, { ttlMs: TTL, max: MAX, maxBatch: 64, maxInFlight: 4, maxInFlightPerShow: 1, eagerInFlight: 1, stallMs: 500 });
      let stuckDone = false;
      const stuck = lock(patient, shows[0], '101', users[0]).then((r) => ((stuckDone = true), r));
      await tick();
      const others = [lock(patient, shows[1], '102', users[1]), lock(patient, shows[2], '102', users[2])];
      await tick();
      assert.deepEqual(sent, [['101']], 'held back while one batch is in flight');
      assert.deepEqual((await Promise.all(others)).map((r) => r.outcome), ['OK', 'OK']);
      assert.deepEqual(sent, [['101'], ['102', '102']], 'one batch for both, sent while the first was still stuck');
      assert.equal(stuckDone, false);
      gates.shift()!();
      assert.equal((await stuck).outcome, 'OK');

      // 2. the batch in flight commits first: what waited goes at that moment, in one batch
      sent.length = 0;
      const eager = new HoldBatcher(db, { ttlMs: TTL, max: MAX, maxBatch: 64, maxInFlight: 4, maxInFlightPerShow: 1, eagerInFlight: 1, stallMs: 60_000 });
      const first = release(eager, shows[0], '101', users[0]);
      await tick();
      const next = [release(eager, shows[1], '102', users[1]), release(eager, shows[2], '102', users[2])];
      await tick();
      assert.deepEqual(sent, [['101']]);
      gates.shift()!();
      const freed = (r: Awaited<typeof first>) => r?.groups.flatMap((g) => g.seatIds);
      assert.deepEqual(freed(await first), ['101']);
      assert.deepEqual((await Promise.all(next)).map(freed), [['102'], ['102']]);
      assert.deepEqual(sent, [['101'], ['102', '102']]);
    });

    it("the (user, show) lock key is one number whatever the session's DateStyle", async () => {
      const keys = await s.db.tx(async (q) => {
        const key = async (style: string) => {
          await q.query(`SELECT set_config('DateStyle', $1, true)`, [style]);
          const { rows } = await q.query<{ k: string }>(`SELECT bo_user_show_key($1, $2::date)::text AS k`, [users[0].id, '2099-03-10']);
          return rows[0].k;
        };
        return [await key('ISO, YMD'), await key('SQL, DMY'), await key('German')];
      });
      assert.equal(new Set(keys).size, 1, `keys: ${keys.join(', ')}`);
    });

    it('concurrent overlapping multi-seat requests in reverse orders: no deadlock, no seat held twice, one event per change after commit', async () => {
      const show = '2099-03-04';
      await s.services.catalog.createShow(show);
      const crowd = await s.users(60);
      const pool = ['201', '202', '203', '204', '206', '207', '208', '209'];
      const deadlocks = async () =>
        target === 'pg' ? Number((await s.db.query<{ n: number }>('SELECT deadlocks AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0].n) : 0;
      const before = await deadlocks();
      const seen: { seq: number; seatIds: string[]; type: string }[] = [];
      const realSeat = s.realtime.seat.bind(s.realtime);
      s.realtime.seat = (events) => {
        for (const e of events) if (e.showDate === show && 'seatIds' in e) seen.push({ seq: e.seq, seatIds: e.seatIds, type: e.type });
        realSeat(events);
      };
      try {
        for (let round = 0; round < 4; round++) {
          const results = await Promise.all(
            crowd.map((u, i) => {
              const k = 2 + (i % 2); // 2-3 seats: within the cap of 3
              const start = (i * 3) % pool.length;
              const seats = Array.from({ length: k }, (_, j) => pool[(start + (i % 2 ? -j + pool.length : j)) % pool.length]);
              return call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: show, seatIds: seats }, headers: u.auth }).then((r) => ({ u, r, seats }));
            }),
          );
          assert.ok(results.every(({ r }) => r.status === 200 || r.status === 409), JSON.stringify(results.filter(({ r }) => r.status !== 200 && r.status !== 409).map(({ r }) => r.body)));
          const holders = new Map<string, string>();
          for (const { u, r } of results) {
            if (r.status !== 200) continue;
            for (const seat of r.body.seatIds) {
              assert.ok(!holders.has(seat), `seat ${seat} granted twice`);
              holders.set(seat, u.id);
            }
          }
          const { rows } = await s.db.query<{ seat_id: string; holder_id: string }>(
            `SELECT seat_id, holder_id FROM seat_inventory WHERE show_date = $1 AND state = 'LOCKED' ORDER BY seat_id`,
            [show],
          );
          assert.deepEqual(Object.fromEntries(rows.map((r) => [r.seat_id, r.holder_id])), Object.fromEntries([...holders].sort()));
          // everyone releases what they asked for, concurrently
          const released = await Promise.all(results.map(({ u, seats }) => call(s.url, 'POST', '/api/orders/enhanced/seats/release', { body: { showDate: show, seatIds: seats }, headers: u.auth })));
          assert.ok(released.every((r) => r.status === 200));
          assert.equal(released.reduce((n, r) => n + r.body.released.length, 0), holders.size);
        }
      } finally {
        s.realtime.seat = realSeat;
      }
      assert.equal(await deadlocks(), before, 'no deadlock was detected');
      // one event per seat change, seq without gaps or repeats, each after its commit (the DB already has the seq)
      const seqs = seen.map((e) => e.seq).sort((x, y) => x - y);
      const dbSeq = Number((await s.db.query<{ seq: number }>('SELECT seq FROM shows WHERE show_date = $1', [show])).rows[0].seq);
      assert.deepEqual(seqs, Array.from({ length: dbSeq }, (_, i) => i + 1));
    });

    it('200 buyers for ONE seat while other buyers of the show are in the same batches: one winner, every other lock kept, seq gap-free', async () => {
      const show = '2099-03-05';
      await s.services.catalog.createShow(show);
      const hot = await s.users(200);
      const others = await s.users(40);
      const otherSeats = Array.from({ length: 40 }, (_, i) => String(101 + i)).filter((x) => x !== '120');
      const seen: number[] = [];
      const realSeat = s.realtime.seat.bind(s.realtime);
      s.realtime.seat = (events) => {
        for (const e of events) if (e.showDate === show) seen.push(e.seq);
        realSeat(events);
      };
      try {
        // all at once: the hot requests and the others land in the same per-show batches
        const [hotAnswers, otherAnswers] = await Promise.all([
          Promise.all(hot.map((u) => call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: show, seatIds: ['120'] }, headers: u.auth }))),
          Promise.all(otherSeats.map((seat, i) => call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: show, seatIds: [seat] }, headers: others[i].auth }))),
        ]);
        const winners = hotAnswers.map((r, i) => ({ r, u: hot[i] })).filter(({ r }) => r.status === 200);
        assert.equal(winners.length, 1, `winners: ${winners.length}`);
        assert.ok(hotAnswers.every((r) => r.status === 200 || (r.status === 409 && r.body.code === 'SEAT_UNAVAILABLE')));
        assert.ok(otherAnswers.every((r) => r.status === 200), JSON.stringify(otherAnswers.filter((r) => r.status !== 200).map((r) => r.body)));
        const { rows } = await s.db.query<{ seat_id: string; holder_id: string }>(
          `SELECT seat_id, holder_id FROM seat_inventory WHERE show_date = $1 AND state = 'LOCKED' ORDER BY seat_id`,
          [show],
        );
        assert.equal(rows.length, otherSeats.length + 1);
        assert.equal(rows.find((r) => r.seat_id === '120')?.holder_id, winners[0].u.id);
      } finally {
        s.realtime.seat = realSeat;
      }
      // one event per successful lock, numbered 1..n without gaps or repeats, the database at n
      const dbSeq = Number((await s.db.query<{ seq: number }>('SELECT seq FROM shows WHERE show_date = $1', [show])).rows[0].seq);
      assert.equal(dbSeq, otherSeats.length + 1);
      assert.deepEqual([...seen].sort((x, y) => x - y), Array.from({ length: dbSeq }, (_, i) => i + 1));
    });
  });
}
