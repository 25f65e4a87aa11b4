import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readdir, readFile, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir, networkInterfaces } from 'node:os';
import path from 'node:path';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { spawnServer, until } from './helpers/process.ts';
import { call } from './helpers/http.ts';
import { dbTargets, freshPgDatabase, writeMigratedPgliteDir } from './helpers/server.ts';
import { createPgDb, createPgliteDb, type Db } from '../src/db/driver.ts';
import { FUNCTIONS_DIR, migrate } from '../src/db/migrate.ts';
import { lockDataDir } from '../src/db/data-dir-lock.ts';

describe('start-up', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const d = await mkdtemp(path.join(tmpdir(), 'boxoffice-start-'));
    dirs.push(d);
    return d;
  };
  /** A data directory already migrated (restored from the tests' tarball): no initdb in WebAssembly, ~2.5 s of CPU, where it is not what a test is about. */
  const migratedDir = async () => {
    const d = await tempDir();
    await writeMigratedPgliteDir(d);
    return d;
  };

  it('refuses to start in production without JWT_SECRET, saying why', async () => {
    const s = await spawnServer({ NODE_ENV: 'production', JWT_SECRET: '', DATA_DIR: await tempDir() }, { waitHealthy: false });
    const exit = await s.exited;
    assert.equal(exit.code, 1);
    assert.match(s.output(), /JWT_SECRET is required when NODE_ENV=production/);
  });

  it('refuses a malformed setting with a clear message', async () => {
    const s = await spawnServer({ SEAT_LOCK_TTL_MS: 'soon', DATA_DIR: await tempDir() }, { waitHealthy: false });
    assert.equal((await s.exited).code, 1);
    assert.match(s.output(), /SEAT_LOCK_TTL_MS must be an integer/);
  });

  it('starts on the embedded database with zero setup, prints URLs and demo accounts, and keeps data across a restart', async () => {
    const dir = await tempDir();
    const env = { NODE_ENV: 'development', JWT_SECRET: '', DATA_DIR: dir, DEMO_SHOW_NIGHTS: '7' };
    const first = await spawnServer(env);
    const out = first.output();
    assert.match(out, /boxoffice is running at http:\/\/localhost:\d+/);
    assert.match(out, /API docs: http:\/\/localhost:\d+\/api\/docs/);
    assert.match(out, /customer\s+customer@boxoffice\.local\s+password: \S+/);
    assert.match(out, /staff\s+staff@boxoffice\.local\s+password: \S+/);
    assert.match(out, /admin\s+admin@boxoffice\.local\s+password: \S+/);
    assert.match(out, /JWT_SECRET is not set: using a generated development secret/);
    assert.match(out, /payments: PromptPay QR \(demo PromptPay id 0000000000000: no bank accepts it, set PROMPTPAY_ID\)/);
    // outside production it listens on this machine only (the demo passwords are published)
    const lan = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (lan) {
      const reached = await new Promise<boolean>((resolve) => {
        const sock = connect(Number(new URL(first.url).port), lan.address);
        sock.once('connect', () => {
          sock.destroy();
          resolve(true);
        });
        sock.once('error', () => resolve(false));
      });
      assert.equal(reached, false, `a development server answered on ${lan.address}`);
    }
    const shows = await call(first.url, 'GET', '/api/v1/shows');
    assert.equal(shows.body.items.length, 7);
    const reg = await call(first.url, 'POST', '/api/v1/auth/register', { body: { email: 'keep@example.com', password: 'keep-me-please', name: 'Keep' } });
    assert.equal(reg.status, 201);
    first.proc.kill('SIGTERM');
    assert.equal((await first.exited).code, 0);

    const second = await spawnServer(env);
    try {
      assert.doesNotMatch(second.output(), /opened shows/, 'seeding twice opened shows again');
      assert.equal((await call(second.url, 'GET', '/api/v1/shows')).body.items.length, 7);
      const me = await call(second.url, 'GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${reg.body.accessToken}` } });
      assert.equal(me.status, 200, 'a token from before the restart still works');
      assert.equal(me.body.user.email, 'keep@example.com');
      assert.ok((await readdir(dir)).length > 0);
    } finally {
      second.proc.kill('SIGTERM');
      await second.exited;
    }
  });

  it('refuses a second process on the same embedded data directory, and takes over the lock of a killed one', async (t) => {
    const dir = await migratedDir();
    const env = { NODE_ENV: 'development', JWT_SECRET: '', DATA_DIR: dir, DEMO_SHOW_NIGHTS: '2' };
    const first = await spawnServer(env);
    t.after(() => void (first.proc.exitCode === null && first.proc.signalCode === null && first.proc.kill('SIGKILL')));
    const second = await spawnServer(env, { waitHealthy: false });
    let secondExited = false;
    void second.exited.then(() => (secondExited = true));
    const outcome = await until(
      async () => (secondExited ? 'refused' : (await fetch(`${second.url}/api/orders/enhanced/health`)).status === 200 && 'started'),
      120_000,
      'the second server to exit or to start',
    );
    if (outcome === 'started') second.proc.kill('SIGKILL');
    assert.equal(outcome, 'refused', 'a second server opened the same data directory');
    assert.equal((await second.exited).code, 1);
    assert.match(second.output(), new RegExp(`data directory .* is in use by process ${first.proc.pid}`));
    const reg = await call(first.url, 'POST', '/api/v1/auth/register', { body: { email: 'one@example.com', password: 'only-one-writer', name: 'One' } });
    assert.equal(reg.status, 201, 'the first server is unharmed');

    first.proc.kill('SIGKILL'); // leaves its pid file behind
    await first.exited;
    const third = await spawnServer(env);
    try {
      const login = await call(third.url, 'POST', '/api/v1/auth/login', { body: { email: 'one@example.com', password: 'only-one-writer' } });
      assert.equal(login.status, 200, 'the data written before the kill is there');
    } finally {
      third.proc.kill('SIGTERM');
      assert.equal((await third.exited).code, 0);
    }
    assert.ok(!(await readdir(dir)).includes('boxoffice.pid'), 'a clean shutdown removes the pid file');
  });

  it('creates no demo accounts and prints no passwords in production; says when Stripe has no card for want of a publishable key', async () => {
    const stripe = { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_live_boxofficeops', STRIPE_WEBHOOK_SECRET: 'whsec_boxofficeops', STRIPE_API_BASE: 'http://127.0.0.1:9' };
    const s = await spawnServer({ NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex'), DATA_DIR: await migratedDir(), ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'ops-password-1', ...stripe });
    try {
      assert.doesNotMatch(s.output(), /password/i);
      assert.match(s.output(), /payments: Stripe, PromptPay QR; card payment is off because STRIPE_PUBLISHABLE_KEY is not set/);
      assert.deepEqual((await call(s.url, 'GET', '/api/v1/payments/methods')).body, { methods: ['promptpay'] });
      const demo = await call(s.url, 'POST', '/api/v1/auth/login', { body: { email: 'admin@boxoffice.local', password: 'admin-demo-pass' } });
      assert.equal(demo.status, 401);
      const ops = await call(s.url, 'POST', '/api/v1/auth/login', { body: { email: 'ops@example.com', password: 'ops-password-1' } });
      assert.equal(ops.status, 200);
      assert.equal(ops.body.user.role, 'admin');
    } finally {
      s.proc.kill('SIGTERM');
      await s.exited;
    }
  });

  it('shuts down on SIGTERM: finishes the request in flight, refuses new ones, exits 0 within 10 s', async () => {
    const s = await spawnServer({ DATA_DIR: await migratedDir(), JWT_SECRET: 'y'.repeat(40) });
    const login = await call(s.url, 'POST', '/api/v1/auth/login', { body: { email: 'customer@boxoffice.local', password: 'customer-demo-pass' } });
    const showDate = (await call(s.url, 'GET', '/api/v1/shows')).body.items[0].showDate;
    const body = JSON.stringify({ showDate, seatIds: ['101'] });
    // a request whose headers the server has read (it answered 100 Continue) but whose body is still coming
    const sock = connect(s.port, '127.0.0.1');
    let received = '';
    sock.on('data', (d) => (received += d));
    sock.write(
      `POST /api/orders/enhanced/seats/lock HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Authorization: Bearer ${login.body.accessToken}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await until(async () => received.includes('100 Continue'), 5_000, '100 Continue');
    const t0 = Date.now();
    s.proc.kill('SIGTERM');
    await until(async () => fetch(`${s.url}/api/v1/shows`).then(() => false, () => true), 5_000, 'the server to stop accepting connections');
    sock.end(body);
    await until(async () => /\r\n\r\n\{.*\}$/s.test(received), 5_000, 'the answer to the request in flight');
    assert.match(received, /HTTP\/1\.1 200 OK/);
    assert.match(received, /"lockedBy"/);
    const exit = await s.exited;
    assert.equal(exit.code, 0);
    assert.ok(Date.now() - t0 < 10_000, `shutdown took ${Date.now() - t0} ms`);
  });

  it('loads pdfkit, the Stripe SDK, nodemailer and TypeBox\'s Compile / Value only when used, not when the app is imported', async () => {
    // every ES module the loader loads, reported by a load hook registered after tsx's (a CommonJS package shows
    // up as the entry an ES module imports); the app is only imported, as at the start of every server process
    const script = `
      import { register } from 'node:module';
      const { port1, port2 } = new MessageChannel();
      const urls = [];
      port1.on('message', (u) => urls.push(u));
      register('data:text/javascript,' + encodeURIComponent('let p; export function initialize(d) { p = d.port; } export async function load(url, ctx, next) { p.postMessage(url); return next(url, ctx); }'), { data: { port: port2 }, transferList: [port2] });
      await import('./src/app.ts');
      await new Promise((r) => setImmediate(r));
      port1.close();
      process.stdout.write(JSON.stringify(urls));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: new URL('..', import.meta.url), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    const urls = JSON.parse(out) as string[];
    const loaded = (dir: string) => urls.some((u) => u.includes(`/node_modules/${dir}/`));
    assert.ok(loaded('fastify') && loaded('typebox/build/type'), 'the hook sees the packages the app does load');
    for (const dir of ['pdfkit', 'stripe', 'nodemailer', 'typebox/build/compile', 'typebox/build/value']) assert.equal(loaded(dir), false, `${dir} is loaded at start-up`);
  });
});

for (const target of dbTargets()) {
  describe(`migrations on ${target}`, () => {
    it('apply once, in order, and never twice', async () => {
      let db: Db;
      let drop = async () => {};
      if (target === 'pg') {
        const fresh = await freshPgDatabase();
        drop = fresh.drop;
        db = createPgDb(fresh.url, { poolSize: 4 });
      } else {
        db = await createPgliteDb('memory://');
      }
      try {
        const [a, b] = await Promise.all([migrate(db), migrate(db)]);
        const applied = [...a.applied, ...b.applied];
        assert.deepEqual(applied, ['001_schema', '002_booking_functions'].concat(applied.slice(2)));
        assert.equal(new Set(applied).size, applied.length, 'a migration ran twice');
        const again = await migrate(db);
        assert.deepEqual(again.applied, []);
        const { rows } = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
        assert.deepEqual(rows.map((r) => r.version), applied);

        // the SQL functions: every file of src/db/functions/ created once, not again while unchanged
        const files = (await readdir(FUNCTIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
        assert.deepEqual([...a.functions, ...b.functions].sort(), files);
        assert.deepEqual(again.functions, []);
        // a changed file is applied again, and what it created last time is replaced
        await db.query('DROP FUNCTION bo_seat_free');
        await db.query(`UPDATE schema_functions SET sha256 = 'an older text' WHERE file = 'bo_seat_free.sql'`);
        assert.deepEqual((await migrate(db)).functions, ['bo_seat_free.sql']);
        const free = await db.query<{ free: boolean }>(`SELECT bo_seat_free('LOCKED', now() - interval '1 second', now()) AS free`);
        assert.equal(free.rows[0].free, true, 'an expired hold counts as free');
      } finally {
        await db.close();
        await drop();
      }
    });
  });
}

describe('data directory lock (src/db/data-dir-lock.ts)', () => {
  it('refuses a live owner, takes over an empty, garbled or dead one, and releases what it took', async (t) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'boxoffice-lock-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'boxoffice.pid');
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    t.after(() => void child.kill('SIGKILL'));
    await writeFile(file, `${child.pid}\n`);
    assert.throws(() => lockDataDir(dir), new RegExp(`in use by process ${child.pid}`));
    assert.equal(await readFile(file, 'utf8'), `${child.pid}\n`, 'the live owner keeps its file');

    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => gone.on('exit', resolve));
    for (const content of ['', 'not a pid', `${gone.pid}\n`]) {
      await writeFile(file, content);
      const release = lockDataDir(dir);
      assert.equal(await readFile(file, 'utf8'), `${process.pid}\n`, `took over a file holding ${JSON.stringify(content)}`);
      release();
      assert.deepEqual(await readdir(dir), [], 'released, and no temporary file left');
    }
  });
});

describe('database outage (PostgreSQL behind a proxy we can cut)', { skip: dbTargets().includes('pg') ? false : 'needs TEST_DATABASE_URL' }, () => {
  it('fails fast with 503 SERVICE_UNAVAILABLE, reports degraded health, and recovers by itself', async () => {
    const { TcpProxy } = await import('./helpers/tcp-proxy.ts');
    const fresh = await freshPgDatabase();
    const target = new URL(fresh.url);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.start();
    const viaProxy = new URL(fresh.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(port);
    const s = await spawnServer({ DATABASE_URL: viaProxy.toString(), JWT_SECRET: 'z'.repeat(40) });
    try {
      const login = await call(s.url, 'POST', '/api/v1/auth/login', { body: { email: 'customer@boxoffice.local', password: 'customer-demo-pass' } });
      const auth = { authorization: `Bearer ${login.body.accessToken}` };
      const showDate = (await call(s.url, 'GET', '/api/v1/shows')).body.items[0].showDate;

      await proxy.cut();
      const t0 = Date.now();
      const lock = await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate, seatIds: ['101'] }, headers: auth });
      assert.ok(Date.now() - t0 < 2500, `took ${Date.now() - t0} ms to fail`);
      assert.equal(lock.status, 503, JSON.stringify(lock.body));
      assert.equal(lock.body.code, 'SERVICE_UNAVAILABLE');
      assert.equal(lock.headers.get('retry-after'), '1');
      const health = await call(s.url, 'GET', '/api/orders/enhanced/health');
      assert.equal(health.status, 503);
      assert.equal(health.body.status, 'degraded');
      assert.equal(health.body.checks.database.status, 'down');

      await proxy.restore();
      await until(async () => (await call(s.url, 'GET', '/api/orders/enhanced/health')).status === 200, 15_000, 'health to recover');
      const again = await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate, seatIds: ['101'] }, headers: auth });
      assert.equal(again.status, 200);
    } finally {
      s.proc.kill('SIGKILL');
      await s.exited;
      await proxy.stop();
      await fresh.drop();
    }
  });
});
