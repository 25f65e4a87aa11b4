import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { Role } from '../../src/contract/common.ts';
import { freePort, signToken } from './process.ts';
import { TEST_SALES_CLOSE_AFTER_START_MIN } from './server.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUTPUT_KEPT = 20_000;

/** Fails with a clear message when Redis at url does not answer PING within a few seconds. */
export async function assertRedisReachable(url: string): Promise<void> {
  const r = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    await r.ping();
  } catch (err) {
    throw new Error(`Redis at ${url} is not reachable: ${(err as Error).message}`);
  } finally {
    r.disconnect();
  }
}

export interface Instance {
  name: string;
  url: string;
  port: number;
  pid: number;
  /** the last lines the process printed (stdout and stderr) */
  output(): string;
  stop(): Promise<void>;
}

export interface ClusterUser {
  id: string;
  email: string;
  role: Role;
  token: string;
  auth: { authorization: string };
}

export interface Cluster {
  instances: Instance[];
  databaseUrl: string;
  jwtSecret: string;
  keyPrefix: string;
  /** Inserts users straight into the shared database and signs their tokens. */
  users(n: number, role?: Role): Promise<ClusterUser[]>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  size: number;
  databaseUrl: string;
  /** without it the instances do not talk to each other (fine for size 1) */
  redisUrl?: string;
  /** extra environment for every instance */
  env?: Record<string, string>;
  /** extra node flags, e.g. ['--cpu-prof'] */
  nodeArgs?: string[];
  startTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
// the test process ending for any reason must not leave servers behind
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts one `node --import tsx src/server.ts` and resolves when its health endpoint answers 200. */
export async function startInstance(name: string, env: Record<string, string>, startTimeoutMs = 60_000, nodeArgs: string[] = []): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: string | undefined;
  const exitedP = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? `code ${code}`}`;
      running.delete(child);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
    await exitedP;
    clearTimeout(timer);
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`instance ${name} ${exited} before it was healthy; output:\n${out}`);
    try {
      const res = await fetch(`${url}/api/orders/enhanced/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`instance ${name} was not healthy within ${startTimeoutMs} ms; output:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { name, url, port, pid: child.pid!, output: () => out, stop };
}

/**
 * `size` boxoffice processes sharing one PostgreSQL database and one Redis, each on its own port.
 * The first starts alone (it migrates and seeds), the others after it. Close it in after(): every
 * process is stopped (and killed if it does not stop), also when starting failed half-way.
 */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const jwtSecret = `cluster-${randomBytes(16).toString('hex')}`;
  const keyPrefix = `bo-test-${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_ENABLED: 'false',
    DEMO_SHOW_NIGHTS: '2',
    SALES_CLOSE_AFTER_START_MIN: String(TEST_SALES_CLOSE_AFTER_START_MIN),
    SERVE_WEB: 'false',
    DATABASE_URL: opts.databaseUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    JWT_SECRET: jwtSecret,
    ...opts.env,
  };
  if (opts.redisUrl) env.REDIS_URL = opts.redisUrl;
  const instances: Instance[] = [];
  const close = async () => {
    await Promise.all(instances.map((i) => i.stop()));
  };
  try {
    const names = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    instances.push(await startInstance(names[0], env, opts.startTimeoutMs, opts.nodeArgs));
    // the schema and the demo data exist now; the others start together
    const rest = await Promise.allSettled(Array.from({ length: opts.size - 1 }, (_, i) => startInstance(names[i + 1], env, opts.startTimeoutMs, opts.nodeArgs)));
    for (const r of rest) if (r.status === 'fulfilled') instances.push(r.value);
    const failed = rest.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  } catch (err) {
    await close();
    throw err;
  }

  const users = async (n: number, role: Role = 'customer'): Promise<ClusterUser[]> => {
    const c = new pg.Client({ connectionString: opts.databaseUrl });
    await c.connect();
    try {
      const emails = Array.from({ length: n }, () => `${role}-${randomUUID()}@cluster.test`);
      const { rows } = await c.query<{ id: string; email: string }>(
        `INSERT INTO users (email, name, role, password_hash)
         SELECT e, 'Cluster ' || $2, $2, 'scrypt$unusable' FROM unnest($1::text[]) e RETURNING id, email`,
        [emails, role],
      );
      return rows.map((r) => {
        const token = signToken(jwtSecret, { sub: r.id, role, email: r.email });
        return { id: r.id, email: r.email, role, token, auth: { authorization: `Bearer ${token}` } };
      });
    } finally {
      await c.end();
    }
  };

  return { instances, databaseUrl: opts.databaseUrl, jwtSecret, keyPrefix, users, close };
}
