// A/B comparison on a noisy machine: two servers (this checkout = B, another checkout = A) on two fresh
// databases, measured alternately, round after round, so background load hits both alike.
//   npx tsx bench/ab.ts --a=/path/to/other/checkout [--rounds=4] [--seconds=5] [--conns=16,64] [--only=pglite] [--one-show] [--kind=order]
// --one-show: the headline scenario (every connection on one show, connection k on its own seat k); default 100 shows.
// --kind=order: each pair is an order of one seat then its cancel (the bench's "orders" row) instead of lock → release.
// The other checkout needs bench/lib/server-child.ts and bench/lib/fixtures.ts (copy them in).
import { FIRST_BENCH_SHOW } from './lib/fixtures.ts';
import { runPairs } from './lib/load.ts';
import { createBenchDatabase, DEFAULT_BENCH_DATABASE_URL, type BenchDatabase } from './lib/pgdb.ts';
import { serverEnv, startServer, type BenchServer } from './lib/server.ts';
import { fmtInt, fmtMs, mdTable } from './lib/table.ts';

const get = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const aRoot = get('a');
if (!aRoot) throw new Error('--a=<other checkout> is required');
const rounds = Math.min(20, Number(get('rounds') ?? 4));
const seconds = Math.min(60, Number(get('seconds') ?? 5));
const conns = (get('conns') ?? '16,64').split(',').map(Number);
const pglite = get('only') === 'pglite';
const kind = get('kind') === 'order' ? 'order' : 'hold';
const oneShow = process.argv.includes('--one-show');
const extraEnv = Object.fromEntries((get('env') ?? '').split(',').filter(Boolean).map((kv) => kv.split(':') as [string, string]));

async function setup(root: string | undefined): Promise<{ server: BenchServer; db?: BenchDatabase; shows: string[]; seats: string[]; tokens: string[] }> {
  const db = pglite ? undefined : await createBenchDatabase(process.env.DATABASE_URL || DEFAULT_BENCH_DATABASE_URL);
  const server = await startServer('child', serverEnv(db ? { databaseUrl: db.url } : { dataDir: 'memory://' }, extraEnv), [], root);
  const shows = await server.fixture<string[]>({ op: 'openShows', first: FIRST_BENCH_SHOW, count: 100 });
  const seats = await server.fixture<string[]>({ op: 'seatIds' });
  const tokens = await server.fixture<string[]>({ op: 'users', from: 0, count: Math.max(...conns) });
  return { server, db, shows, seats, tokens };
}

const sides = { A: await setup(aRoot), B: await setup(undefined) };
const rows: (string | number)[][] = [];
try {
  for (let r = 0; r < rounds; r++) {
    for (const c of conns) {
      for (const name of r % 2 ? (['B', 'A'] as const) : (['A', 'B'] as const)) {
        const s = sides[name];
        let cpu0 = 0;
        let cpu = 0;
        const res = await runPairs({
          host: s.server.host,
          port: s.server.port,
          connections: c,
          warmupMs: 1000,
          durationMs: seconds * 1000,
          tokens: s.tokens,
          shows: oneShow ? s.shows.slice(0, 1) : s.shows,
          seats: s.seats,
          seatPerConnection: oneShow,
          kind,
          onMeasure: async (phase) => {
            const u = await s.server.fixture<{ cpu: { user: number; system: number } }>({ op: 'usage' });
            if (phase === 'start') cpu0 = u.cpu.user + u.cpu.system;
            else cpu = u.cpu.user + u.cpu.system - cpu0;
          },
        });
        rows.push([r, c, name, fmtInt(res.pairsPerSec), fmtMs(res.p50), fmtMs(res.p99), fmtInt(cpu / Math.max(1, res.pairs)), res.errors5xx + res.failures]);
        process.stderr.write(`${rows.at(-1)!.join('  ')}\n`);
      }
    }
  }
} finally {
  for (const s of Object.values(sides)) {
    await s.server.close();
    await s.db?.drop();
  }
}
process.stdout.write(mdTable(['round', 'conns', 'side', 'pairs/s', 'p50 ms', 'p99 ms', 'server CPU µs/pair', '5xx+failed'], rows) + '\n');
const summary: (string | number)[][] = [];
for (const c of conns) {
  for (const name of ['A', 'B']) {
    const mine = rows.filter((r) => r[1] === c && r[2] === name);
    const med = (i: number) => {
      const v = mine.map((r) => Number(String(r[i]).replace(/,/g, ''))).sort((x, y) => x - y);
      return v[Math.floor(v.length / 2)];
    };
    summary.push([c, name, fmtInt(med(3)), fmtMs(med(5)), fmtInt(med(6))]);
  }
}
process.stdout.write('\nmedians\n' + mdTable(['conns', 'side', 'pairs/s', 'p99 ms', 'server CPU µs/pair'], summary) + '\n');
process.exit(0);
