import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Why the server at url cannot be used, or undefined when it answers. */
export async function unreachable(url: string): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await c.end().catch(() => {});
  }
}

export interface BenchDatabase {
  name: string;
  url: string;
  serverVersion: string;
  settings: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh, empty database bench_<random> on the server of `base`, after a CHECKPOINT; drop() removes it (WITH FORCE). */
export async function createBenchDatabase(base: string): Promise<BenchDatabase> {
  const name = `bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5000 });
  await admin.connect();
  let serverVersion = '';
  const settings: Record<string, string> = {};
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    // write out what earlier runs left dirty now, not in a checkpoint in the middle of this measurement
    // (needs superuser or pg_checkpoint; without it the run goes on and the settings say so)
    await admin.query('CHECKPOINT').catch((err: Error) => (settings.checkpoint = `not run: ${err.message}`));
    serverVersion = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    const { rows } = await admin.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings WHERE name IN ('max_connections', 'shared_buffers', 'synchronous_commit', 'fsync')`,
    );
    for (const r of rows) settings[r.name] = r.unit === '8kB' ? `${(Number(r.setting) * 8) / 1024} MB` : r.setting;
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    serverVersion,
    settings,
    async drop() {
      if (dropped) return;
      dropped = true;
      const c = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5000 });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
