/** @jsxImportSource preact */
import type { Lang } from '../../src/client/index.ts';
import { usePublicSession } from './session.ts';
import { href, useRoute } from './router.ts';

/** Words of the staff and admin pages (counter, orders, reports, audit, referrers), in both languages. */
export type Words = Record<string, { en: string; th: string }>;

/** A page's own word list as a lookup in the user's language; `{name}` placeholders are filled from params. */
export function wordsFor<W extends Words>(words: W, lang: Lang) {
  return (key: keyof W, params: Record<string, string | number> = {}): string =>
    words[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

const NAV = {
  label: { en: 'Box office', th: 'ห้องขายตั๋ว' },
  counter: { en: 'Counter sale', th: 'ขายหน้าเคาน์เตอร์' },
  orders: { en: 'Orders', th: 'คำสั่งซื้อ' },
  payments: { en: 'Slips', th: 'สลิป' },
  reports: { en: 'Reports', th: 'รายงาน' },
  audit: { en: 'Audit log', th: 'บันทึกการใช้งาน' },
  referrers: { en: 'Referrers', th: 'ผู้แนะนำ' },
} as const;

/** The staff pages' own navigation (under the top bar); admin also sees the audit log and the referrers. */
export function StaffNav() {
  const { user, lang } = usePublicSession();
  const [page] = useRoute();
  const w = wordsFor(NAV, lang);
  const links: [string, keyof typeof NAV][] = [
    ['counter', 'counter'],
    ['staff', 'orders'],
    ['payments', 'payments'],
    ['reports', 'reports'],
  ];
  if (user?.role === 'admin') links.push(['audit', 'audit'], ['referrers', 'referrers']);
  return (
    <nav class="staff-nav no-print" aria-label={w('label')} data-testid="staff-nav">
      {links.map(([route, key]) => (
        <a key={route} href={href(route)} data-testid={`staff-nav-${route}`} aria-current={page === route ? 'page' : undefined}>
          {w(key)}
        </a>
      ))}
    </nav>
  );
}

/** Saves a file the API answered (PDF, CSV) under `name`, through a temporary object URL. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
