import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { freshPgDatabase, writeMigratedPgliteDir, TEST_SALES_CLOSE_AFTER_START_MIN } from './server.ts';
import { createPgDb, createPgliteDb, type Db } from '../../src/db/driver.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** An HS256 JWT as the server signs it, for tests that talk to a server in another process. */
export function signToken(secret: string, claims: { sub: string; role: string; email: string }, ttlS = 3600): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ ...claims, iat: now, exp: now + ttlS })}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

export interface ServerProcess {
  url: string;
  port: number;
  proc: ChildProcess;
  output(): string;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Polls until fn resolves truthy or the deadline passes (then throws with the message). */
export async function until<T>(fn: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts `src/server.ts` in a child process and waits until its health endpoint answers. */
export async function spawnServer(env: Record<string, string>, opts: { waitHealthy?: boolean } = {}): Promise<ServerProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', SERVE_WEB: 'false', RATE_LIMIT_ENABLED: 'false', SALES_CLOSE_AFTER_START_MIN: String(TEST_SALES_CLOSE_AFTER_START_MIN), ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const sp: ServerProcess = { url, port, proc, output: () => out, exited };
  if (opts.waitHealthy !== false) {
    let dead = false;
    void exited.then(() => (dead = true));
    await until(
      async () => {
        if (dead) throw new Error(`server exited during start:\n${out}`);
        const res = await fetch(`${url}/api/orders/enhanced/health`);
        return res.status === 200;
      },
      // a cold PGlite start (initdb in WebAssembly) on a busy 2-core machine can take a while
      120_000,
      `server on ${url} to become healthy`,
    ).catch((err) => {
      proc.kill('SIGKILL');
      throw new Error(`${(err as Error).message}\n--- server output ---\n${out}`);
    });
  }
  return sp;
}

/**
 * A fresh, empty database for a server started with spawnServer, on `target`: a new PostgreSQL database
 * (`TEST_DATABASE_URL`) or a new PGlite data directory. `env` goes to the server; `open()` gives the test its
 * own connection to the same data (PGlite: only while the server is not running: one process at a time).
 * `drop()` removes it.
 */
export async function freshServerDatabase(target: 'pglite' | 'pg', poolSize = 1): Promise<{ env: Record<string, string>; open(): Promise<Db>; drop(): Promise<void> }> {
  if (target === 'pg') {
    const fresh = await freshPgDatabase();
    return { env: { DATABASE_URL: fresh.url }, open: async () => createPgDb(fresh.url, { poolSize }), drop: fresh.drop };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'boxoffice-server-'));
  await writeMigratedPgliteDir(dir); // the server skips initdb (~2.5 s of CPU in WebAssembly)
  return { env: { DATA_DIR: dir }, open: () => createPgliteDb(dir), drop: () => rm(dir, { recursive: true, force: true }) };
}
