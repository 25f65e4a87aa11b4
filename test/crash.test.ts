import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets } from './helpers/server.ts';
import { spawnServer, until, freshServerDatabase, type ServerProcess } from './helpers/process.ts';
import { call } from './helpers/http.ts';
import { checkInvariants } from './helpers/invariants.ts';

/**
 * Crash safety: a server process is SIGKILLed in the middle of a lock/order load, restarted on the
 * same database, several times in a row. After each restart every order that was answered 2xx is
 * there, the invariants hold, and after one lock TTL no seat is left LOCKED.
 */
const TTL_MS = 1500;
const CYCLES = 3;
const SECRET = 'crash-test-secret-crash-test-secret!!';

for (const target of dbTargets()) {
  describe(`crash (SIGKILL) on ${target}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
    });

    it(`keeps every acknowledged order and every invariant through ${CYCLES} kills`, async () => {
      const database = await freshServerDatabase(target, 2);
      cleanups.push(database.drop);
      const dbEnv = database.env;
      const openDb = database.open;
      const env = { ...dbEnv, JWT_SECRET: SECRET, SEAT_LOCK_TTL_MS: String(TTL_MS), ORDER_PAYMENT_TTL_MS: '600000', SWEEP_INTERVAL_MS: '250', DEMO_SHOW_NIGHTS: '2' };

      let server: ServerProcess = await spawnServer(env);
      cleanups.push(async () => void server.proc.kill('SIGKILL'));
      const shows = await call(server.url, 'GET', '/api/v1/shows');
      const showDate = shows.body.items[0].showDate;
      const tokens: string[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await call(server.url, 'POST', '/api/v1/auth/register', { body: { email: `crash${i}@test.local`, password: 'crash-test-password', name: `C${i}` } });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        tokens.push(r.body.accessToken);
      }
      const staff = await (async () => {
        // the dev admin exists only outside production; tests run with NODE_ENV=test
        const r = await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'staff@boxoffice.local', password: 'staff-demo-pass' } });
        assert.equal(r.status, 200);
        return r.body.accessToken as string;
      })();

      const acknowledged = new Map<string, string>(); // order id -> status we were told
      const seatPool = Array.from({ length: 60 }, (_, i) => String(101 + (i % 85)));
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        let stop = false;
        let requests = 0;
        const worker = async (w: number) => {
          const auth = { authorization: `Bearer ${tokens[w]}` };
          for (let n = 0; !stop && n < 500; n++) {
            const seats = [seatPool[(w * 7 + n * 3) % seatPool.length], seatPool[(w * 5 + n * 11) % seatPool.length]].filter((v, i, a) => a.indexOf(v) === i);
            try {
              requests++;
              if (n % 3 === 0) {
                await call(server.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate, seatIds: seats }, headers: auth });
              } else if (n % 3 === 1) {
                const r = await call(server.url, 'POST', '/api/v1/orders', { body: { showDate, seatIds: seats }, headers: auth });
                if (r.status === 201 || r.status === 200) acknowledged.set(r.body.order.id, r.body.order.status);
              } else {
                const mine = [...acknowledged.keys()].at(-1 - (n % 5));
                if (mine) {
                  const r = await call(server.url, 'PATCH', `/api/v1/orders/${mine}/cancel`, { body: {}, headers: { authorization: `Bearer ${staff}` } });
                  if (r.status === 200) acknowledged.set(mine, 'CANCELLED');
                }
              }
            } catch {
              return; // the server died under us
            }
          }
        };
        const load = Promise.all(tokens.map((_, w) => worker(w)));
        await until(async () => requests > 60 + cycle * 20, 30_000, 'load to get going');
        server.proc.kill('SIGKILL');
        const exit = await server.exited;
        assert.equal(exit.signal, 'SIGKILL');
        stop = true;
        await load;
        server = await spawnServer(env);

        // every order that was acknowledged survived, with the status we were told (or a later one)
        for (const [id, status] of acknowledged) {
          const r = await call(server.url, 'GET', `/api/v1/orders/${id}`, { headers: { authorization: `Bearer ${staff}` } });
          assert.equal(r.status, 200, `acknowledged order ${id} is gone after the crash`);
          if (status === 'CANCELLED') assert.equal(r.body.order.status, 'CANCELLED');
        }
        // after one TTL the sweeper has released every lock the dead process left behind
        await until(
          async () => {
            const h = await call(server.url, 'GET', `/api/v1/shows`);
            return h.body.items.every((x: any) => x.counts.locked === 0);
          },
          TTL_MS + 10_000,
          'stale locks to be released',
        );
      }
      assert.ok(acknowledged.size > 0, 'the load created orders');

      server.proc.kill('SIGTERM');
      assert.equal((await server.exited).code, 0, 'graceful shutdown exits 0');
      const db = await openDb();
      try {
        await checkInvariants(db);
        const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM seat_inventory WHERE state = 'LOCKED'`);
        assert.equal(rows[0].n, 0, 'no seat stuck LOCKED');
      } finally {
        await db.close();
      }
    });
  });
}
