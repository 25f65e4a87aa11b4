/**
 * `npm run create-admin -- --email a@b.c --password '…' [--name 'Ops'] [--role staff]`:
 * creates an admin (or staff) account, or promotes an existing one and sets its password.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import { createPgDb, createPgliteDb } from '../../db/driver.ts';
import { migrate } from '../../db/migrate.ts';
import { AuthService } from './service.ts';

function fail(message: string): never {
  process.stderr.write(`create-admin: ${message}\nusage: npm run create-admin -- --email EMAIL --password PASSWORD [--name NAME] [--role admin|staff]\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'admin' } },
});
if (!values.email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email)) fail('--email must be an email address');
if (!values.password || values.password.length < 8) fail('--password must have at least 8 characters');
if (values.role !== 'admin' && values.role !== 'staff') fail('--role must be admin or staff');

try {
  const config = loadConfig();
  const db = config.databaseUrl ? createPgDb(config.databaseUrl, { poolSize: 1 }) : await createPgliteDb(config.dataDir);
  try {
    await migrate(db);
    // tokens are not issued here, so no signer is needed
    const auth = new AuthService(db, () => '');
    const { user, created } = await auth.ensureUser({ email: values.email, password: values.password, name: values.name ?? 'Administrator', role: values.role });
    process.stdout.write(`${created ? 'created' : 'updated'} ${user.role} ${user.email} (${user.id})\n`);
  } finally {
    await db.close();
  }
} catch (err) {
  // a data directory in use, a bad setting, an unreachable database: one line, no stack trace
  process.stderr.write(`create-admin: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
