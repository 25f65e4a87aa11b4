import type { CheckinResult, CheckinTicket, Manifest, ManifestTicket } from '../../src/client/index.ts';

/**
 * What a door scanner keeps on its device (localStorage) so it goes on admitting people without a network:
 * the show's manifest (SHA-256 hashes of the ticket secrets, API.md "Tickets, email, check-in"), the scans it
 * decided offline waiting to be uploaded through /checkins/batch, and the conflicts those uploads found.
 */

/** A ticket as the door sees it: the server's answer, or the manifest's entry (which has no ticket id). */
export type DoorTicket = Omit<CheckinTicket, 'id'>;

/** A decision shown at the door: the server's answer, or the device's own when offline. */
export interface DoorAnswer {
  result: CheckinResult['result'];
  ticket?: DoorTicket;
  firstCheckin?: CheckinResult['firstCheckin'];
  /** decided on this device from the manifest (no network) */
  offline?: boolean;
}

/** A scan decided offline, waiting for upload; `local` is what the scanner showed. */
export interface QueuedScan {
  secret: string;
  showDate: string;
  nonce: string;
  gate?: string;
  scannedAt: string;
  local: CheckinResult['result'];
  /** the ticket as the manifest knew it (for the conflict list) */
  ticket?: DoorTicket;
}

/** An offline admission the server did not confirm (the ticket got in elsewhere first, or was revoked meanwhile). */
export interface Conflict {
  scannedAt: string;
  gate?: string;
  ticket?: DoorTicket;
  server: CheckinResult;
}

export interface StoredManifest {
  showDate: string;
  generatedAt: string;
  admitted: number;
  total: number;
  /** by hash */
  tickets: Record<string, ManifestTicket>;
  /** zone id → names, for showing where a ticket sits */
  zones?: Record<string, { en: string; th: string }>;
}

const MANIFEST = (showDate: string) => `boxoffice.door.manifest.${showDate}`;
const QUEUE = 'boxoffice.door.queue';
const CONFLICTS = 'boxoffice.door.conflicts';
export const GATE_KEY = 'boxoffice.door.gate';
export const SHOW_KEY = 'boxoffice.door.show';

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}
const write = (key: string, value: unknown) => localStorage.setItem(key, JSON.stringify(value));

export function loadManifest(showDate: string): StoredManifest | undefined {
  return read<StoredManifest | undefined>(MANIFEST(showDate), undefined);
}

/** Merges a manifest answer (whole, or `since` the last one) into the stored one, by hash. */
export function mergeManifest(m: Manifest, zones?: StoredManifest['zones']): StoredManifest {
  const prev = loadManifest(m.showDate);
  const tickets = { ...(prev?.tickets ?? {}) };
  for (const t of m.tickets) tickets[t.hash] = t;
  const next: StoredManifest = { showDate: m.showDate, generatedAt: m.generatedAt, admitted: m.admitted, total: m.total, tickets, zones: zones ?? prev?.zones };
  write(MANIFEST(m.showDate), next);
  return next;
}

/** Notes an admission the server confirmed, so an offline scan later knows the ticket is used. */
export function markUsed(showDate: string, hash: string): void {
  const m = loadManifest(showDate);
  if (!m?.tickets[hash]) return;
  m.tickets[hash] = { ...m.tickets[hash], status: 'USED' };
  write(MANIFEST(showDate), m);
}

/** Shows whose manifest this device holds. */
export function manifestShows(): string[] {
  const out: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k?.startsWith('boxoffice.door.manifest.')) out.push(k.slice('boxoffice.door.manifest.'.length));
  }
  return out.sort();
}

export const loadQueue = (): QueuedScan[] => read<QueuedScan[]>(QUEUE, []);
export const saveQueue = (q: QueuedScan[]) => write(QUEUE, q);
export const loadConflicts = (): Conflict[] => read<Conflict[]>(CONFLICTS, []);
export const saveConflicts = (c: Conflict[]) => write(CONFLICTS, c);

/** A ticket secret as the server makes them: 43 characters of base64url (anything else is INVALID at once). */
export const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Hex SHA-256 of the secret, as the manifest has it (WebCrypto: https or localhost). */
export async function secretHash(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function asTicket(t: ManifestTicket, showDate: string): DoorTicket {
  return { orderCode: t.orderCode, showDate, admission: t.admission, seatId: t.seatId, zoneId: t.zoneId, row: t.row, number: t.number, status: t.status };
}

/**
 * The offline decision, the same rules as the server's (tickets service `decide`) on what the device knows:
 * unknown or malformed → INVALID, on another show's manifest → WRONG_SHOW, REVOKED, used (by the manifest or by a
 * scan queued here) → ALREADY_ADMITTED, else ADMITTED. Tickets issued after the last manifest update are unknown.
 */
export async function decideOffline(secret: string, showDate: string, queue: QueuedScan[]): Promise<{ answer: DoorAnswer; hash?: string }> {
  if (!SECRET_SHAPE.test(secret)) return { answer: { result: 'INVALID', offline: true } };
  const hash = await secretHash(secret);
  const m = loadManifest(showDate);
  const t = m?.tickets[hash];
  if (!t) {
    for (const other of manifestShows()) {
      const elsewhere = other !== showDate ? loadManifest(other)?.tickets[hash] : undefined;
      if (elsewhere) return { answer: { result: 'WRONG_SHOW', ticket: asTicket(elsewhere, other), offline: true }, hash };
    }
    return { answer: { result: 'INVALID', offline: true }, hash };
  }
  const ticket = asTicket(t, showDate);
  if (t.status === 'REVOKED') return { answer: { result: 'REVOKED', ticket, offline: true }, hash };
  const here = queue.find((q) => q.local === 'ADMITTED' && q.secret === secret);
  if (here) return { answer: { result: 'ALREADY_ADMITTED', ticket: { ...ticket, status: 'USED' }, firstCheckin: { at: here.scannedAt, gate: here.gate ?? null }, offline: true }, hash };
  if (t.status === 'USED') return { answer: { result: 'ALREADY_ADMITTED', ticket, offline: true }, hash };
  return { answer: { result: 'ADMITTED', ticket: { ...ticket, status: 'USED' }, offline: true }, hash };
}
