import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const PGBENCH = process.env.PGBENCH ?? '/usr/bin/pgbench';

export interface PgbenchResult {
  clients: number;
  /** transactions per second = lock+release pairs per second (one script of the two statements) */
  pairsPerSec: number;
  pairs: number;
  /** per pair (both statements), ms, from pgbench's per-transaction log */
  p50: number;
  p99: number;
  failed: number;
}

export function pgbenchAvailable(): boolean {
  return existsSync(PGBENCH);
}

/**
 * The ceiling (ARCHITECTURE.md "Performance: what the ceiling means"): the PLAIN two-UPDATE lock/release
 * pair on a plain table `perf_seat`, not the project's own functions (if those serialise on a hot row, so
 * would a ceiling built from them). One script of the two statements, each its own transaction like two
 * HTTP requests; client k is holder k.
 *   oneShow: every client on show 1, client k on its own seat k+1 (the headline: one hot show);
 *   otherwise: a random show of `shows` and a random seat of `seats`, like the HTTP workers.
 */
export function pgbenchScript(o: { shows: number; seats: number; oneShow: boolean }): string {
  return [
    o.oneShow ? '\\set sh 1' : `\\set sh random(1, ${o.shows})`,
    o.oneShow ? `\\set se (:client_id % ${o.seats}) + 1` : `\\set se random(1, ${o.seats})`,
    `UPDATE perf_seat SET state = 'LOCKED', holder_id = :client_id, hold_expires_at = now() + interval '5 minutes' WHERE show_id = :sh AND seat_id = :se AND (state = 'AVAILABLE' OR (state = 'LOCKED' AND (hold_expires_at < now() OR holder_id = :client_id)));`,
    `UPDATE perf_seat SET state = 'AVAILABLE', holder_id = NULL, hold_expires_at = NULL WHERE show_id = :sh AND seat_id = :se AND holder_id = :client_id AND state = 'LOCKED';`,
    '',
  ].join('\n');
}

/**
 * The ceiling of the orders row: the plain statements an order and its cancellation need, one show, client
 * k on seat k. Create = one transaction (book the seat if AVAILABLE, insert the order with its seat);
 * cancel = one transaction (order CANCELLED, seat AVAILABLE). One script transaction = one pair.
 */
export function pgbenchOrderScript(o: { seats: number }): string {
  return [
    `\\set se (:client_id % ${o.seats}) + 1`,
    'BEGIN;',
    `UPDATE perf_seat SET state = 'BOOKED', holder_id = :client_id WHERE show_id = 1 AND seat_id = :se AND state = 'AVAILABLE';`,
    `INSERT INTO perf_order (user_id, show_id, seat_id, status, total, created_at, expires_at) VALUES (:client_id, 1, :se, 'PENDING', 1800, now(), now() + interval '15 minutes') RETURNING id \\gset`,
    'END;',
    'BEGIN;',
    `UPDATE perf_order SET status = 'CANCELLED', cancelled_at = now() WHERE id = :id AND status = 'PENDING';`,
    `UPDATE perf_seat SET state = 'AVAILABLE', holder_id = NULL WHERE show_id = 1 AND seat_id = :se AND state = 'BOOKED';`,
    'END;',
    '',
  ].join('\n');
}

/** Creates (or resets) the plain table of the ceiling: `shows` × `seats` rows, all AVAILABLE. */
export async function preparePerfSeat(url: string, shows: number, seats: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`CREATE TABLE IF NOT EXISTS perf_seat (
      show_id integer NOT NULL, seat_id integer NOT NULL, state text NOT NULL, holder_id integer, hold_expires_at timestamptz,
      PRIMARY KEY (show_id, seat_id))`);
    await c.query(`CREATE TABLE IF NOT EXISTS perf_order (
      id bigserial PRIMARY KEY, user_id integer NOT NULL, show_id integer NOT NULL, seat_id integer NOT NULL, status text NOT NULL,
      total integer NOT NULL, created_at timestamptz NOT NULL, expires_at timestamptz NOT NULL, cancelled_at timestamptz)`);
    await c.query('TRUNCATE perf_seat, perf_order');
    await c.query(`INSERT INTO perf_seat (show_id, seat_id, state) SELECT sh, se, 'AVAILABLE' FROM generate_series(1, $1::int) sh, generate_series(1, $2::int) se`, [shows, seats]);
    await c.query('VACUUM ANALYZE perf_seat');
  } finally {
    await c.end();
  }
}

export async function runPgbench(o: { url: string; script: string; clients: number; threads: number; seconds: number }): Promise<PgbenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bo-pgbench-'));
  try {
    const file = path.join(dir, 'lock-release.sql');
    await writeFile(file, o.script);
    const args = ['-n', '-M', 'prepared', '-f', file, '-c', String(o.clients), '-j', String(o.threads), '-T', String(o.seconds), '-l', '--log-prefix', path.join(dir, 'tx'), o.url];
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn(PGBENCH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      p.stdout.on('data', (d) => (text += d));
      p.stderr.on('data', (d) => (text += d));
      const killer = setTimeout(() => p.kill('SIGKILL'), (o.seconds + 60) * 1000);
      p.on('error', reject);
      p.on('close', (code) => {
        clearTimeout(killer);
        if (code === 0) resolve(text);
        else reject(new Error(`pgbench exited with ${code}:\n${text.slice(-2000)}`));
      });
    });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
    const processed = /number of transactions actually processed: (\d+)/.exec(out);
    const failed = /number of failed transactions: (\d+)/.exec(out);
    if (!tps) throw new Error(`could not read pgbench output:\n${out.slice(-2000)}`);
    const lat: number[] = [];
    for (const f of await readdir(dir)) {
      if (!f.startsWith('tx')) continue;
      for (const line of (await readFile(path.join(dir, f), 'utf8')).split('\n')) {
        const cols = line.split(' ');
        if (cols.length >= 3) lat.push(Number(cols[2]));
      }
    }
    const sorted = Float64Array.from(lat).sort();
    const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] / 1000 : NaN);
    return {
      clients: o.clients,
      pairsPerSec: Number(tps[1]),
      pairs: processed ? Number(processed[1]) : lat.length,
      p50: at(50),
      p99: at(99),
      failed: failed ? Number(failed[1]) : 0,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
