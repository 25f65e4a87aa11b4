// Issue 13 target 4: reads at 10,000 shows (3.15 M inventory rows with the demo venue). Opens SCALE_SHOWS nights in
// the server's fresh database, sells a few seats of some of them, then times, one request at a time over one
// keep-alive connection: the shows list's first page (upcoming first), pages deep in the list by cursor, the stats,
// a show's order list by keyset, and one show's state. Targets: list p50 < 20 ms, stats p50 < 50 ms.
import type { BenchServer } from './lib/server.ts';
import { Connection, Latencies, nowUs } from './lib/http.ts';
import { addDays } from '../src/modules/catalog/dates.ts';
import { fmtInt, fmtMs, mdTable } from './lib/table.ts';

export const SCALE_SHOWS = 10_000;
/** far from the demo nights and the other scenarios' shows (2097-2098) */
const SCALE_FIRST = '2030-01-01';
const SCALE_USER = 900_000;

export interface ScaleRow {
  what: string;
  requests: number;
  p50: number;
  p99: number;
  target: string;
  note?: string;
}

export interface ScaleResult {
  shows: number;
  inventoryRows: number;
  setupSeconds: number;
  rows: ScaleRow[];
}

/** Opens the nights, then times each read `n` times in a row; throws when a request is not answered 200. */
export async function runScale(server: BenchServer, log: (msg: string) => void, shows = SCALE_SHOWS): Promise<ScaleResult> {
  const t0 = Date.now();
  log(`scale: opening ${fmtInt(shows)} shows`);
  for (let i = 0; i < shows; i += 100) await server.fixture({ op: 'openShows', first: addDays(SCALE_FIRST, i), count: Math.min(100, shows - i) });
  const [admin] = await server.fixture<string[]>({ op: 'users', from: SCALE_USER, count: 1, role: 'admin' });
  const buyers = await server.fixture<string[]>({ op: 'users', from: SCALE_USER + 1, count: 20 });
  await server.fixture({ op: 'query', sql: `UPDATE shows SET seat_count = (SELECT count(*) FROM seats) WHERE show_date >= $1`, params: [SCALE_FIRST] });
  await server.fixture({ op: 'query', sql: 'ANALYZE' });
  const [{ n }] = await server.fixture<{ n: number }[]>({ op: 'query', sql: 'SELECT count(*)::int AS n FROM seat_inventory' });
  const setupSeconds = (Date.now() - t0) / 1000;

  const conn = await Connection.open(server.host, server.port);
  const auth = (token: string) => `authorization: Bearer ${token}\r\n`;
  const get = async (path: string, token?: string) => {
    const r = await conn.request('GET', path, token ? auth(token) : '');
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.body.slice(0, 200)}`);
    return r.body;
  };
  const time = async (what: string, target: string, requests: number, path: (i: number) => string, token?: string, note?: string): Promise<ScaleRow> => {
    log(`scale: ${what}`);
    for (let i = 0; i < 5; i++) await get(path(i), token); // warm
    const lat = new Latencies();
    for (let i = 0; i < requests; i++) {
      const start = nowUs();
      await get(path(i), token);
      lat.add(nowUs() - start);
    }
    const { p50, p99 } = lat.summary();
    return { what, requests, p50, p99, target, note };
  };
  try {
    // orders on a few nights, so the order list and stats have something to count
    const night = addDays(SCALE_FIRST, 77);
    const seats = JSON.parse(await get(`/api/v1/shows/${night}/state`)) as { seats: unknown[] };
    if (seats.seats.length !== 0) throw new Error('scale night not fresh');
    const ids = await server.fixture<string[]>({ op: 'seatIds' });
    for (const [i, token] of buyers.entries()) {
      const r = await conn.request('POST', '/api/v1/orders', auth(token), JSON.stringify({ showDate: night, seatIds: ids.slice(i * 5, i * 5 + 5) }));
      if (r.status !== 201) throw new Error(`order: ${r.status} ${r.body.slice(0, 200)}`);
    }
    // cursors deep in the list: every 100th night
    const cursors = Array.from({ length: 50 }, (_, i) => addDays(SCALE_FIRST, 100 * (i + 1)));
    return {
      shows,
      inventoryRows: n,
      setupSeconds,
      rows: [
        await time('GET /api/v1/shows (first page, upcoming first)', 'p50 < 20 ms', 200, () => '/api/v1/shows'),
        await time('GET /api/v1/shows?cursor=… (pages 100 to 5,000 nights deep)', 'p50 < 20 ms', 200, (i) => `/api/v1/shows?cursor=${cursors[i % cursors.length]}`),
        await time('GET /api/orders/enhanced/stats (admin)', 'p50 < 50 ms', 50, () => '/api/orders/enhanced/stats', admin),
        await time(`GET /api/v1/orders?showDate=… (admin, a page of 20 by keyset)`, '—', 100, () => `/api/v1/orders?showDate=${night}&limit=20`, admin),
        await time('GET /api/v1/shows/:showDate/state (a night with orders)', '—', 100, () => `/api/v1/shows/${night}/state`),
      ],
    };
  } finally {
    conn.close();
  }
}

export function scaleTable(r: ScaleResult): string {
  return (
    `${fmtInt(r.shows)} shows opened (${fmtInt(r.inventoryRows)} inventory rows in all; set-up ${r.setupSeconds.toFixed(0)} s). One request at a time over one keep-alive connection.\n\n` +
    mdTable(
      ['read', 'requests', 'p50 ms', 'p99 ms', 'target'],
      r.rows.map((x) => [x.what, x.requests, fmtMs(x.p50), fmtMs(x.p99), x.target]),
    )
  );
}
