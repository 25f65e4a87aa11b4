import { randomBytes } from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { runFixture, type FixtureOp } from './fixtures.ts';

export type ServerMode = 'child' | 'inproc';

export interface BenchServer {
  mode: ServerMode;
  host: string;
  port: number;
  pid: number;
  fixture<T>(f: FixtureOp): Promise<T>;
  close(): Promise<void>;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const START_TIMEOUT_MS = 60_000;

/** The server's environment for a benchmark: no rate limit, quiet logs, no demo data, no web app. */
export function serverEnv(db: { databaseUrl?: string; dataDir?: string }, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('hex'),
    RATE_LIMIT_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    DEMO_SHOW_NIGHTS: '0',
    SERVE_WEB: 'false',
    ...extra,
  };
  if (db.databaseUrl) env.DATABASE_URL = db.databaseUrl;
  if (db.dataDir) env.DATA_DIR = db.dataDir;
  return env;
}

/** root: another checkout of the project to run instead of this one (A/B comparisons, child mode only). */
export async function startServer(mode: ServerMode, env: Record<string, string>, nodeArgs: string[] = [], root?: string): Promise<BenchServer> {
  return mode === 'child' ? startChild(env, nodeArgs, root) : startInProcess(env);
}

async function startChild(env: Record<string, string>, nodeArgs: string[], root?: string): Promise<BenchServer> {
  const baseEnv = { ...process.env };
  // the parent's database settings must not leak into a PGlite server
  delete baseEnv.DATABASE_URL;
  delete baseEnv.DATA_DIR;
  const entry = root ? path.join(path.resolve(root), 'bench', 'lib', 'server-child.ts') : path.join(HERE, 'server-child.ts');
  const child: ChildProcess = fork(entry, [], {
    cwd: root ? path.resolve(root) : undefined,
    execArgv: ['--import', 'tsx', ...nodeArgs],
    env: { ...baseEnv, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ port: number; pid: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bench server did not start within 60 s')), START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench server exited with code ${code} before it was ready`));
    });
    child.on('message', (m: { ready?: boolean; port: number; pid: number }) => {
      if (m.ready) {
        clearTimeout(timer);
        resolve(m);
      }
    });
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: { id?: number; ok: boolean; result?: unknown; error?: string }) => {
    if (m.id === undefined) return;
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.ok) w?.resolve(m.result);
    else w?.reject(new Error(m.error));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    mode: 'child',
    host: '127.0.0.1',
    port: ready.port,
    pid: ready.pid,
    fixture: <T>(fixture: FixtureOp) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, fixture });
      }),
    async close() {
      if (child.exitCode !== null) return;
      child.send('close');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function startInProcess(env: Record<string, string>): Promise<BenchServer> {
  const { buildApp } = await import('../../src/app.ts');
  const { loadConfig } = await import('../../src/config.ts');
  const built = await buildApp(loadConfig(env, { host: '127.0.0.1', port: 0 }));
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = built.app.server.address();
  return {
    mode: 'inproc',
    host: '127.0.0.1',
    port: typeof addr === 'object' && addr ? addr.port : 0,
    pid: process.pid,
    fixture: <T>(f: FixtureOp) => runFixture(built, f) as Promise<T>,
    close: () => built.app.close(),
  };
}
