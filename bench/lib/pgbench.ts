import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_USER_PREFIX } from './fixtures.ts';

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
 * The same lock and release SQL as the HTTP path (the bo_lock_seats / bo_release_seats functions), one
 * script of the two statements, each in its own transaction like two HTTP requests; random show and
 * seat like the HTTP workers; client k is bench user k (the same users the HTTP run used).
 */
export function pgbenchScript(o: { firstShow: string; shows: number; seats: string[]; ttlMs: number; maxSeats: number }): string {
  const seatArray = `(ARRAY[${o.seats.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}])`;
  const user = `('${BENCH_USER_PREFIX}' || lpad(CAST(:client_id AS text), 12, '0'))::uuid`;
  const show = `(DATE '${o.firstShow}' + CAST(:show AS integer))`;
  return [
    `\\set show random(0, ${o.shows - 1})`,
    `\\set seat random(1, ${o.seats.length})`,
    `SELECT * FROM bo_lock_seats(${show}, ARRAY[${seatArray}[CAST(:seat AS integer)]], ${user}, now(), ${o.ttlMs}, ${o.maxSeats});`,
    `SELECT * FROM bo_release_seats(${show}, ARRAY[${seatArray}[CAST(:seat AS integer)]], ${user}, false);`,
    '',
  ].join('\n');
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
