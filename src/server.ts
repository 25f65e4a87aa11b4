import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createServer } from 'node:net';
import { loadConfig, ConfigError, type Config } from './config.ts';

const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Development without JWT_SECRET on the embedded database: keep the generated secret next to the data,
 * so sign-ins survive a restart. Returns where it is kept, or undefined when it is not kept.
 */
function keepDevSecret(config: Config): string | undefined {
  if (!config.jwtSecretGenerated || config.databaseUrl || config.dataDir === 'memory://') return undefined;
  const file = path.join(config.dataDir, 'jwt-secret');
  if (existsSync(file)) config.jwtSecret = readFileSync(file, 'utf8').trim();
  else {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, config.jwtSecret, { mode: 0o600 });
  }
  return file;
}

/** A configuration problem is told in one line, not a stack trace. */
async function orExit<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`boxoffice: configuration error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * Refuses a port another process listens on before anything is created (database, data directory, secret file):
 * one line instead of EADDRINUSE's stack after a whole start-up.
 */
function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new ConfigError(
          err.code === 'EADDRINUSE'
            ? `port ${port} is already in use on ${host} (another boxoffice?): stop that process or set PORT`
            : `cannot listen on ${host}:${port}: ${err.code ?? err.message} (check HOST and PORT)`,
        ),
      ),
    );
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** The start log's line on how buyers can pay online; says plainly when card is off with Stripe and why. */
function paymentsLine(config: Config, methods: readonly string[], demoPromptpayId: string): string {
  const offered = methods.map((m) => (m === 'card' ? 'card' : 'PromptPay QR')).join(' and ') || 'none online (PROMPTPAY_ID is not set: staff record payments)';
  const demoQr = methods.includes('promptpay') && !config.promptpayId ? ` (demo PromptPay id ${demoPromptpayId}: no bank accepts it, set PROMPTPAY_ID)` : '';
  if (config.paymentProvider !== 'stripe') return `payments: ${offered}${demoQr}, confirmed by staff or a slip`;
  if (methods.includes('card')) return `payments: Stripe, ${offered}`;
  return `payments: Stripe, ${offered}; card payment is off because STRIPE_PUBLISHABLE_KEY is not set`;
}

async function main(): Promise<void> {
  const config = await orExit(() => loadConfig());
  await orExit(() => checkPortFree(config.host, config.port));
  // The venue's validator and then the app (database drivers, PDF, Stripe…) load only once the settings are known
  // good: a mistake in them is told in a fraction of a second, not after ~2.5 s of loading modules.
  const { loadVenue } = await import('./modules/catalog/venue.ts');
  const venue = await orExit(() => loadVenue(config.venueFile));
  const [{ buildApp }, { DEMO_PROMPTPAY_ID }] = await Promise.all([import('./app.ts'), import('./modules/payments/service.ts')]);
  const secretFile = keepDevSecret(config);
  const { app, seedReport, services } = await orExit(() => buildApp(config, { venue }));
  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  const lines = [
    `boxoffice is running at ${url}`,
    `API docs: ${url}/api/docs`,
    `database: ${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`}; realtime: ${config.redisUrl ? 'Redis adapter' : 'single instance'}`,
  ];
  const { methods } = services.payments.paymentMethods();
  lines.push(paymentsLine(config, methods, DEMO_PROMPTPAY_ID));
  if (config.paymentProvider === 'stripe' && !methods.includes('card')) app.log.warn('card payment is off: PAYMENT_PROVIDER=stripe without STRIPE_PUBLISHABLE_KEY offers PromptPay only');
  if (config.jwtSecretGenerated) {
    lines.push(
      secretFile
        ? `JWT_SECRET is not set: using a generated development secret kept in ${secretFile} (set JWT_SECRET in production).`
        : 'JWT_SECRET is not set: generated a random one for this run (tokens end when the server restarts).',
    );
  }
  if (seedReport.showsCreated.length) lines.push(`opened shows: ${seedReport.showsCreated.join(', ')}`);
  if (seedReport.demoAccounts.length) {
    lines.push('demo accounts (development only):');
    for (const a of seedReport.demoAccounts) lines.push(`  ${a.role.padEnd(8)} ${a.email}  password: ${a.password}`);
  }
  if (seedReport.demoAccountsDisabled?.length) {
    lines.push(`demo accounts disabled by an earlier production start on this data, so none is shown: ${seedReport.demoAccountsDisabled.join(', ')} (a fresh DATA_DIR or database has them again)`);
  }
  app.log.info({ url, docs: `${url}/api/docs` }, 'listening');
  process.stdout.write(`\n${lines.join('\n')}\n\n`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    const force = setTimeout(() => {
      app.log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    app.close().then(
      () => {
        clearTimeout(force);
        process.exit(0);
      },
      (err) => {
        app.log.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`boxoffice failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
