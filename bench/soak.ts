// `npm run bench -- --soak`: a few minutes of mixed load against one server (PostgreSQL when reachable,
// else PGlite): lock→release pairs, seat maps, seat status, show lists and lock→order→cancel flows from
// many buyers at once. Reports throughput, p50/p99 per kind, every non-2xx answer by status and code,
// and the server's memory (after a forced GC) over time. Bounded in time and in requests.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FIRST_BENCH_SHOW } from './lib/fixtures.ts';
import { Connection, Latencies, nowUs } from './lib/http.ts';
import { openConnections } from './lib/load.ts';
import { createBenchDatabase, DEFAULT_BENCH_DATABASE_URL, unreachable, type BenchDatabase } from './lib/pgdb.ts';
import { serverEnv, startServer, type BenchServer, type ServerMode } from './lib/server.ts';
import { fmtInt, fmtMs, mdTable } from './lib/table.ts';

const SHOWS = 20;
const CONNECTIONS = 32;
const SAMPLE_EVERY_MS = 10_000;
const MAX_REQUESTS = 5_000_000;
const REQUEST_TIMEOUT_MS = 10_000;

type Kind = 'lock' | 'release' | 'seat map' | 'seat status' | 'show list' | 'order' | 'cancel';

interface Usage {
  mem: NodeJS.MemoryUsage;
  sockets: number;
}

const log = (msg: string) => process.stderr.write(`[soak] ${msg}\n`);

export async function runSoak(opts: { server: ServerMode; seconds?: number; only?: 'pg' | 'pglite' }): Promise<void> {
  const seconds = opts.seconds ?? 180;
  let pgdb: BenchDatabase | undefined;
  let dataDir: string | undefined;
  let server: BenchServer | undefined;
  let database = 'PGlite';
  try {
    const base = process.env.DATABASE_URL || DEFAULT_BENCH_DATABASE_URL;
    if (opts.only !== 'pglite' && !(await unreachable(base))) {
      pgdb = await createBenchDatabase(base);
      database = `PostgreSQL ${pgdb.serverVersion}`;
    } else dataDir = await mkdtemp(path.join(os.tmpdir(), 'bo-soak-'));
    server = await startServer(opts.server, serverEnv({ databaseUrl: pgdb?.url, dataDir }), opts.server === 'child' ? ['--expose-gc'] : []);
    const shows = await server.fixture<string[]>({ op: 'openShows', first: FIRST_BENCH_SHOW, count: SHOWS });
    const seats = await server.fixture<string[]>({ op: 'seatIds' });
    const tokens = await server.fixture<string[]>({ op: 'users', from: 0, count: CONNECTIONS });
    const conns = await openConnections(server.host, server.port, CONNECTIONS);
    log(`${database}, ${CONNECTIONS} connections, ${seconds} s`);

    const lat = new Map<Kind, Latencies>();
    const answers = new Map<string, number>();
    const bump = (k: string) => answers.set(k, (answers.get(k) ?? 0) + 1);
    const memory: { t: number; rss: number; heap: number }[] = [];
    const sample = async (t: number) => {
      const u = await server!.fixture<Usage>({ op: 'usage', gc: true });
      memory.push({ t, rss: u.mem.rss, heap: u.mem.heapUsed });
    };
    await sample(0);
    const started = Date.now();
    const deadline = started + seconds * 1000;
    let requests = 0;
    const sampler = setInterval(() => void sample(Math.round((Date.now() - started) / 1000)), SAMPLE_EVERY_MS);

    const send = async (conn: Connection, kind: Kind, method: string, url: string, auth: string, body?: unknown) => {
      requests++;
      const t0 = nowUs();
      let timer: NodeJS.Timeout | undefined;
      const r = await Promise.race([
        conn.request(method, url, auth, body === undefined ? undefined : JSON.stringify(body)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), REQUEST_TIMEOUT_MS);
        }),
      ]).finally(() => clearTimeout(timer));
      if (!lat.has(kind)) lat.set(kind, new Latencies());
      lat.get(kind)!.add(nowUs() - t0);
      let code = '';
      if (r.status >= 400) {
        try {
          code = ` ${(JSON.parse(r.body) as { code?: string }).code ?? ''}`;
        } catch {
          code = ' (not JSON)';
        }
      }
      bump(`${kind} ${r.status}${code}`);
      return r;
    };

    await Promise.all(
      conns.map(async (conn, w) => {
        const auth = `authorization: Bearer ${tokens[w]}\r\n`;
        while (Date.now() < deadline && requests < MAX_REQUESTS) {
          const show = shows[(Math.random() * shows.length) | 0];
          const seat = () => seats[(Math.random() * seats.length) | 0];
          const x = Math.random();
          try {
            if (x < 0.55) {
              const body = { showDate: show, seatIds: [seat()] };
              await send(conn, 'lock', 'POST', '/api/orders/enhanced/seats/lock', auth, body);
              await send(conn, 'release', 'POST', '/api/orders/enhanced/seats/release', auth, body);
            } else if (x < 0.65) {
              await send(conn, 'seat map', 'GET', `/api/v1/shows/${show}/seats`, '');
            } else if (x < 0.8) {
              await send(conn, 'seat status', 'GET', `/api/orders/enhanced/seats/status/${seat()}?showDate=${show}`, auth);
            } else if (x < 0.85) {
              await send(conn, 'show list', 'GET', '/api/v1/shows', '');
            } else {
              const body = { showDate: show, seatIds: [...new Set([seat(), seat()])] };
              const lock = await send(conn, 'lock', 'POST', '/api/orders/enhanced/seats/lock', auth, body);
              if (lock.status !== 200) continue;
              const order = await send(conn, 'order', 'POST', '/api/v1/orders', auth, body);
              if (order.status === 201) {
                const id = (JSON.parse(order.body) as { order: { id: string } }).order.id;
                await send(conn, 'cancel', 'PATCH', `/api/v1/orders/${id}/cancel`, auth, {});
              } else await send(conn, 'release', 'POST', '/api/orders/enhanced/seats/release', auth, body);
            }
          } catch (err) {
            bump(`failed: ${(err as Error).message}`);
            return;
          }
        }
      }),
    );
    clearInterval(sampler);
    const elapsed = (Date.now() - started) / 1000;
    for (const c of conns) c.close();
    await sample(Math.round(elapsed));
    const end = await server.fixture<Usage>({ op: 'usage' });
    const check = await server.fixture<{ doubles: number }[]>({
      op: 'query',
      sql: `SELECT count(*)::int AS doubles FROM (SELECT show_date, seat_id FROM order_seats WHERE active GROUP BY 1, 2 HAVING count(*) > 1) d`,
    });

    const mb = (n: number) => (n / 2 ** 20).toFixed(1);
    const out: string[] = [];
    out.push(`### Soak: ${database}, ${CONNECTIONS} connections, ${elapsed.toFixed(0)} s, server ${opts.server === 'child' ? 'in a child process' : 'in process'}`);
    out.push(`${fmtInt(requests)} requests, ${fmtInt(requests / elapsed)} req/s overall; socket.io strangers connected: ${end.sockets}; seats in two active orders: ${check[0].doubles}`);
    out.push(
      mdTable(
        ['kind', 'requests', 'p50 ms', 'p99 ms', 'max ms'],
        [...lat].map(([k, l]) => {
          const s = l.summary();
          return [k, fmtInt(l.count), fmtMs(s.p50), fmtMs(s.p99), fmtMs(s.max)];
        }),
      ),
    );
    out.push(mdTable(['answer', 'count'], [...answers].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, fmtInt(v)])));
    const first = memory[1] ?? memory[0];
    const last = memory[memory.length - 1];
    out.push(
      `Server memory after a forced GC (MB), every ${SAMPLE_EVERY_MS / 1000} s: ` +
        memory.map((m) => `${m.t}s rss ${mb(m.rss)} / heap ${mb(m.heap)}`).join(' · ') +
        `\n\nGrowth from ${first.t}s to the end: heap ${mb(last.heap - first.heap)} MB, rss ${mb(last.rss - first.rss)} MB.`,
    );
    process.stdout.write(`\n${out.join('\n\n')}\n`);
  } finally {
    await server?.close().catch(() => {});
    await pgdb?.drop().catch(() => {});
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}
