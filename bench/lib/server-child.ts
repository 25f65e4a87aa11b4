// The boxoffice server as a child process of the benchmark: configuration from the environment (like
// `npm start`), listening on 127.0.0.1 on a free port, fixture requests over the IPC channel.
import net from 'node:net';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { runFixture, type FixtureOp } from './fixtures.ts';

interface Request {
  id: number;
  fixture: FixtureOp;
}

/**
 * Listens on a random port below the kernel's ephemeral range (32768+). Servers that listen on port 0
 * get ephemeral ports; when one of them dies, its socket.io clients keep reconnecting to that port, and
 * would land on the benchmark server if it happened to get the same port (seen on this machine: a
 * stray browser tab took 40 % of the server's CPU with seat events).
 */
async function listenOutsideEphemeralRange(app: BuiltApp['app']): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (!free) continue;
    await app.listen({ host: '127.0.0.1', port });
    return port;
  }
  throw new Error('no free port between 20000 and 30000');
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('server-child must be started with an IPC channel');
  const built = await buildApp(loadConfig(process.env, { host: '127.0.0.1', port: 0 }));
  const port = await listenOutsideEphemeralRange(built.app);
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    try {
      await built.app.close();
    } finally {
      process.disconnect?.();
      process.exit(0);
    }
  };
  process.on('message', (m: Request | 'close') => {
    if (m === 'close') return void close();
    runFixture(built, m.fixture).then(
      (result) => process.send!({ id: m.id, ok: true, result }),
      (err: Error) => process.send!({ id: m.id, ok: false, error: err.message }),
    );
  });
  // the benchmark died: do not linger
  process.on('disconnect', () => void close());
  process.send({ ready: true, port, pid: process.pid });
}

main().catch((err) => {
  process.stderr.write(`bench server failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
