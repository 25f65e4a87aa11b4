// Realtime fan-out benchmark: N websocket clients in one show, lock+release pairs through HTTP at a fixed
// rate, delivery latency of the resulting seat events at the clients; for 1 instance and for 3 instances
// sharing PostgreSQL and Redis. Run: `npx tsx bench/fanout.ts`; env FANOUT_SOCKETS (1000), FANOUT_RATE (200,
// or a list such as 200,50,20 run one after the other), FANOUT_SECONDS (10), FANOUT_INSTANCES (1,3),
// FANOUT_WARMUP_SECONDS (3: the first rate runs this long, unmeasured, once the sockets are connected),
// FANOUT_SAMPLE_EVERY (10: every n-th socket times its events), FANOUT_BATCH_MS (the servers' REALTIME_BATCH_MS, default theirs), FANOUT_NODE_ARGS (server node flags, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), DATABASE_URL, REDIS_URL.
// Everything runs on 127.0.0.1; a fresh database is created per cluster and dropped after.
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { randomBytes } from 'node:crypto';
import { startCluster, type Cluster, type ClusterUser } from '../test/helpers/cluster.ts';
import { createBenchDatabase } from './lib/pgdb.ts';
import { openReceiver, type Receiver } from './lib/receiver.ts';
import { Connection, Latencies, type Reply } from './lib/http.ts';

export interface FanoutOptions {
  /** connected sockets, all joined to the one show (bounded to 5000) */
  sockets: number;
  /** lock+release pairs started per second (open loop: the schedule does not wait for answers); several rates run one after the other on the same cluster and sockets */
  pairsPerSecond: number | number[];
  durationS: number;
  /**
   * seconds of load at the first rate once the sockets are connected, not measured: the servers' code paths
   * that only run with listeners (fan-out, Redis fan-in) reach their optimised code here and not in the
   * measured seconds; 0 skips it
   */
  warmupS: number;
  /** cluster sizes to measure, e.g. [1, 3]; sizes above 1 use Redis */
  instances: number[];
  /** base PostgreSQL URL: a fresh database is created on its server per run and dropped after */
  databaseUrl: string;
  redisUrl: string;
  /** every k-th socket times its events (kept as text, parsed after the run); all of them count deliveries */
  sampleEvery: number;
  /** extra node flags for the server processes, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] */
  serverNodeArgs?: string[];
  /** the servers' REALTIME_BATCH_MS; undefined: their default */
  batchMs?: number;
  log?: (line: string) => void;
}

export interface Row {
  setup: string;
  sockets: number;
  pairsPerSecondTarget: number;
  pairsPerSecondDone: number;
  events: number;
  deliveriesExpected: number;
  deliveriesReceived: number;
  /** request start (sender) -> event received (client), ms: an upper bound of commit -> receipt */
  startToReceiptP50: number;
  startToReceiptP99: number;
  startToReceiptMax: number;
  /** HTTP answer received (sender) -> event received (client), ms: about commit -> receipt minus the answer's trip; negative when the event came first */
  answerToReceiptP50: number;
  answerToReceiptP99: number;
  /** from the servers' /metrics: how long events waited on an instance before the write to its sockets (bucket estimate) */
  serverWaitP50: number;
  serverWaitP99: number;
  httpP50: number;
  httpP99: number;
  httpErrors: number;
  /** 'seat events never arrived; skipped' warnings the servers logged (an instance gave up waiting for a seq) */
  gapsSkipped: number;
  clientCpuPct: number;
  serverCpuPct: number;
  /** events timed, and by how many sockets (every sampleEvery-th) */
  latencySamples: number;
  sampledSockets: number;
  /** unmeasured seconds of load run before the measured ones on the same cluster and sockets */
  warmupS: number;
}

export const DEFAULTS: FanoutOptions = {
  sockets: 1000,
  pairsPerSecond: 200,
  durationS: 10,
  instances: [1, 3],
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
  redisUrl: 'redis://127.0.0.1:6379',
  sampleEvery: 10,
  warmupS: 3,
};

const MAX_SOCKETS = 5000;
const SEATS_PER_USER = 10;
/** per instance, before the sockets connect; each connection's user stays under RATE_LIMIT_MAX (600 a minute) */
const WARMUP_PAIRS = 1600;
const WARMUP_CONNECTIONS = 8;

/** The servers run as in production, where /metrics answers only this bearer token (METRICS_TOKEN). */
const METRICS_TOKEN = randomBytes(24).toString('hex');

/** Cumulative bucket counts of the seat event delay histogram, summed over the instances' /metrics. */
async function serverWaitBuckets(urls: string[]): Promise<Map<number, number>> {
  const sum = new Map<number, number>();
  for (const url of urls) {
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    if (!res.ok) throw new Error(`${url}/metrics answered ${res.status}`);
    const text = await res.text();
    for (const m of text.matchAll(/^boxoffice_realtime_seat_event_delay_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)) {
      const le = m[1] === '+Inf' ? Infinity : Number(m[1]);
      sum.set(le, (sum.get(le) ?? 0) + Number(m[2]));
    }
  }
  return sum;
}

/** A quantile (0..1) in ms from the growth of cumulative buckets, interpolated inside a bucket as Prometheus' histogram_quantile does. */
function bucketQuantile(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const bounds = [...after.keys()].sort((x, y) => x - y);
  const counts = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const total = counts.at(-1) ?? 0;
  if (!total) return NaN;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    if (counts[i] < rank) continue;
    if (bounds[i] === Infinity) return bounds[i - 1] * 1000;
    const lower = i ? bounds[i - 1] : 0;
    const below = i ? counts[i - 1] : 0;
    return (lower + (bounds[i] - lower) * ((rank - below) / Math.max(1, counts[i] - below))) * 1000;
  }
  return NaN;
}

/** user+system CPU seconds of a process, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function measure(size: number, o: FanoutOptions): Promise<Row[]> {
  const log = o.log ?? (() => {});
  const setup = size === 1 ? '1 instance' : `${size} instances + Redis`;
  const db = await createBenchDatabase(o.databaseUrl);
  let cluster: Cluster | undefined;
  const receivers: Receiver[] = [];
  /** idle keep-alive connections per instance (the cheap client of the main benchmark: fetch costs the load generator several times more CPU) */
  const idle: Connection[][] = [];
  try {
    log(`${setup}: starting`);
    cluster = await startCluster({
      size,
      databaseUrl: db.url,
      redisUrl: size > 1 ? o.redisUrl : undefined,
      env: {
        NODE_ENV: 'production',
        METRICS_TOKEN,
        LOG_LEVEL: 'warn',
        DEMO_SHOW_NIGHTS: '2',
        SWEEP_INTERVAL_MS: '60000',
        DATABASE_POOL_SIZE: '20',
        ...(o.batchMs === undefined ? {} : { REALTIME_BATCH_MS: String(o.batchMs) }),
      },
      nodeArgs: o.serverNodeArgs,
    });
    const c = cluster;
    const urls = c.instances.map((i) => i.url);
    const shows = ((await (await fetch(`${urls[0]}/api/v1/shows`)).json()) as { items: { showDate: string }[] }).items;
    const show = shows[shows.length - 1].showDate;
    const snap = (await (await fetch(`${urls[0]}/api/v1/shows/${show}/seats`)).json()) as { seq: number; seats: { id: string; status: string }[] };
    const seats = snap.seats.filter((s) => s.status === 'AVAILABLE').map((s) => s.id);
    const senders: ClusterUser[] = await c.users(Math.floor(seats.length / SEATS_PER_USER));
    // JIT warm-up before anyone listens (the main benchmark warms up at full speed too): every instance serves
    // WARMUP_PAIRS lock/release pairs over WARMUP_CONNECTIONS keep-alive connections, each its own user and seat.
    // A few dozen requests left the servers' code unoptimised into the measured run: with three instances at a
    // third of the rate each, V8 was still compiling (~16 % of their CPU in `perf`) and ran interpreted code.
    await Promise.all(
      c.instances.map(async (_, n) => {
        const users = await c.users(WARMUP_CONNECTIONS);
        const { hostname, port } = new URL(urls[n]);
        await Promise.all(
          users.map(async (user, k) => {
            const body = JSON.stringify({ showDate: show, seatIds: [seats[n * WARMUP_CONNECTIONS + k]] });
            const conn = await Connection.open(hostname, Number(port));
            try {
              for (let i = 0; i < WARMUP_PAIRS / WARMUP_CONNECTIONS; i++) {
                for (const path of ['/api/orders/enhanced/seats/lock', '/api/orders/enhanced/seats/release']) {
                  const res = await conn.request('POST', path, `authorization: ${user.auth.authorization}\r\n`, body);
                  if (res.status !== 200) throw new Error(`warm-up ${path} on instance ${n + 1} answered ${res.status}: ${res.body}`);
                }
              }
            } finally {
              conn.close();
            }
          }),
        );
      }),
    );
    const seq0 = ((await (await fetch(`${urls[0]}/api/v1/shows/${show}/seats`)).json()) as { seq: number }).seq;

    // who sent what: `${event}:${seat}:${expiresAt}` -> request start and answer times. A lock and its release
    // both carry the lock's expiresAt, which is unique per seat and lock: a missed event does not shift the pairing.
    const sent = new Map<string, { start: number; answered: number }>();
    // the sampled receivers' events, kept as text during the run and parsed after it (a parse per event costs
    // the load generator CPU on the servers' cores while they are measured)
    let pending: { json: string[]; at: number[] } = { json: [], at: [] };
    const onEvent = (json: string, at: number) => {
      pending.json.push(json);
      pending.at.push(at);
    };

    log(`${setup}: connecting ${o.sockets} sockets`);
    for (let i = 0; i < o.sockets; i += 50) {
      const batch = [];
      for (let j = i; j < Math.min(o.sockets, i + 50); j++) {
        batch.push(openReceiver(urls[j % urls.length], show, j % o.sampleEvery === 0 ? onEvent : undefined));
      }
      receivers.push(...(await Promise.all(batch)));
    }

    // each sender owns SEATS_PER_USER seats; a pair takes a free seat, locks it, releases it, gives it back
    const free: { user: ClusterUser; seat: string }[] = [];
    senders.forEach((user, u) => {
      for (const seat of seats.slice(u * SEATS_PER_USER, (u + 1) * SEATS_PER_USER)) free.push({ user, seat });
    });
    let requestNo = 0;
    const targets = urls.map((u) => ({ host: new URL(u).hostname, port: Number(new URL(u).port) }));
    for (const _ of urls) idle.push([]);
    let seqBefore = seq0;
    const rows: Row[] = [];
    const rates = [o.pairsPerSecond].flat();
    const phases = [...(o.warmupS > 0 ? [{ rate: rates[0], seconds: o.warmupS, measured: false }] : []), ...rates.map((rate) => ({ rate, seconds: o.durationS, measured: true }))];
    for (const { rate, seconds, measured } of phases) {
      const http = new Latencies();
      let httpErrors = 0;
      const errorStatuses: Record<string, number> = {};
      let skipped = 0;
      let pairsDone = 0;
      let retried = 0;
      pending = { json: [], at: [] };
      const countsBefore = receivers.map((r) => r.count);
      const waitBefore = await serverWaitBuckets(urls);
      const gapsBefore = c.instances.reduce((sum, i) => sum + (i.output().match(/seat events never arrived/g)?.length ?? 0), 0);
      /** One request; one on a keep-alive connection the server closed just then (idle over its keepAliveTimeout) is retried once on a new connection (lock and release are idempotent for their holder). */
      const post = async (path: string, user: ClusterUser, seat: string): Promise<{ start: number; answered: number; body: any }> => {
        const start = performance.now();
        const n = requestNo++ % urls.length;
        const send = async (fresh = false): Promise<Reply> => {
          const conn = (!fresh && idle[n].pop()) || (await Connection.open(targets[n].host, targets[n].port));
          try {
            const reply = await conn.request('POST', path, `authorization: ${user.auth.authorization}\r\n`, JSON.stringify({ showDate: show, seatIds: [seat] }));
            idle[n].push(conn);
            return reply;
          } catch (err) {
            conn.close();
            throw err;
          }
        };
        let res: Reply;
        try {
          res = await send();
        } catch (err) {
          if (!/closed|ECONNRESET/.test((err as Error).message)) throw err;
          retried++;
          res = await send(true);
        }
        const answered = performance.now();
        http.add((answered - start) * 1000);
        if (res.status !== 200) {
          errorStatuses[res.status] = (errorStatuses[res.status] ?? 0) + 1;
          throw new Error(`${path} answered ${res.status}`);
        }
        return { start, answered, body: JSON.parse(res.body) };
      };
      const pair = async () => {
        const slot = free.shift();
        if (!slot) {
          skipped++;
          return;
        }
        try {
          const locked = await post('/api/orders/enhanced/seats/lock', slot.user, slot.seat);
          const expiresAt = locked.body.expiresAt as string;
          sent.set(`seat-locked:${slot.seat}:${expiresAt}`, locked);
          const released = await post('/api/orders/enhanced/seats/release', slot.user, slot.seat);
          sent.set(`seat-released:${slot.seat}:${expiresAt}`, released);
          pairsDone++;
          free.push(slot);
        } catch (err) {
          httpErrors++;
          const why = (err as Error).message;
          if (!why.includes('answered')) errorStatuses[why] = (errorStatuses[why] ?? 0) + 1;
          // the seat's state is unknown now: leave it out
        }
      };

      log(`${setup}: ${rate} pairs/s for ${seconds} s${measured ? '' : ' (warm-up, not measured)'}`);
      const cpu0 = process.cpuUsage();
      const serverCpu0 = c.instances.map((i) => cpuSeconds(i.pid));
      const t0 = performance.now();
      const inFlight = new Set<Promise<void>>();
      let started = 0;
      const total = Math.round(rate * seconds);
      await new Promise<void>((resolve) => {
        const tick = setInterval(() => {
          const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
          while (started < due) {
            started++;
            const p = pair().finally(() => inFlight.delete(p));
            inFlight.add(p);
          }
          if (started >= total) {
            clearInterval(tick);
            resolve();
          }
        }, 2);
      });
      await Promise.all(inFlight);
      const sendS = (performance.now() - t0) / 1000;

      // every event the servers sent: seq moved by one per lock and per release
      const after = (await (await fetch(`${urls[0]}/api/v1/shows/${show}/seats`)).json()) as { seq: number };
      const events = after.seq - seqBefore;
      seqBefore = after.seq;
      const got = (r: Receiver, n: number) => r.count - countsBefore[n];
      const deadline = Date.now() + 30_000;
      while (receivers.some((r, n) => got(r, n) < events) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const wallS = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const serverCpu = c.instances.reduce((sum, i, n) => sum + (cpuSeconds(i.pid) - serverCpu0[n]), 0);
      const waitAfter = await serverWaitBuckets(urls);

      if (!measured) continue;
      const startToReceipt = new Latencies();
      const answerToReceipt = new Latencies();
      for (let i = 0; i < pending.json.length; i++) {
        const [name, payload] = JSON.parse(pending.json[i]) as [string, { seatIds: string[]; expiresAt: string }];
        const key = `${name}:${payload.seatIds[0]}:${payload.expiresAt}`;
        const at = pending.at[i];
        const sk = sent.get(key);
        if (!sk) continue;
        startToReceipt.add((at - sk.start) * 1000);
        answerToReceipt.add((at - sk.answered) * 1000);
      }
      const toReceipt = startToReceipt.summary();
      const fromAnswer = answerToReceipt.summary();
      const httpSummary = http.summary();
      if (httpErrors) log(`${setup}: HTTP errors by status or cause ${JSON.stringify(errorStatuses)}`);
      if (retried) log(`${setup}: ${retried} requests retried once (keep-alive connection closed by the server)`);
      if (skipped) log(`${setup}: ${skipped} pairs skipped (no free seat: answers slower than the schedule)`);
      rows.push({
        setup,
        sockets: o.sockets,
        pairsPerSecondTarget: rate,
        pairsPerSecondDone: pairsDone / sendS,
        events,
        deliveriesExpected: events * o.sockets,
        deliveriesReceived: receivers.reduce((sum, r, n) => sum + Math.min(got(r, n), events), 0),
        startToReceiptP50: toReceipt.p50,
        startToReceiptP99: toReceipt.p99,
        startToReceiptMax: toReceipt.max,
        answerToReceiptP50: fromAnswer.p50,
        answerToReceiptP99: fromAnswer.p99,
        serverWaitP50: bucketQuantile(waitBefore, waitAfter, 0.5),
        serverWaitP99: bucketQuantile(waitBefore, waitAfter, 0.99),
        httpP50: httpSummary.p50,
        httpP99: httpSummary.p99,
        httpErrors,
        gapsSkipped: c.instances.reduce((sum, i) => sum + (i.output().match(/seat events never arrived/g)?.length ?? 0), 0) - gapsBefore,
        clientCpuPct: ((cpu.user + cpu.system) / 1e6 / wallS) * 100,
        serverCpuPct: (serverCpu / wallS) * 100,
        latencySamples: startToReceipt.count,
        sampledSockets: Math.ceil(o.sockets / o.sampleEvery),
        warmupS: o.warmupS,
      });
    }
    return rows;
  } finally {
    for (const r of receivers) r.socket.destroy();
    for (const conn of idle.flat()) conn.close();
    await cluster?.close();
    await db.drop();
  }
}

/** Runs the fan-out measurement for each cluster size in opts.instances; one row each. */
export async function runFanout(opts: Partial<FanoutOptions> = {}): Promise<Row[]> {
  const o: FanoutOptions = { ...DEFAULTS, ...opts };
  if (!Number.isInteger(o.sockets) || o.sockets < 1 || o.sockets > MAX_SOCKETS) throw new Error(`sockets must be 1..${MAX_SOCKETS}`);
  for (const r of [o.pairsPerSecond].flat()) if (!(r > 0 && r <= 5000)) throw new Error(`pairs per second must be in (0, 5000], got ${r}`);
  if (!(o.durationS > 0 && o.durationS <= 600)) throw new Error(`duration must be in (0, 600] s, got ${o.durationS}`);
  if (!(o.warmupS >= 0 && o.warmupS <= 60)) throw new Error(`warm-up must be in [0, 60] s, got ${o.warmupS}`);
  if (!Number.isInteger(o.sampleEvery) || o.sampleEvery < 1) throw new Error(`sample every must be a whole number ≥ 1, got ${o.sampleEvery}`);
  for (const u of [o.databaseUrl, o.redisUrl]) {
    const host = new URL(u).hostname;
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`the fan-out benchmark only runs against 127.0.0.1, not ${host}`);
  }
  const rows: Row[] = [];
  for (const size of o.instances) rows.push(...(await measure(size, o)));
  return rows;
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

export function fanoutTable(rows: Row[]): string {
  const header = [
    'setup',
    'sockets',
    'pairs/s (target → done)',
    'events',
    'delivered (seq gaps skipped)',
    'req start → receipt p50 / p99 / max (ms)',
    'HTTP answer → receipt p50 / p99 (ms)',
    'server: commit → write p50 / p99 (ms)',
    'HTTP p50 / p99 (ms)',
    'CPU server / bench (% of one core)',
    'latency samples (sockets)',
  ];
  const body = rows.map((r) => [
    r.setup,
    String(r.sockets),
    `${r.pairsPerSecondTarget} → ${r.pairsPerSecondDone.toFixed(0)}${r.httpErrors ? ` (${r.httpErrors} errors)` : ''}`,
    String(r.events),
    `${r.deliveriesReceived}/${r.deliveriesExpected} (${r.gapsSkipped})`,
    `${ms(r.startToReceiptP50)} / ${ms(r.startToReceiptP99)} / ${ms(r.startToReceiptMax)}`,
    `${ms(r.answerToReceiptP50)} / ${ms(r.answerToReceiptP99)}`,
    `${ms(r.serverWaitP50)} / ${ms(r.serverWaitP99)}`,
    `${ms(r.httpP50)} / ${ms(r.httpP99)}`,
    `${r.serverCpuPct.toFixed(0)} / ${r.clientCpuPct.toFixed(0)}`,
    `${r.latencySamples} (${r.sampledSockets})`,
  ]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const warmups = [...new Set(rows.map((r) => r.warmupS))];
  const note = warmups.length === 1 && warmups[0] > 0 ? `\n\nEach setup first ran ${warmups[0]} s of the same load with the sockets connected, not measured.` : '';
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n') + note;
}

async function main(): Promise<void> {
  const env = process.env;
  const num = (v: string | undefined, d: number) => (v ? Number(v) : d);
  const opts: Partial<FanoutOptions> = {
    sockets: num(env.FANOUT_SOCKETS, DEFAULTS.sockets),
    pairsPerSecond: env.FANOUT_RATE ? env.FANOUT_RATE.split(',').map(Number) : DEFAULTS.pairsPerSecond,
    durationS: num(env.FANOUT_SECONDS, DEFAULTS.durationS),
    warmupS: num(env.FANOUT_WARMUP_SECONDS, DEFAULTS.warmupS),
    sampleEvery: num(env.FANOUT_SAMPLE_EVERY, DEFAULTS.sampleEvery),
    instances: env.FANOUT_INSTANCES ? env.FANOUT_INSTANCES.split(',').map(Number) : DEFAULTS.instances,
    databaseUrl: env.DATABASE_URL || DEFAULTS.databaseUrl,
    redisUrl: env.REDIS_URL || DEFAULTS.redisUrl,
    serverNodeArgs: env.FANOUT_NODE_ARGS ? env.FANOUT_NODE_ARGS.split(' ') : undefined,
    batchMs: env.FANOUT_BATCH_MS ? Number(env.FANOUT_BATCH_MS) : undefined,
    log: (line) => process.stderr.write(`fanout: ${line}\n`),
  };
  // the run ends by itself even if something hangs
  const phases = Array.isArray(opts.pairsPerSecond) ? opts.pairsPerSecond.length : 1;
  const limitS = (opts.durationS! * phases + 60 * phases + 180) * opts.instances!.length;
  setTimeout(() => {
    process.stderr.write(`fanout: did not finish within ${limitS} s; giving up\n`);
    process.exit(2);
  }, limitS * 1000).unref();
  const load = loadavg();
  const rows = await runFanout(opts);
  process.stdout.write(
    [
      `## Realtime fan-out (${cpus().length} cores, node ${process.version}; server(s), PostgreSQL, Redis and the clients share this machine; load average at start ${load.map((l) => l.toFixed(1)).join(' ')})`,
      '',
      fanoutTable(rows),
      '',
      'Latency is measured in the benchmark process with one clock: "req start → receipt" runs from just before the lock/release',
      'request is sent to the moment a client socket gets the event, so it includes the HTTP request and the database commit',
      '(an upper bound of commit → receipt); "HTTP answer → receipt" runs from the moment the sender got the 200 answer',
      '(sent right after COMMIT, like the event) and is negative when the event arrived first. The payload is not changed;',
      `every ${opts.sampleEvery}th socket times its events (parsed after the run), all of them count deliveries. Target: p99 < 100 ms.`,
      '"server: commit → write" is the servers\' own histogram boxoffice_realtime_seat_event_delay_seconds (estimated within',
      'its buckets): on the instance that committed, from COMMIT to the write to its sockets; on the others, from arrival through Redis.',
      '',
    ].join('\n'),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`fanout failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
