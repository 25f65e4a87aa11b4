import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { spawnServer, until, signToken } from './helpers/process.ts';
import { TcpProxy } from './helpers/tcp-proxy.ts';
import { call } from './helpers/http.ts';
import { freshPgDatabase } from './helpers/server.ts';

const redisUrl = process.env.TEST_REDIS_URL;
const pgUrl = process.env.TEST_DATABASE_URL;
if (process.env.CI && (!redisUrl || !pgUrl)) throw new Error('CI=true needs TEST_REDIS_URL and TEST_DATABASE_URL for the Redis outage test');

describe('Redis outage (Redis behind a proxy we can cut)', { skip: redisUrl && pgUrl ? false : 'needs TEST_REDIS_URL and TEST_DATABASE_URL' }, () => {
  it('keeps serving with local realtime and local rate limits, reports it, and reconnects by itself', async () => {
    const target = new URL(redisUrl!);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    const port = await proxy.start();
    const db = await freshPgDatabase();
    const secret = 'r'.repeat(40);
    const s = await spawnServer({
      DATABASE_URL: db.url,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      JWT_SECRET: secret,
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_MAX: '1000',
    });
    const socket = io(s.url, { transports: ['websocket'], reconnection: false });
    const connected = new Promise<void>((resolve, reject) => {
      socket.on('connect', () => resolve());
      socket.on('connect_error', reject);
    });
    try {
      const login = await call(s.url, 'POST', '/api/v1/auth/login', { body: { email: 'customer@boxoffice.local', password: 'customer-demo-pass' } });
      const auth = { authorization: `Bearer ${login.body.accessToken}` };
      const showDate = (await call(s.url, 'GET', '/api/v1/shows')).body.items[0].showDate;
      const received: any[] = [];
      socket.on('seat-locked', (e) => received.push(e));
      await connected;
      const ack = await socket.timeout(5000).emitWithAck('join-show', { showDate });
      assert.equal(ack.showDate, showDate);
      const healthy = await call(s.url, 'GET', '/api/orders/enhanced/health');
      assert.equal(healthy.body.checks.redis.status, 'ok');

      await proxy.cut();
      await until(async () => (await call(s.url, 'GET', '/api/orders/enhanced/health')).body.checks.redis.status === 'down', 10_000, 'health to report Redis down');
      const health = await call(s.url, 'GET', '/api/orders/enhanced/health');
      assert.equal(health.status, 200, 'a Redis outage does not make bookings unavailable');
      assert.equal(health.body.status, 'ok');

      const lock = await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate, seatIds: ['101'] }, headers: auth });
      assert.equal(lock.status, 200, JSON.stringify(lock.body));
      await until(async () => received.some((e) => e.seatIds.includes('101')), 5_000, 'the seat-locked event on a socket of the same instance');
      const order = await call(s.url, 'POST', '/api/v1/orders', { body: { showDate, seatIds: ['101'] }, headers: auth });
      assert.equal(order.status, 201);
      const staff = signToken(secret, { sub: order.body.order.userId, role: 'customer', email: 'customer@boxoffice.local' });
      assert.equal((await call(s.url, 'GET', `/api/v1/orders/${order.body.order.id}`, { headers: { authorization: `Bearer ${staff}` } })).status, 200);

      await proxy.restore();
      await until(async () => (await call(s.url, 'GET', '/api/orders/enhanced/health')).body.checks.redis.status === 'ok', 20_000, 'Redis to reconnect');
      const after = await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate, seatIds: ['102'] }, headers: auth });
      assert.equal(after.status, 200);
      await until(async () => received.some((e) => e.seatIds.includes('102')), 5_000, 'events after Redis came back');
      assert.equal(s.proc.exitCode, null, 'the process stayed up');
    } finally {
      socket.close();
      s.proc.kill('SIGKILL');
      await s.exited;
      await proxy.stop();
      await db.drop();
    }
  });
});
