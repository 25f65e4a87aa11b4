import type { Ticket } from '../../src/client/index.ts';

/**
 * Tickets kept on this device so the ticket page opens without a network (at the door, in a basement).
 * localStorage, one entry per order under the signed-in user's id: a ticket's secret lets one person in, so
 * signing out removes every saved ticket of the device (forgetAllTickets).
 */
export interface SavedTickets {
  orderId: string;
  orderCode: string;
  showDate: string;
  /** the show's title in both languages when it was known */
  showTitle?: { en: string; th: string };
  tickets: Ticket[];
  /** when the server last answered (ISO) */
  savedAt: string;
}

const PREFIX = 'boxoffice.tickets.';
const key = (userId: string, orderId: string) => `${PREFIX}${userId}.${orderId}`;

export function saveTickets(userId: string, saved: SavedTickets): void {
  try {
    localStorage.setItem(key(userId, saved.orderId), JSON.stringify(saved));
  } catch {
    // storage full or disabled: the page still shows the tickets it has, only not offline later
  }
}

export function loadTickets(userId: string, orderId: string): SavedTickets | undefined {
  try {
    const raw = localStorage.getItem(key(userId, orderId));
    return raw ? (JSON.parse(raw) as SavedTickets) : undefined;
  } catch {
    return undefined;
  }
}

/** The user's saved orders, soonest show first (for My orders when the list cannot be loaded). */
export function savedTicketOrders(userId: string): SavedTickets[] {
  const out: SavedTickets[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (!k?.startsWith(`${PREFIX}${userId}.`)) continue;
    const saved = loadTickets(userId, k.slice(`${PREFIX}${userId}.`.length));
    if (saved) out.push(saved);
  }
  return out.sort((a, b) => a.showDate.localeCompare(b.showDate));
}

/** Sign-out: no ticket of this device stays readable. */
export function forgetAllTickets(): void {
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k?.startsWith(PREFIX)) keys.push(k);
  }
  keys.forEach((k) => localStorage.removeItem(k));
}
