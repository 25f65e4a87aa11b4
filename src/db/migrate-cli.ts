/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database in DATA_DIR). */
import { loadConfig } from '../config.ts';
import { createPgDb, createPgliteDb } from './driver.ts';
import { migrate } from './migrate.ts';

try {
  const config = loadConfig();
  const db = config.databaseUrl ? createPgDb(config.databaseUrl, { poolSize: 1 }) : await createPgliteDb(config.dataDir);
  try {
    const { applied, alreadyApplied } = await migrate(db);
    process.stdout.write(
      applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}\n` : `database is up to date (${alreadyApplied} migrations applied before)\n`,
    );
  } finally {
    await db.close();
  }
} catch (err) {
  // a data directory in use, a bad setting, an unreachable database or a failing migration: one line
  process.stderr.write(`migration failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
