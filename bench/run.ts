// `npm run bench`: lock+release throughput and latency over HTTP, against the database's own ceiling
// (pgbench running the same SQL on the same database in the same run), a hot-seat run, and the same on
// embedded PGlite. Prints markdown tables and writes them to bench/RESULTS.md.
//
//   npm run bench                      PostgreSQL (DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test) + PGlite
//   npm run bench -- --soak            the mixed-load soak instead (bench/soak.ts)
//   options: --only=pg|pglite  --server=child|inproc  --seconds=10  --warmup=3  --conns=16,64
//            --no-write (leave RESULTS.md alone)  --no-fanout (skip bench/fanout.ts)  --no-scale (skip the 10,000-show reads)  --profile=DIR (server CPU profile, child mode only)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FIRST_BENCH_SHOW, showDateAt } from './lib/fixtures.ts';
import { runScale, scaleTable, SCALE_SHOWS, type ScaleResult } from './scale.ts';
import { runHotSeat, runPairs, type HotSeatResult, type PairRunResult } from './lib/load.ts';
import { createBenchDatabase, DEFAULT_BENCH_DATABASE_URL, unreachable, type BenchDatabase } from './lib/pgdb.ts';
import { pgbenchAvailable, pgbenchOrderScript, pgbenchScript, preparePerfSeat, runPgbench, type PgbenchResult } from './lib/pgbench.ts';
import { serverEnv, startServer, type BenchServer, type ServerMode } from './lib/server.ts';
import { fmtInt, fmtMs, fmtRatio, mdTable } from './lib/table.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, 'RESULTS.md');

/** The second scenario spreads the load over this many shows × 315 seats. */
const SHOWS = 100;
/**
 * The headline is ONE show, every connection its own buyer on its own seat of it (the moment a show goes
 * on sale); the second row spreads the load over SHOWS shows, random seats. Both against the same plain
 * pgbench ceiling (bench/lib/pgbench.ts).
 */
const SCENARIOS = [
  { key: 'one', name: 'one show', oneShow: true, kind: 'hold' },
  { key: 'many', name: `${SHOWS} shows`, oneShow: false, kind: 'hold' },
  { key: 'orders', name: 'one show, orders', oneShow: true, kind: 'order' },
] as const;
const HOT_SHOW = '2097-12-31';
const HOT_BUYERS = 1000;
const HOT_SEATS = 50;
const HOT_FIRST_USER = 100_000;
const TARGET_RATIO = 0.4;
const TARGET_P99_MS = 50;
const SEAT_LOCK_TTL_MS = 300_000;
const MAX_SEATS_PER_USER = 10;

interface Args {
  soak: boolean;
  only?: 'pg' | 'pglite';
  server: ServerMode;
  seconds: number;
  warmup: number;
  conns: number[];
  write: boolean;
  profile?: string;
  poolSize?: string;
  soakSeconds?: number;
  fanout: boolean;
  /** keys of SCENARIOS to run (--scenarios=one,many,orders) */
  scenarios: string[];
  /** the 10,000-show reads (PostgreSQL only) */
  scale: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const only = get('only');
  if (only && only !== 'pg' && only !== 'pglite') throw new Error('--only must be pg or pglite');
  const server = get('server') ?? 'child';
  if (server !== 'child' && server !== 'inproc') throw new Error('--server must be child or inproc');
  const num = (name: string, def: number, min: number, max: number) => {
    const v = get(name);
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}`);
    return n;
  };
  const conns = (get('conns') ?? '16,64').split(',').map(Number);
  const scenarios = (get('scenarios') ?? SCENARIOS.map((sc) => sc.key).join(',')).split(',');
  if (scenarios.some((k) => !SCENARIOS.some((sc) => sc.key === k))) throw new Error(`--scenarios must list some of ${SCENARIOS.map((sc) => sc.key).join(',')}`);
  if (conns.some((c) => !Number.isInteger(c) || c < 1 || c > 500)) throw new Error('--conns must list integers from 1 to 500');
  return {
    soak: argv.includes('--soak'),
    only: only as Args['only'],
    server,
    seconds: num('seconds', 10, 1, 120),
    warmup: num('warmup', 3, 0, 60),
    conns,
    scenarios,
    write: !argv.includes('--no-write'),
    fanout: !argv.includes('--no-fanout'),
    scale: !argv.includes('--no-scale'),
    profile: get('profile'),
    poolSize: get('pool'),
    soakSeconds: get('soak-seconds') === undefined ? undefined : num('soak-seconds', 180, 10, 1800),
  };
}

interface PairRow {
  scenario: string;
  conns: number;
  /** CPU time of the server process per pair, µs (in-process mode: server + load generator) */
  serverCpuUs?: number;
  /** CPU time of the load generator per pair, µs (child mode only) */
  loadCpuUs?: number;
  /** socket.io clients connected to the benchmark server (should be 0) */
  strangers?: number;
  http?: PairRunResult;
  httpError?: string;
  pgbench?: PgbenchResult;
  pgbenchNote?: string;
}

interface Section {
  title: string;
  database: 'pg' | 'pglite';
  note: string;
  rows: PairRow[];
  hot?: HotSeatResult;
  hotCheck?: string;
  scale?: ScaleResult;
  scaleError?: string;
  error?: string;
}

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

async function prepare(server: BenchServer, maxConns: number) {
  const shows = await server.fixture<string[]>({ op: 'openShows', first: FIRST_BENCH_SHOW, count: SHOWS });
  await server.fixture({ op: 'openShows', first: HOT_SHOW, count: 1 });
  const seats = await server.fixture<string[]>({ op: 'seatIds' });
  const tokens = await server.fixture<string[]>({ op: 'users', from: 0, count: maxConns });
  const hotTokens = await server.fixture<string[]>({ op: 'users', from: HOT_FIRST_USER, count: HOT_BUYERS });
  return { shows, seats, tokens, hotTokens };
}

async function benchTarget(args: Args, database: 'pg' | 'pglite', baseUrl?: string): Promise<Section> {
  const maxConns = Math.max(...args.conns);
  let pgdb: BenchDatabase | undefined;
  let dataDir: string | undefined;
  let server: BenchServer | undefined;
  const section: Section = { title: '', database, note: '', rows: [] };
  try {
    if (database === 'pg') {
      pgdb = await createBenchDatabase(baseUrl!);
      const s = pgdb.settings;
      section.title = `PostgreSQL ${pgdb.serverVersion} (fresh database ${pgdb.name})`;
      section.note = `max_connections ${s.max_connections}, shared_buffers ${s.shared_buffers}, synchronous_commit ${s.synchronous_commit}, fsync ${s.fsync}`;
    } else {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'bo-bench-pglite-'));
      section.title = 'Embedded PGlite (WASM, one connection, fresh data directory)';
      section.note = `DATA_DIR ${dataDir}; pgbench cannot connect to PGlite (n/a)`;
    }
    const extra: Record<string, string> = { SEAT_LOCK_TTL_MS: String(SEAT_LOCK_TTL_MS), MAX_SEATS_PER_USER: String(MAX_SEATS_PER_USER) };
    if (args.poolSize) extra.DATABASE_POOL_SIZE = args.poolSize;
    const nodeArgs = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args.profile)}`] : [];
    log(`${database}: starting the server (${args.server === 'child' ? 'child process' : 'in the benchmark process'})`);
    server = await startServer(args.server, serverEnv({ databaseUrl: pgdb?.url, dataDir }, extra), nodeArgs);
    const fx = await prepare(server, maxConns);
    const lastShow = showDateAt(SHOWS - 1);
    if (database === 'pg' && pgbenchAvailable()) await preparePerfSeat(pgdb!.url, SHOWS, fx.seats.length);

    for (const [scenario, conns] of SCENARIOS.filter((sc) => args.scenarios.includes(sc.key)).flatMap((sc) => args.conns.map((c) => [sc, c] as const))) {
      const row: PairRow = { scenario: scenario.name, conns };
      section.rows.push(row);
      await server.fixture({ op: 'resetShows', from: FIRST_BENCH_SHOW, to: lastShow });
      log(`${database}: HTTP lock+release, ${scenario.name}, ${conns} connections, ${args.warmup}s warm-up + ${args.seconds}s`);
      type Usage = { cpu: { user: number; system: number }; sockets: number };
      let serverAt: Usage | undefined;
      let loadAt: NodeJS.CpuUsage | undefined;
      let serverCpu = 0;
      let loadCpu = 0;
      const onMeasure = async (phase: 'start' | 'end') => {
        const u = await server!.fixture<Usage>({ op: 'usage' });
        const l = process.cpuUsage();
        if (phase === 'start') {
          serverAt = u;
          loadAt = l;
        } else {
          serverCpu = u.cpu.user + u.cpu.system - serverAt!.cpu.user - serverAt!.cpu.system;
          loadCpu = l.user + l.system - loadAt!.user - loadAt!.system;
          row.strangers = u.sockets;
        }
      };
      try {
        row.http = await runPairs({
          onMeasure,
          host: server.host,
          port: server.port,
          connections: conns,
          warmupMs: args.warmup * 1000,
          durationMs: args.seconds * 1000,
          tokens: fx.tokens,
          shows: scenario.oneShow ? [FIRST_BENCH_SHOW] : fx.shows,
          seats: fx.seats,
          seatPerConnection: scenario.oneShow,
          kind: scenario.kind,
        });
        row.serverCpuUs = serverCpu / Math.max(1, row.http.pairs);
        if (args.server === 'child') row.loadCpuUs = loadCpu / Math.max(1, row.http.pairs);
      } catch (err) {
        row.httpError = (err as Error).message;
      }
      if (database === 'pg') {
        if (!pgbenchAvailable()) row.pgbenchNote = 'pgbench not installed';
        else {
          log(`${database}: pgbench, plain two-UPDATE pair on perf_seat, ${scenario.name}, ${conns} clients, ${args.seconds}s`);
          try {
            const script =
              scenario.kind === 'order' ? pgbenchOrderScript({ seats: fx.seats.length }) : pgbenchScript({ shows: SHOWS, seats: fx.seats.length, oneShow: scenario.oneShow });
            row.pgbench = await runPgbench({ url: pgdb!.url, script, clients: conns, threads: 2, seconds: args.seconds });
          } catch (err) {
            row.pgbenchNote = (err as Error).message.split('\n').slice(0, 3).join(' ');
          }
        }
      } else row.pgbenchNote = 'n/a';
    }

    log(`${database}: hot seat, ${HOT_BUYERS} buyers for ${HOT_SEATS} seats`);
    const hotSeats = fx.seats.slice(0, HOT_SEATS);
    section.hot = await runHotSeat({ host: server.host, port: server.port, tokens: fx.hotTokens, showDate: HOT_SHOW, seats: hotSeats, connections: HOT_BUYERS });
    // the database's own word: exactly one holder per hot seat, no seat left over
    const check = await server.fixture<{ locked: number; holders: number }[]>({
      op: 'query',
      sql: `SELECT count(*)::int AS locked, count(DISTINCT holder_id)::int AS holders FROM seat_inventory WHERE show_date = $1 AND state = 'LOCKED'`,
      params: [HOT_SHOW],
    });
    const { locked, holders } = check[0];
    section.hotCheck = `database: ${locked} seats LOCKED by ${holders} distinct buyers${locked === HOT_SEATS && holders === HOT_SEATS ? ' (correct)' : ' (WRONG)'}`;
    // last: it leaves 3 M more rows in this database
    if (database === 'pg' && args.scale) {
      try {
        section.scale = await runScale(server, log);
      } catch (err) {
        section.scaleError = (err as Error).message;
      }
    }
  } catch (err) {
    section.error = (err as Error).stack ?? String(err);
  } finally {
    await server?.close().catch((err) => log(`server close: ${(err as Error).message}`));
    await pgdb?.drop().catch((err) => log(`drop database: ${(err as Error).message}`));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
  return section;
}

function pairTable(s: Section): string {
  const rows = s.rows.map((r) => {
    const h = r.http;
    const ratio = h && r.pgbench ? h.pairsPerSec / r.pgbench.pairsPerSec : NaN;
    const verdict =
      !h || !r.pgbench
        ? h && r.conns === 64
          ? h.p99 < TARGET_P99_MS
            ? 'p99 ok'
            : 'p99 missed'
          : '—'
        : [ratio >= TARGET_RATIO ? `ratio ok` : `ratio < ${TARGET_RATIO}`, r.conns === 64 ? (h.p99 < TARGET_P99_MS ? 'p99 ok' : 'p99 ≥ 50 ms') : ''].filter(Boolean).join(', ');
    return [
      r.scenario,
      r.conns,
      h ? fmtInt(h.pairsPerSec) : `error: ${r.httpError}`,
      h ? fmtMs(h.p50) : '',
      h ? fmtMs(h.p99) : '',
      h ? `${fmtMs(h.lock.p99)} / ${fmtMs(h.release.p99)}` : '',
      h ? fmtInt(h.errors5xx + h.failures) : '',
      r.serverCpuUs !== undefined ? `${fmtInt(r.serverCpuUs)}${r.loadCpuUs !== undefined ? ` / ${fmtInt(r.loadCpuUs)}` : ''}` : '',
      r.pgbench ? fmtInt(r.pgbench.pairsPerSec) : (r.pgbenchNote ?? 'n/a'),
      r.pgbench ? `${fmtMs(r.pgbench.p50)} / ${fmtMs(r.pgbench.p99)}` : 'n/a',
      fmtRatio(ratio),
      verdict,
    ];
  });
  return mdTable(
    ['scenario', 'conns', 'HTTP pairs/s', 'HTTP p50 ms', 'HTTP p99 ms', 'p99 lock / release ms', '5xx+failed', 'CPU µs/pair server / load gen', 'pgbench pairs/s', 'pgbench p50 / p99 ms (pair)', 'HTTP / pgbench', 'target'],
    rows,
  );
}

function statusLines(s: Section): string {
  return s.rows
    .filter((r) => r.http)
    .map(
      (r) =>
        `- ${r.scenario}, ${r.conns} connections: ${fmtInt(r.http!.pairs)} pairs in ${r.http!.seconds.toFixed(1)} s; answers ${Object.entries(r.http!.statuses).map(([k, v]) => `${k}: ${v}`).join(', ')}` +
        (r.strangers ? `; WARNING: ${r.strangers} unknown socket.io clients were connected to the server` : ''),
    )
    .join('\n');
}

function hotTable(sections: Section[]): string {
  return mdTable(
    ['database', 'buyers', 'seats', 'connections', 'winners (must be 50)', '409', '5xx (must be 0)', 'other', 'p50 ms', 'p99 ms', 'seconds'],
    sections
      .filter((s) => s.hot)
      .map((s) => {
        const h = s.hot!;
        const other = Object.entries(h.other).map(([k, v]) => `${k}: ${v}`).join(', ') || '0';
        return [s.database === 'pg' ? 'PostgreSQL' : 'PGlite', h.buyers, h.seats, h.connections, `${h.winners}${h.winners === h.seats ? '' : ' WRONG'}`, h.conflicts, `${h.errors5xx}${h.errors5xx ? ' WRONG' : ''}`, other, fmtMs(h.p50), fmtMs(h.p99), h.seconds.toFixed(2)];
      }),
  );
}

async function fanoutSection(databaseUrl: string | undefined, args: Args): Promise<string> {
  const file = path.join(HERE, 'fanout.ts');
  if (!existsSync(file)) return '_bench/fanout.ts does not exist: realtime fan-out table skipped._';
  if (!databaseUrl) return '_Realtime fan-out needs PostgreSQL: skipped._';
  if (args.only === 'pglite') return '_Realtime fan-out skipped (--only=pglite)._';
  try {
    const mod = (await import(pathToFileURL(file).href)) as {
      runFanout?: (opts?: Record<string, unknown>) => Promise<unknown[]>;
      fanoutTable?: (rows: unknown[]) => string;
    };
    if (typeof mod.runFanout !== 'function') return '_bench/fanout.ts does not export runFanout: skipped._';
    log('fanout: running bench/fanout.ts runFanout()');
    const rows = await mod.runFanout({ databaseUrl, log: (line: string) => log(`fanout: ${line}`) });
    if (typeof mod.fanoutTable === 'function') return mod.fanoutTable(rows);
    return '```json\n' + JSON.stringify(rows, null, 2) + '\n```';
  } catch (err) {
    return `_bench/fanout.ts failed: ${(err as Error).message}_`;
  }
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: HERE, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: HERE, encoding: 'utf8' }).trim() ? ' (src/ has uncommitted changes)' : '';
    return head + dirty;
  } catch {
    return 'unknown';
  }
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}, load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.soak) {
    const { runSoak } = await import('./soak.ts');
    await runSoak({ server: args.server, seconds: args.soakSeconds, only: args.only });
    return;
  }
  const started = new Date();
  const machineLine = machine();
  const sections: Section[] = [];
  const notes: string[] = [];

  let pgBase: string | undefined;
  if (args.only !== 'pglite') {
    const explicit = process.env.DATABASE_URL;
    const base = explicit || DEFAULT_BENCH_DATABASE_URL;
    const why = await unreachable(base);
    if (!why) pgBase = base;
    if (why) {
      const msg = `PostgreSQL at ${base.replace(/:[^:@/]*@/, ':***@')} is not reachable (${why}): PostgreSQL table skipped, PGlite only.`;
      notes.push(msg);
      log(msg);
      if (explicit) process.exitCode = 1;
    } else sections.push(await benchTarget(args, 'pg', base));
  }
  if (args.only !== 'pg') sections.push(await benchTarget(args, 'pglite'));
  const fanout = args.fanout ? await fanoutSection(pgBase, args) : '_skipped (--no-fanout)._';

  const out: string[] = [];
  out.push(`Run ${started.toISOString()} · commit ${gitCommit()} · ${machineLine}`);
  out.push(
    `Server: ${args.server === 'child' ? 'a child process (load generator and server do not share an event loop)' : 'in the benchmark process (shares its event loop with the load generator)'}, NODE_ENV=production, RATE_LIMIT_ENABLED=false, LOG_LEVEL=warn${args.poolSize ? `, DATABASE_POOL_SIZE=${args.poolSize}` : ''}.`,
  );
  out.push(
    `Load: each connection is its own buyer doing lock → release, back to back, over keep-alive HTTP/1.1 (a minimal raw-socket client); "one show": all connections on one show, connection k on its own seat k; "${SHOWS} shows": a random seat of ${SHOWS} shows × 315 seats. ${args.warmup} s warm-up, then ${args.seconds} s measured. One pair = one lock + one release; p50/p99 are per request. The ceiling is pgbench running the PLAIN two-UPDATE lock/release pair on a plain table perf_seat (one script, -M prepared, -j 2, same client count, same scenario: one show with client k on seat k, or random show and seat); its latency is per pair.`,
  );
  for (const n of notes) out.push(`**Note:** ${n}`);
  for (const s of sections) {
    out.push(`### ${s.title}`);
    out.push(s.note);
    if (s.error) out.push('```\n' + s.error + '\n```');
    if (s.rows.length) out.push(pairTable(s));
    const st = statusLines(s);
    if (st) out.push(st);
  }
  if (sections.some((s) => s.hot)) {
    out.push(`### Hot seat: ${HOT_BUYERS} buyers for ${HOT_SEATS} seats (buyer i wants seat i mod 50, all connections open at once)`);
    out.push(hotTable(sections));
    out.push(sections.filter((s) => s.hotCheck).map((s) => `- ${s.database === 'pg' ? 'PostgreSQL' : 'PGlite'} ${s.hotCheck}`).join('\n'));
  }
  out.push(`### Scale: ${fmtInt(SCALE_SHOWS)} shows (issue 13 target 4)`);
  const scaled = sections.filter((s) => s.database === 'pg');
  out.push(
    !args.scale
      ? '_skipped (--no-scale)._'
      : scaled.length === 0
        ? '_needs PostgreSQL: skipped._'
        : scaled.map((s) => (s.scale ? scaleTable(s.scale) : `_failed: ${s.scaleError ?? 'the section failed before it'}_`)).join('\n\n'),
  );
  out.push('### Realtime fan-out');
  out.push(fanout);
  const text = out.join('\n\n');
  process.stdout.write(`\n${text}\n`);

  if (args.write) {
    const body = [
      '<!-- bench:begin (written by `npm run bench`; edit outside these markers) -->',
      `## Last run`,
      '',
      `Command: \`npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}\`${process.env.DATABASE_URL ? ' with DATABASE_URL set' : ''}`,
      '',
      text,
      '<!-- bench:end -->',
    ].join('\n');
    let file = `# Benchmark results\n\n${body}\n`;
    if (existsSync(RESULTS)) {
      const old = await readFile(RESULTS, 'utf8');
      const a = old.indexOf('<!-- bench:begin');
      const b = old.indexOf('<!-- bench:end -->');
      if (a >= 0 && b > a) file = old.slice(0, a) + body + old.slice(b + '<!-- bench:end -->'.length);
    }
    await writeFile(RESULTS, file);
    log(`wrote ${path.relative(process.cwd(), RESULTS)}`);
  }
  const failed = sections.some((s) => s.error || (s.hot && (s.hot.winners !== HOT_SEATS || s.hot.errors5xx > 0)));
  if (failed) process.exitCode = 1;
}

main().then(
  () => process.exit(),
  (err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
