import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { spawnServer, until } from './helpers/process.ts';
import { call } from './helpers/http.ts';

describe('connection hygiene', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ config: { idleTimeoutMs: 500 } });
  });
  after(() => s.close());

  it('closes a slow-loris connection that stops sending half way through its headers, and keeps serving others', async () => {
    const port = Number(new URL(s.url).port);
    const sock = connect(port, '127.0.0.1');
    let closed = false;
    sock.on('close', () => (closed = true));
    sock.on('error', () => undefined);
    await new Promise<void>((resolve) => sock.on('connect', () => resolve()));
    sock.write('GET /api/v1/shows HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    assert.equal((await call(s.url, 'GET', '/api/v1/shows')).status, 200, 'others are served meanwhile');
    await until(async () => closed, 10_000, 'the server to close the idle connection');
  });
});

describe('keep-alive', () => {
  it('keeps an idle connection as long as IDLE_TIMEOUT_MS and says so (a client may reuse it until then)', async () => {
    const s = await startTestServer({ config: { idleTimeoutMs: 30_000 } });
    try {
      const r = await call(s.url, 'GET', '/api/v1/shows');
      assert.equal(r.headers.get('keep-alive'), 'timeout=30');
    } finally {
      await s.close();
    }
  });
});

describe('secrets stay secret', () => {
  it('never writes passwords or tokens to the logs, even at debug level', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'boxoffice-logs-'));
    const s = await spawnServer({ DATA_DIR: dir, JWT_SECRET: 'l'.repeat(40), LOG_LEVEL: 'debug' });
    try {
      const password = 'Unmistakable-Pass-42';
      const reg = await call(s.url, 'POST', '/api/v1/auth/register', { body: { email: 'logs@example.com', password, name: 'Logs' } });
      assert.equal(reg.status, 201);
      assert.ok(!JSON.stringify(reg.body).includes(password));
      await call(s.url, 'POST', '/api/v1/auth/login', { body: { email: 'logs@example.com', password } });
      await call(s.url, 'POST', '/api/v1/auth/login', { body: { email: 'logs@example.com', password: `${password}-wrong` } });
      await call(s.url, 'GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${reg.body.accessToken}` } });
      await until(async () => s.output().includes('/api/v1/auth/me'), 5_000, 'the requests to be logged');
      const logs = s.output();
      assert.ok(!logs.includes(password), 'a password reached the logs');
      assert.ok(!logs.includes(reg.body.accessToken), 'a token reached the logs');
      assert.ok(!logs.includes('password_hash') && !logs.includes('scrypt$'), 'a password hash reached the logs');
    } finally {
      s.proc.kill('SIGTERM');
      await s.exited;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes as long to refuse an unknown email as a wrong password (no account discovery by timing)', async () => {
    const s = await startTestServer({});
    try {
      await call(s.url, 'POST', '/api/v1/auth/register', { body: { email: 'known@example.com', password: 'known-password-1', name: 'K' } });
      const time = async (email: string) => {
        const t0 = performance.now();
        const r = await call(s.url, 'POST', '/api/v1/auth/login', { body: { email, password: 'not-the-password' } });
        assert.equal(r.status, 401);
        return performance.now() - t0;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 9; i++) {
        known.push(await time('known@example.com'));
        unknown.push(await time(`nobody${i}@example.com`));
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const ratio = median(unknown) / median(known);
      // a login that skipped the password hash for unknown emails would be ~50x faster; allow for a noisy machine
      assert.ok(ratio > 0.33 && ratio < 3, `unknown/known login time ratio ${ratio.toFixed(2)}`);
    } finally {
      await s.close();
    }
  });
});
