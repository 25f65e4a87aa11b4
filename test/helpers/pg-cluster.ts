import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort, until } from './process.ts';

const run = promisify(execFile);

/** The newest PostgreSQL server binaries of the machine (Debian: /usr/lib/postgresql/<major>/bin). */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(path.join(root, d, 'bin', 'initdb'))) : [];
  if (majors.length === 0) throw new Error(`no PostgreSQL server binaries under ${root} (initdb): install the postgresql package`);
  return path.join(root, majors.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

export interface PrivateCluster {
  /** superuser URL of its `postgres` database */
  url: string;
  /** pid of a background process of the cluster (`pg_stat_activity.backend_type`), e.g. 'walwriter' */
  pid(backendType: string): Promise<number>;
  /** Waits until the cluster accepts connections again (after a crash-restart). */
  ready(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A throw-away PostgreSQL cluster of the machine's own binaries (initdb in a temporary directory, trust auth,
 * 127.0.0.1 on a free port), for tests that crash the database server itself, which the shared test server must
 * not suffer. As root the server runs as the `postgres` user (PostgreSQL refuses to run as root). `settings` are
 * passed as `-c name=value`.
 */
export async function startPrivateCluster(settings: Record<string, string> = {}): Promise<PrivateCluster> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), 'bo-pgcluster-'));
  const asRoot = process.getuid?.() === 0;
  const as = async (cmd: string, args: string[]) => {
    const exe = path.join(bin, cmd);
    return asRoot ? run('runuser', ['-u', 'postgres', '--', exe, ...args]) : run(exe, args);
  };
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = path.join(dir, 'data');
  await as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const options = [`-p ${port}`, `-k ${dir}`, `-c listen_addresses=127.0.0.1`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  await as('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-o', options, '-w', 'start']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const c = new pg.Client({ connectionString: url });
    // a cluster just killed or still recovering may cut the connection mid-query: pg then rejects the query AND
    // emits 'error', which without a listener is an uncaught exception instead of one more try for ready()'s poll
    c.on('error', () => undefined);
    await c.connect();
    try {
      return (await c.query<T>(sql, params)).rows;
    } finally {
      await c.end();
    }
  };
  return {
    url,
    async pid(backendType) {
      const [row] = await query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE backend_type = $1', [backendType]);
      if (!row) throw new Error(`the private cluster has no ${backendType} process`);
      return row.pid;
    },
    async ready(timeoutMs = 30_000) {
      await until(async () => (await query<{ ok: number }>('SELECT 1 AS ok'))[0]?.ok === 1, timeoutMs, 'the private cluster to accept connections');
    },
    async stop() {
      await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
