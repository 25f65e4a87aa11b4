import { Connection, Latencies, nowUs, type Reply } from './http.ts';

const LOCK = '/api/orders/enhanced/seats/lock';
const RELEASE = '/api/orders/enhanced/seats/release';
const ORDERS = '/api/v1/orders';
/** A request that takes longer than this counts as an error and ends its worker. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface PairRunOptions {
  host: string;
  port: number;
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** one token per connection: each connection is its own buyer */
  tokens: string[];
  shows: string[];
  seats: string[];
  /**
   * hold (default): lock → release of the seat; order: create an order of the seat (POST /api/v1/orders)
   * → cancel it (PATCH …/cancel). The result's lock/release latencies are then create/cancel.
   */
  kind?: 'hold' | 'order';
  /** connection k always takes seat k (mod seats) of a random show of `shows`, instead of a random seat */
  seatPerConnection?: boolean;
  /** hard bound on pairs per connection and phase, whatever the clock says */
  maxPairsPerConnection?: number;
  /** awaited between the warm-up and the measured phase, and after it */
  onMeasure?: (phase: 'start' | 'end') => Promise<void>;
}

export interface PairRunResult {
  connections: number;
  pairs: number;
  seconds: number;
  pairsPerSec: number;
  /** per request (lock and release alike), ms */
  p50: number;
  p99: number;
  max: number;
  lock: { p50: number; p99: number };
  release: { p50: number; p99: number };
  /** "lock 200": n, "release 200": n, "lock 409": n, "error": n … */
  statuses: Record<string, number>;
  errors5xx: number;
  failures: number;
}

function withTimeout(p: Promise<Reply>, conn: Connection): Promise<Reply> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<Reply>((_, reject) => {
    timer = setTimeout(() => {
      conn.close();
      reject(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`));
    }, REQUEST_TIMEOUT_MS);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export async function openConnections(host: string, port: number, n: number): Promise<Connection[]> {
  const out: Connection[] = [];
  // open in modest batches: a thousand simultaneous SYNs can overflow the listen backlog
  for (let i = 0; i < n; i += 100) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => Connection.open(host, port)))));
  }
  return out;
}

/**
 * N connections, each a buyer doing lock → release of one random seat of a random show (or, with
 * seatPerConnection, its own seat), back to back.
 * One pair = one lock + one release request. Warm-up first (not recorded), then the measured phase.
 */
export async function runPairs(o: PairRunOptions): Promise<PairRunResult> {
  if (o.tokens.length < o.connections) throw new Error(`need ${o.connections} tokens, got ${o.tokens.length}`);
  const conns = await openConnections(o.host, o.port, o.connections);
  const maxPairs = o.maxPairsPerConnection ?? 1_000_000;
  const headers = o.tokens.map((t) => `authorization: Bearer ${t}\r\n`);
  try {
    const phase = async (ms: number, record: boolean) => {
      const lockLat = new Latencies();
      const releaseLat = new Latencies();
      const statuses: Record<string, number> = {};
      let pairs = 0;
      let failures = 0;
      const bump = (k: string) => (statuses[k] = (statuses[k] ?? 0) + 1);
      const started = Date.now();
      const deadline = started + ms;
      await Promise.all(
        conns.map(async (conn, w) => {
          for (let n = 0; n < maxPairs && Date.now() < deadline; n++) {
            const show = o.shows[(Math.random() * o.shows.length) | 0];
            const seat = o.seatPerConnection ? o.seats[w % o.seats.length] : o.seats[(Math.random() * o.seats.length) | 0];
            const body = `{"showDate":"${show}","seatIds":["${seat}"]}`;
            const order = o.kind === 'order';
            try {
              let t0 = nowUs();
              const a = await withTimeout(conn.request('POST', order ? ORDERS : LOCK, headers[w], body), conn);
              let t1 = nowUs();
              if (record) {
                lockLat.add(t1 - t0);
                bump(`${order ? 'create' : 'lock'} ${a.status}`);
              }
              const id = order ? /"id":"([^"]+)"/.exec(a.body)?.[1] : undefined;
              if (order && !id) continue;
              t0 = nowUs();
              const b = await withTimeout(order ? conn.request('PATCH', `${ORDERS}/${id}/cancel`, headers[w], '{}') : conn.request('POST', RELEASE, headers[w], body), conn);
              t1 = nowUs();
              if (record) {
                releaseLat.add(t1 - t0);
                bump(`${order ? 'cancel' : 'release'} ${b.status}`);
                pairs++;
              }
            } catch (err) {
              failures++;
              bump(`error: ${(err as Error).message}`);
              return;
            }
          }
        }),
      );
      const seconds = (Date.now() - started) / 1000;
      return { lockLat, releaseLat, statuses, pairs, failures, seconds };
    };
    if (o.warmupMs > 0) await phase(o.warmupMs, false);
    await o.onMeasure?.('start');
    const r = await phase(o.durationMs, true);
    await o.onMeasure?.('end');
    const all = new Latencies(r.lockLat.count + r.releaseLat.count + 1);
    all.addAll(r.lockLat);
    all.addAll(r.releaseLat);
    const s = all.summary();
    const errors5xx = Object.entries(r.statuses)
      .filter(([k]) => /\s5\d\d$/.test(k))
      .reduce((sum, [, v]) => sum + v, 0);
    return {
      connections: o.connections,
      pairs: r.pairs,
      seconds: r.seconds,
      pairsPerSec: r.pairs / r.seconds,
      p50: s.p50,
      p99: s.p99,
      max: s.max,
      lock: { p50: r.lockLat.percentile(50), p99: r.lockLat.percentile(99) },
      release: { p50: r.releaseLat.percentile(50), p99: r.releaseLat.percentile(99) },
      statuses: r.statuses,
      errors5xx,
      failures: r.failures,
    };
  } finally {
    for (const c of conns) c.close();
  }
}

export interface HotSeatOptions {
  host: string;
  port: number;
  /** one token per buyer */
  tokens: string[];
  showDate: string;
  seats: string[];
  /** simultaneous connections; buyers beyond that queue for a free connection */
  connections: number;
}

export interface HotSeatResult {
  buyers: number;
  seats: number;
  connections: number;
  winners: number;
  conflicts: number;
  errors5xx: number;
  other: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
  seconds: number;
}

/** Every buyer tries once to lock one seat (buyer i wants seat i mod seats): exactly one winner per seat. */
export async function runHotSeat(o: HotSeatOptions): Promise<HotSeatResult> {
  const conns = await openConnections(o.host, o.port, Math.min(o.connections, o.tokens.length));
  const lat = new Latencies();
  let winners = 0;
  let conflicts = 0;
  let errors5xx = 0;
  const other: Record<string, number> = {};
  let next = 0;
  const started = Date.now();
  try {
    await Promise.all(
      conns.map(async (conn) => {
        for (;;) {
          const i = next++;
          if (i >= o.tokens.length) return;
          const body = `{"showDate":"${o.showDate}","seatIds":["${o.seats[i % o.seats.length]}"]}`;
          const t0 = nowUs();
          try {
            const r = await withTimeout(conn.request('POST', LOCK, `authorization: Bearer ${o.tokens[i]}\r\n`, body), conn);
            lat.add(nowUs() - t0);
            if (r.status === 200) winners++;
            else if (r.status === 409) conflicts++;
            else if (r.status >= 500) errors5xx++;
            else other[String(r.status)] = (other[String(r.status)] ?? 0) + 1;
          } catch (err) {
            other[(err as Error).message] = (other[(err as Error).message] ?? 0) + 1;
            return;
          }
        }
      }),
    );
  } finally {
    for (const c of conns) c.close();
  }
  const s = lat.summary();
  return {
    buyers: o.tokens.length,
    seats: o.seats.length,
    connections: conns.length,
    winners,
    conflicts,
    errors5xx,
    other,
    p50: s.p50,
    p99: s.p99,
    max: s.max,
    seconds: (Date.now() - started) / 1000,
  };
}
