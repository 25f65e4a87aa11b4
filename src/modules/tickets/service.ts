import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import type { Db, Queryable } from '../../db/driver.ts';
import type { Config } from '../../config.ts';
import type { TokenClaims } from '../auth/service.ts';
import type { EventBus } from '../../realtime/bus.ts';
import type {
  CheckinBatchBody,
  CheckinBody,
  CheckinResult,
  CheckinTicket,
  CheckinCount,
  Manifest,
  Ticket,
  TicketStatus,
} from '../../contract/tickets.ts';
import { isStaff } from '../../plugins/auth.ts';
import { auditActor, recordAudit, type Actor } from '../audit/service.ts';
import { AppError } from '../../errors.ts';
import { ordersRepository } from '../orders/repository.ts';
import { ticketsRepository, type TicketRow } from './repository.ts';
import { renderTicketsPdf, type PdfTicket } from './pdf.ts';

/** A ticket secret as the database makes them (bo_ticket_secret): 32 bytes, base64url, no padding. */
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Hex SHA-256 of a secret: how the database and the offline manifests know a ticket. */
export const secretHash = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function zoneOffsetMs(timeZone: string, at: Date): number {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(at)
      .map((x) => [x.type, Number(x.value)]),
  );
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - at.getTime();
}

/** Show start: shows.starts_at when the shows module set one, else 21:00 venue time (API.md SHOW_START_TIME default). */
export function showStartsAt(showDate: string, startsAtText: string | null, tz: string): Date {
  if (startsAtText) return new Date(startsAtText);
  const wall = new Date(`${showDate}T21:00:00Z`);
  return new Date(wall.getTime() - zoneOffsetMs(tz, wall));
}

const startsAt = (r: TicketRow, tz: string): Date => showStartsAt(r.show_date, r.starts_at, tz);

function ticketStatus(r: TicketRow): TicketStatus {
  if (r.status === 'REVOKED') return 'REVOKED';
  return r.checked_in_at ? 'USED' : 'VALID';
}

function placeFields(r: TicketRow): Pick<CheckinTicket, 'seatId' | 'zoneId' | 'row' | 'number'> {
  const out: Pick<CheckinTicket, 'seatId' | 'zoneId' | 'row' | 'number'> = {};
  if (r.seat_id) out.seatId = r.seat_id;
  if (r.zone_id) out.zoneId = r.zone_id;
  if (r.row_label) out.row = r.row_label;
  if (r.seat_number !== null) out.number = r.seat_number;
  return out;
}

function doorView(r: TicketRow): CheckinTicket {
  return { id: r.id, orderCode: r.order_code, showDate: r.show_date, admission: r.admission, ...placeFields(r), status: ticketStatus(r) };
}

interface ScanOutcome {
  answer: CheckinResult;
  /** the show whose admitted count changed */
  admittedTo?: string;
}

/**
 * Tickets of PAID orders (list, PDF) and the door: check-in, offline batches, manifests, live counts.
 * Tickets themselves are issued and revoked by the orders module's PAID and cancel transitions
 * (ticketsRepository.issue / revoke in the same transaction).
 */
export class TicketsService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly bus: EventBus,
    private readonly venueName: string,
  ) {}

  /** The order's tickets with their secrets and QR codes: the owner, staff or admin. 409 ORDER_NOT_PAID before payment. */
  async list(user: TokenClaims, orderId: string): Promise<Ticket[]> {
    const rows = await this.visibleTickets(user, orderId);
    return Promise.all(rows.map((r) => this.toTicket(r)));
  }

  /** tickets.pdf: one page per ticket that can still get in, in the buyer's language first (Thai or English). */
  async pdf(user: TokenClaims, orderId: string, lang: 'en' | 'th'): Promise<Buffer> {
    const rows = (await this.visibleTickets(user, orderId)).filter((r) => r.status === 'VALID');
    if (!rows.length) throw new AppError('ORDER_NOT_PAID', { orderId });
    return this.renderPdf(rows, lang);
  }

  /** The PDF of an order's valid tickets, for the confirmation mail (no caller check: the mail goes to the buyer). */
  async pdfForOrder(orderId: string, lang: 'en' | 'th'): Promise<Buffer | undefined> {
    const rows = (await ticketsRepository.forOrder(this.db, orderId)).filter((r) => r.status === 'VALID');
    return rows.length ? this.renderPdf(rows, lang) : undefined;
  }

  private renderPdf(rows: TicketRow[], lang: 'en' | 'th'): Promise<Buffer> {
    const tickets: PdfTicket[] = rows.map((r) => ({
      secret: r.secret,
      orderCode: r.order_code,
      startsAt: startsAt(r, this.config.venueTimeZone),
      admission: r.admission,
      seatId: r.seat_id ?? undefined,
      row: r.row_label ?? undefined,
      zone: r.zone_en ? { en: r.zone_en, th: r.zone_th ?? r.zone_en } : undefined,
    }));
    return renderTicketsPdf({ venue: this.venueName, timeZone: this.config.venueTimeZone, lang, tickets });
  }

  private async visibleTickets(user: TokenClaims, orderId: string): Promise<TicketRow[]> {
    const order = await ordersRepository.findById(this.db, orderId);
    if (!order || (!isStaff(user.role) && order.user_id !== user.sub)) throw new AppError('ORDER_NOT_FOUND', { orderId });
    const rows = await ticketsRepository.forOrder(this.db, orderId);
    // a cancelled order that had been paid still shows its (revoked) tickets; one never paid has none
    if (order.status === 'PENDING' || !rows.length) throw new AppError('ORDER_NOT_PAID', { orderId, status: order.status });
    return rows;
  }

  private async toTicket(r: TicketRow): Promise<Ticket> {
    const t: Ticket = {
      id: r.id,
      orderId: r.order_id,
      orderCode: r.order_code,
      showDate: r.show_date,
      startsAt: startsAt(r, this.config.venueTimeZone).toISOString(),
      admission: r.admission,
      ...placeFields(r),
      status: ticketStatus(r),
      secret: r.secret,
      qrSvg: await QRCode.toString(r.secret, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    };
    if (r.zone_en) t.zoneName = { en: r.zone_en, th: r.zone_th ?? r.zone_en };
    if (r.checked_in_at) t.checkedInAt = r.checked_in_at.toISOString();
    return t;
  }

  /**
   * One scan at the door. The answer is stored under the scanner's nonce, so a retry gets the same answer;
   * a ticket gets at most one check-in (unique index on checkins.ticket_id). `force` (staff, admin) admits a
   * valid ticket of another night. Unknown or malformed secrets are INVALID.
   */
  async checkin(user: Actor, body: CheckinBody): Promise<CheckinResult> {
    if (body.force && !isStaff(user.role)) throw new AppError('FORBIDDEN', { reason: 'force needs a staff or admin account' });
    const out = await this.db.tx((q) => this.scanTx(q, user, body));
    if (out.admittedTo) await this.announceCount(out.admittedTo);
    return out.answer;
  }

  /** Offline scans uploaded later, answered in order; each one exactly as a single check-in would be. */
  async checkinBatch(user: Actor, body: CheckinBatchBody): Promise<CheckinResult[]> {
    if (body.scans.some((s) => s.force) && !isStaff(user.role)) throw new AppError('FORBIDDEN', { reason: 'force needs a staff or admin account' });
    const results: CheckinResult[] = [];
    const shows = new Set<string>();
    for (const scan of body.scans) {
      const out = await this.db.tx((q) => this.scanTx(q, user, scan));
      if (out.admittedTo) shows.add(out.admittedTo);
      results.push(out.answer);
    }
    for (const showDate of shows) await this.announceCount(showDate);
    return results;
  }

  private async scanTx(q: Queryable, user: Actor, scan: CheckinBody): Promise<ScanOutcome> {
    const prior = await ticketsRepository.claimNonce(q, user.sub, scan.nonce);
    if (prior) return { answer: prior.answer as CheckinResult };
    const out = await this.decide(q, user, scan);
    await ticketsRepository.storeAnswer(q, user.sub, scan.nonce, out.answer);
    return out;
  }

  private async decide(q: Queryable, user: Actor, scan: CheckinBody): Promise<ScanOutcome> {
    const secret = scan.secret.trim();
    if (!SECRET_SHAPE.test(secret)) return { answer: { result: 'INVALID' } };
    const t = await ticketsRepository.byHashForUpdate(q, secretHash(secret));
    if (!t) return { answer: { result: 'INVALID' } };
    if (t.status === 'REVOKED') return { answer: { result: 'REVOKED', ticket: doorView(t) } };
    if (t.order_status !== 'PAID') return { answer: { result: 'UNPAID', ticket: doorView(t) } };
    const forced = t.show_date !== scan.showDate;
    if (forced && !scan.force) return { answer: { result: 'WRONG_SHOW', ticket: doorView(t) } };

    const now = this.config.clock.now();
    const seen = scan.scannedAt ? new Date(scan.scannedAt) : now;
    // a scanner's clock may run ahead: an admission is never recorded in the future
    const scannedAt = seen > now ? now : seen;
    const admitted = await ticketsRepository.admit(q, { ticketId: t.id, showDate: scan.showDate, gate: scan.gate, scannedAt, userId: user.sub, forced });
    if (admitted && forced) {
      await recordAudit(q, {
        ...auditActor(user),
        at: now,
        action: 'ticket.forced-checkin',
        entityType: 'ticket',
        entityId: t.id,
        before: { status: t.status, showDate: t.show_date },
        after: { status: 'USED', admittedTo: scan.showDate, gate: scan.gate, scannedAt: scannedAt.toISOString() },
      });
    }
    if (admitted) {
      return { answer: { result: 'ADMITTED', ticket: { ...doorView(t), status: 'USED' } }, admittedTo: scan.showDate };
    }
    const first = (await ticketsRepository.firstCheckin(q, t.id))!;
    return {
      answer: { result: 'ALREADY_ADMITTED', ticket: { ...doorView(t), status: 'USED' }, firstCheckin: { at: first.scanned_at.toISOString(), gate: first.gate } },
    };
  }

  /** The show's secret hashes and states for scanning offline (door, staff, admin). */
  async manifest(showDate: string, since?: string): Promise<Manifest> {
    const [{ rows, generatedAt }, counts] = await Promise.all([
      ticketsRepository.manifest(this.db, showDate, since ? new Date(since) : undefined),
      ticketsRepository.counts(this.db, showDate),
    ]);
    return {
      showDate,
      generatedAt: generatedAt.toISOString(),
      tickets: rows.map((r) => ({ hash: r.secret_hash, admission: r.admission, ...placeFields(r), orderCode: r.order_code, status: ticketStatus(r) })),
      ...counts,
    };
  }

  async count(showDate: string): Promise<CheckinCount> {
    return { showDate, ...(await ticketsRepository.counts(this.db, showDate)) };
  }

  /** checkin-count to staff and door sockets; a failed count is logged by the bus, never thrown at the scanner. */
  async announceCount(showDate: string): Promise<void> {
    this.bus.checkinCount(await this.count(showDate));
  }
}
