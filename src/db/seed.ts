import type { Db } from './driver.ts';
import type { Config } from '../config.ts';
import type { Role } from '../contract/common.ts';
import { catalogRepository } from '../modules/catalog/repository.ts';
import { defaultTitle } from '../modules/catalog/service.ts';
import { addDays, dayIn } from '../modules/catalog/dates.ts';
import type { VenueLayout } from '../modules/catalog/venue.ts';
import type { AuthService } from '../modules/auth/service.ts';
import { usersRepository } from '../modules/auth/repository.ts';

/** Development-only accounts; never created when NODE_ENV=production. */
export const DEMO_ACCOUNTS: { email: string; password: string; name: string; role: Role }[] = [
  { email: 'customer@boxoffice.local', password: 'customer-demo-pass', name: 'Demo Customer', role: 'customer' },
  { email: 'staff@boxoffice.local', password: 'staff-demo-pass', name: 'Demo Staff', role: 'staff' },
  { email: 'admin@boxoffice.local', password: 'admin-demo-pass', name: 'Demo Admin', role: 'admin' },
  { email: 'door@boxoffice.local', password: 'door-demo-pass', name: 'Demo Door', role: 'door' },
];

/**
 * Production never runs with the development demo accounts (issue 12, kind 1): a data directory or database
 * first used in development has them with well-known passwords, so at a production start they are disabled
 * (no sign-in, tokens refused), whatever SEED_DEMO says. `keep` (ADMIN_EMAIL) is left alone. Returns the
 * emails disabled now.
 */
export async function disableDemoAccounts(db: Db, keep?: string): Promise<string[]> {
  const emails = DEMO_ACCOUNTS.map((a) => a.email).filter((e) => e.toLowerCase() !== keep?.toLowerCase());
  return usersRepository.disableByEmail(db, emails);
}

export interface SeedReport {
  showsCreated: string[];
  demoAccounts: typeof DEMO_ACCOUNTS;
  /** demo accounts a production start disabled on this data (development starts say so instead of listing them) */
  demoAccountsDisabled?: string[];
  adminEnsured?: string;
}

/**
 * Idempotent: the venue layout is upserted, the next `demoShowNights` nights are opened if missing (starting at
 * SHOW_START_TIME venue time, sales closing SALES_CLOSE_AFTER_START_MIN later),
 * demo accounts are created if missing (dev only), and ADMIN_EMAIL/ADMIN_PASSWORD make sure an admin exists.
 */
export async function seed(db: Db, config: Config, venue: VenueLayout, auth: AuthService): Promise<SeedReport> {
  await db.tx((q) => catalogRepository.upsertVenue(q, venue));
  const showsCreated: string[] = [];
  const today = dayIn(config.venueTimeZone, config.clock.now());
  for (let i = 0; i < config.demoShowNights; i++) {
    const day = addDays(today, i);
    const times = { timeZone: config.venueTimeZone, startTime: config.showStartTime, closeAfterMin: config.salesCloseAfterStartMin };
    if (await db.tx((q) => catalogRepository.insertShow(q, day, defaultTitle(day), times))) showsCreated.push(day);
  }
  const report: SeedReport = { showsCreated, demoAccounts: [], demoAccountsDisabled: [] };
  if (config.env !== 'production') {
    for (const account of DEMO_ACCOUNTS) {
      const existing = await usersRepository.findByEmail(db, account.email);
      if (!existing) await auth.ensureUser(account);
      // one disabled by a production start stays disabled: its password is not shown as if it worked
      if (existing?.disabled_at) report.demoAccountsDisabled!.push(account.email);
      else report.demoAccounts.push(account);
    }
  }
  if (config.adminEmail && config.adminPassword) {
    await auth.ensureUser({ email: config.adminEmail, password: config.adminPassword, name: 'Administrator', role: 'admin' });
    report.adminEnsured = config.adminEmail;
  }
  return report;
}
