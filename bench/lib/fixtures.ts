import type { BuiltApp } from '../../src/app.ts';
import { addDays } from '../../src/modules/catalog/dates.ts';

/**
 * Benchmark data, written straight into the server's database (works for PGlite too, where nothing
 * outside the server process can reach the database). Users get predictable ids so that pgbench can
 * name the same users: user i = BENCH_USER_PREFIX + i padded to 12 digits.
 */
export const BENCH_USER_PREFIX = '00000000-0000-4000-8000-';
export const benchUserId = (i: number): string => BENCH_USER_PREFIX + String(i).padStart(12, '0');
/** Load-test shows are consecutive nights from here on; far in the future so they never meet a seeded night. */
export const FIRST_BENCH_SHOW = '2098-01-01';
export const showDateAt = (i: number): string => addDays(FIRST_BENCH_SHOW, i);

export type FixtureOp =
  | { op: 'openShows'; first: string; count: number }
  | { op: 'users'; from: number; count: number; role?: 'customer' | 'staff' | 'admin' }
  | { op: 'seatIds' }
  | { op: 'resetShows'; from: string; to: string }
  | { op: 'query'; sql: string; params?: unknown[] }
  | { op: 'usage'; gc?: boolean };

/** Runs one fixture operation against the built app (in the server process). */
export async function runFixture(built: BuiltApp, f: FixtureOp): Promise<unknown> {
  const { db, app } = built;
  switch (f.op) {
    case 'openShows': {
      const dates = Array.from({ length: f.count }, (_, i) => addDays(f.first, i));
      await db.tx(async (q) => {
        // 21:00 in Bangkok, sales open until an hour after the start (the demo venue's defaults)
        await q.query(
          `INSERT INTO shows (show_date, title, starts_at, sales_close_at)
           SELECT d::date, 'Bench night ' || d, (d::date + time '21:00') AT TIME ZONE 'Asia/Bangkok', (d::date + time '22:00') AT TIME ZONE 'Asia/Bangkok'
             FROM unnest($1::text[]) d ON CONFLICT DO NOTHING`,
          [dates],
        );
        await q.query(
          `INSERT INTO seat_inventory (show_date, seat_id, state)
           SELECT d::date, s.id, CASE WHEN s.blocked THEN 'BLOCKED' ELSE 'AVAILABLE' END
             FROM unnest($1::text[]) d CROSS JOIN seats s
           ON CONFLICT DO NOTHING`,
          [dates],
        );
      });
      return dates;
    }
    case 'users': {
      const ids = Array.from({ length: f.count }, (_, i) => benchUserId(f.from + i));
      const role = f.role ?? 'customer';
      await db.query(
        `INSERT INTO users (id, email, name, role, password_hash)
         SELECT u::uuid, 'bench-' || right(u, 12) || '@bench.local', 'Bench buyer', $2, 'scrypt$unusable'
           FROM unnest($1::text[]) u ON CONFLICT DO NOTHING`,
        [ids, role],
      );
      return ids.map((id, i) => app.jwt.sign({ sub: id, role, email: `bench-${String(f.from + i).padStart(12, '0')}@bench.local` }));
    }
    case 'seatIds': {
      const { rows } = await db.query<{ id: string }>(`SELECT id FROM seats WHERE NOT blocked ORDER BY id`);
      return rows.map((r) => r.id);
    }
    case 'resetShows': {
      // back to a clean slate between runs (a run stopped by the clock may leave a lock behind)
      const { rowCount } = await db.query(
        `UPDATE seat_inventory SET state = 'AVAILABLE', holder_id = NULL, hold_expires_at = NULL
          WHERE show_date BETWEEN $1 AND $2 AND state = 'LOCKED'`,
        [f.from, f.to],
      );
      return rowCount;
    }
    case 'query':
      return (await db.query(f.sql, f.params)).rows;
    case 'usage':
      // with --expose-gc: memory after a full collection, so growth means retained objects
      if (f.gc) (globalThis as { gc?: () => void }).gc?.();
      // sockets: anyone connected to the benchmark server's socket.io (should be nobody but the benchmark)
      return { cpu: process.cpuUsage(), mem: process.memoryUsage(), sockets: built.realtime.io.engine.clientsCount };
  }
}
