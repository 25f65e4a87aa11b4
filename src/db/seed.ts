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

export interface SeedReport {
  showsCreated: string[];
  demoAccounts: typeof DEMO_ACCOUNTS;
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
  const report: SeedReport = { showsCreated, demoAccounts: [] };
  if (config.env !== 'production') {
    for (const account of DEMO_ACCOUNTS) {
      if (!(await usersRepository.findByEmail(db, account.email))) await auth.ensureUser(account);
    }
    report.demoAccounts = DEMO_ACCOUNTS;
  }
  if (config.adminEmail && config.adminPassword) {
    await auth.ensureUser({ email: config.adminEmail, password: config.adminPassword, name: 'Administrator', role: 'admin' });
    report.adminEnsured = config.adminEmail;
  }
  return report;
}
