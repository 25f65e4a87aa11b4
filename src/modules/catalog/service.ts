import type { Db, Queryable } from '../../db/driver.ts';
import type { Config } from '../../config.ts';
import { SHOWS_PAGE_DEFAULT, type SeatMap, type Show, type SeatView, type ShowList, type ShowState, type ShowStateSeat, type StaticLayout, type StandingArea } from '../../contract/catalog.ts';
import type { SeatStatus } from '../../contract/seats.ts';
import { auditActor, recordAudit, type Actor } from '../audit/service.ts';
import { AppError } from '../../errors.ts';
import { catalogRepository, type ShowRow, type StandingRow } from './repository.ts';
import { addDays, dayIn, isCalendarDate } from './dates.ts';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { VenueLayout } from './venue.ts';

/** Standing (general admission) ticket types as price keys. */
export const STANDING_PRICE_KEYS = { adult: 'standing-adult', child: 'standing-child' } as const;

/**
 * Sales are open when the show is ON_SALE and its sales have not closed by themselves yet
 * (API.md v2 "Shows": `salesOpen` = status ON_SALE and now < salesCloseAt).
 */
export function salesOpen(show: { status: string; sales_close_at: Date }, now: Date): boolean {
  return show.status === 'ON_SALE' && now < show.sales_close_at;
}

/** The venue's own prices: every zone id and every standing type the venue sells → THB. */
export function venuePrices(venue: VenueLayout): Record<string, number> {
  const out: Record<string, number> = {};
  for (const z of venue.zones) out[z.id] = z.price;
  if (venue.standing) {
    out[STANDING_PRICE_KEYS.adult] = venue.standing.prices.adult;
    out[STANDING_PRICE_KEYS.child] = venue.standing.prices.child;
  }
  return out;
}

export function toShow(r: ShowRow, now: Date, venue: VenueLayout): Show {
  const show: Show = {
    showDate: r.show_date,
    title: r.title,
    status: r.status,
    salesOpen: salesOpen(r, now),
    startsAt: r.starts_at.toISOString(),
    salesCloseAt: r.sales_close_at.toISOString(),
    prices: { ...venuePrices(venue), ...r.prices },
    priceOverrides: r.prices,
    counts: { available: r.available, locked: r.locked, booked: r.booked, blocked: r.blocked },
  };
  if (r.cancelled_at) show.cancelledAt = r.cancelled_at.toISOString();
  if (r.cancel_note) show.cancelReason = r.cancel_note;
  return show;
}

/** The show's standing area as the seat map and the state show it: the show's prices over the venue's. */
/** The venue part of the seat map and the layout: its name (and both names when the venue file gives them), the drawing's size and the ring. */
function venueDrawing(v: VenueLayout): SeatMap['venue'] {
  return { name: v.name, ...(v.names ? { names: { ...v.names } } : {}), width: v.width, height: v.height, ring: v.ring };
}

function standingArea(st: StandingRow, prices: Record<string, number>): StandingArea {
  return {
    id: 'standing',
    name: { en: st.nameEn, th: st.nameTh },
    capacity: st.capacity,
    available: st.available,
    prices: { adult: prices[STANDING_PRICE_KEYS.adult] ?? st.priceAdult, child: prices[STANDING_PRICE_KEYS.child] ?? st.priceChild },
  };
}

export class CatalogService {
  private layoutCache: { etag: string; json: string; gzip: Buffer } | undefined;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly venue: VenueLayout,
  ) {}

  today(): string {
    return dayIn(this.config.venueTimeZone, this.config.clock.now());
  }

  /**
   * One page of shows in date order (upcoming first): `limit` shows (default 50) after `cursor` (the
   * `nextCursor` of the page before), and `nextCursor` when more follow. Nights that are over (before today,
   * sales closed) only with `includePast`. The cost is the page's shows and their taken seats, whatever the
   * number of shows.
   */
  async listShows(opts: { includePast?: boolean; limit?: number; cursor?: string } = {}): Promise<ShowList> {
    const now = this.config.clock.now();
    const limit = opts.limit ?? SHOWS_PAGE_DEFAULT;
    if (opts.cursor !== undefined && !isCalendarDate(opts.cursor)) {
      throw new AppError('VALIDATION_FAILED', { errors: [{ path: '/cursor', message: 'not a cursor of this list' }] });
    }
    const rows = await catalogRepository.listShows(this.db, now, { fromDay: opts.includePast ? undefined : this.today(), after: opts.cursor, limit: limit + 1 });
    const items = rows.slice(0, limit).map((r) => toShow(r, now, this.venue));
    return rows.length > limit ? { items, nextCursor: items[items.length - 1].showDate } : { items };
  }

  async getShow(showDate: string, q: Queryable = this.db): Promise<Show> {
    const now = this.config.clock.now();
    const row = isCalendarDate(showDate) ? await catalogRepository.getShow(q, now, showDate) : undefined;
    if (!row) throw new AppError('SHOW_NOT_FOUND', { showDate });
    return toShow(row, now, this.venue);
  }

  /**
   * A snapshot a client will number events from (it carries `seq`) is handed out only once everything it saw is
   * on disk: online orders and buyers' cancels (with DATABASE_ASYNC_COMMIT=all, hold batches too) commit
   * asynchronously (Db.durable()), and a snapshot showing a change the database then lost in a crash would carry a
   * seq that is numbered again afterwards.
   */
  private async snapshot<T>(read: Promise<T>): Promise<T> {
    const value = await read;
    await this.db.durable();
    return value;
  }

  async seatMap(showDate: string, lang: 'en' | 'th'): Promise<SeatMap> {
    if (!isCalendarDate(showDate)) throw new AppError('SHOW_NOT_FOUND', { showDate });
    const now = this.config.clock.now();
    const [rows, zones] = await Promise.all([this.snapshot(catalogRepository.seatMap(this.db, showDate, now)), catalogRepository.zones(this.db)]);
    if (rows.length === 0) throw new AppError('SHOW_NOT_FOUND', { showDate });
    const st = rows[0].standing;
    const map: SeatMap = {
      showDate,
      seq: rows[0].seq,
      venue: venueDrawing(this.venue),
      zones: zones.map((z) => ({
        id: z.id,
        name: lang === 'th' ? z.name_th : z.name_en,
        names: { en: z.name_en, th: z.name_th },
        ticketType: z.ticket_type,
        price: rows[0].prices[z.id] ?? z.price,
        currency: z.currency,
      })),
      seats: rows.map((r) => {
        const seat: SeatView = { id: r.id, zoneId: r.zone_id, row: r.row_label, number: r.seat_number, x: r.x, y: r.y, status: r.state };
        if (r.block_reason) seat.blockReason = r.block_reason;
        if (r.state === 'LOCKED') {
          if (r.hold_expires_at! <= now) seat.status = 'AVAILABLE';
          else {
            seat.expiresAt = r.hold_expires_at!.toISOString();
            seat.lockedBy = r.holder_id!;
          }
        }
        return seat;
      }),
    };
    if (st) map.standing = standingArea(st, rows[0].prices);
    return map;
  }

  /**
   * The venue's static layout (GET /api/v1/venue/layout): zones with their venue prices, every seat with its
   * place, the standing area. Built once, with its JSON text and that text gzipped (a 20,000-seat arena: ~1.5 MB
   * of JSON, ~10× less gzipped); `etag` (a hash of the JSON) changes only when the venue file does.
   */
  layout(): { etag: string; json: string; gzip: Buffer } {
    if (!this.layoutCache) {
      const v = this.venue;
      const body: StaticLayout = {
        venue: venueDrawing(v),
        zones: v.zones.map((z) => ({ id: z.id, name: { en: z.nameEn, th: z.nameTh }, ticketType: z.ticketType, price: z.price, currency: z.currency })),
        seats: v.seats.map((s) => ({ id: s.id, zoneId: s.zoneId, row: s.row, number: s.number, x: s.x, y: s.y })),
        standing: v.standing ? { name: { ...v.standing.name }, capacity: v.standing.capacity, prices: { ...v.standing.prices } } : null,
      };
      const json = JSON.stringify(body);
      this.layoutCache = { json, gzip: gzipSync(json), etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"` };
    }
    return this.layoutCache;
  }

  /**
   * A show's state apart from its layout (GET /api/v1/shows/:showDate/state): seq, prices and only the seats that
   * are not AVAILABLE, read in one statement, so a fresh show's state is tiny whatever the venue's size. A hold
   * past its expiry is left out (it counts as AVAILABLE). SHOW_NOT_FOUND when there is no such show.
   */
  async showState(showDate: string): Promise<ShowState> {
    const now = this.config.clock.now();
    const row = isCalendarDate(showDate) ? await this.snapshot(catalogRepository.showState(this.db, showDate, now)) : undefined;
    if (!row) throw new AppError('SHOW_NOT_FOUND', { showDate });
    const seats: ShowStateSeat[] = [];
    for (const r of row.seats) {
      if (r.state === 'AVAILABLE' || (r.state === 'LOCKED' && r.hold_expires_at! <= now)) continue;
      const seat: ShowStateSeat = { id: r.id, status: r.state };
      if (r.state === 'LOCKED') {
        seat.expiresAt = r.hold_expires_at!.toISOString();
        seat.lockedBy = r.holder_id!;
      }
      if (r.block_reason) seat.blockReason = r.block_reason;
      seats.push(seat);
    }
    const state: ShowState = { showDate, seq: row.seq, prices: { ...venuePrices(this.venue), ...row.prices }, seats };
    if (row.standing) state.standing = standingArea(row.standing, row.prices);
    return state;
  }

  /** One seat's state; without showDate, in the next show on sale. */
  async seatStatus(seatId: string, showDate?: string): Promise<SeatStatus> {
    const day = showDate ?? (await catalogRepository.nextShowOnSale(this.db, this.today(), this.config.clock.now()));
    if (!day || !isCalendarDate(day)) throw new AppError('SHOW_NOT_FOUND', { showDate: showDate ?? null });
    const row = await catalogRepository.seatState(this.db, day, seatId);
    if (!row) {
      if (await catalogRepository.seatExists(this.db, seatId)) throw new AppError('SHOW_NOT_FOUND', { showDate: day });
      throw new AppError('SEAT_NOT_FOUND', { seatId });
    }
    const now = this.config.clock.now();
    if (row.state === 'LOCKED' && row.hold_expires_at! > now) {
      return { seatId, showDate: day, status: 'LOCKED', expiresAt: row.hold_expires_at!.toISOString(), lockedBy: row.holder_id! };
    }
    return { seatId, showDate: day, status: row.state === 'LOCKED' ? 'AVAILABLE' : row.state };
  }

  /**
   * Opens a show (admin): every venue seat AVAILABLE. startsAt defaults to SHOW_START_TIME on the date in
   * the venue time zone, salesCloseAt to startsAt + SALES_CLOSE_AFTER_START_MIN.
   * Errors: VALIDATION_FAILED (impossible date, bad times), SHOW_IN_PAST (before today in TZ_VENUE),
   * NOT_FOUND (a price for a zone the venue does not have), SHOW_EXISTS. `actor` (the admin, with the request
   * id) is written to the audit log in the same transaction.
   */
  async createShow(
    showDate: string,
    title?: string,
    opts: { startsAt?: string; salesCloseAt?: string; prices?: Record<string, number> } = {},
    actor?: Actor,
  ): Promise<Show> {
    if (!isCalendarDate(showDate)) throw new AppError('VALIDATION_FAILED', { errors: [{ path: '/showDate', message: 'not a calendar date' }] });
    if (showDate < this.today()) throw new AppError('SHOW_IN_PAST', { showDate, today: this.today(), timeZone: this.config.venueTimeZone });
    const startsAt = opts.startsAt === undefined ? undefined : this.checkStart(showDate, opts.startsAt);
    const salesCloseAt = opts.salesCloseAt === undefined ? undefined : new Date(opts.salesCloseAt);
    if (salesCloseAt) checkInstant(salesCloseAt, '/salesCloseAt');
    if (opts.prices) this.checkPriceKeys(opts.prices);
    const created = await this.db.tx(async (q) => {
      const inserted = await catalogRepository.insertShow(q, showDate, title ?? defaultTitle(showDate), this.showTimes({ startsAt, salesCloseAt }), opts.prices);
      if (inserted && actor) {
        const after = { showDate, title: title ?? defaultTitle(showDate), ...opts };
        await recordAudit(q, { ...auditActor(actor), at: this.config.clock.now(), action: 'show.create', entityType: 'show', entityId: showDate, after });
      }
      return inserted;
    });
    if (!created) throw new AppError('SHOW_EXISTS', { showDate });
    return this.getShow(showDate);
  }

  /** The venue-time defaults of a new show's times (seed and createShow). */
  showTimes(explicit: { startsAt?: Date; salesCloseAt?: Date } = {}) {
    return { timeZone: this.config.venueTimeZone, startTime: this.config.showStartTime, closeAfterMin: this.config.salesCloseAfterStartMin, ...explicit };
  }

  /**
   * A start must fall on the show's night: from 00:00 on its date to 06:00 the next morning, venue time
   * (so a show starting after midnight still belongs to the night it is sold as). VALIDATION_FAILED otherwise.
   */
  checkStart(showDate: string, iso: string): Date {
    const at = new Date(iso);
    checkInstant(at, '/startsAt');
    const day = dayIn(this.config.venueTimeZone, at);
    const earlyNextMorning = day === addDays(showDate, 1) && hourIn(this.config.venueTimeZone, at) < 6;
    if (day !== showDate && !earlyNextMorning) {
      throw new AppError('VALIDATION_FAILED', { errors: [{ path: '/startsAt', message: `must be on the night of ${showDate} (venue time ${this.config.venueTimeZone})` }] });
    }
    return at;
  }

  /** Every price key must be a zone of the venue or a standing type it sells: NOT_FOUND otherwise. */
  checkPriceKeys(prices: Record<string, unknown>): void {
    const known = venuePrices(this.venue);
    const unknown = Object.keys(prices).filter((k) => !(k in known));
    if (unknown.length) throw new AppError('NOT_FOUND', { unknownPriceKeys: unknown, known: Object.keys(known) });
  }
}

/** A date-time the database can hold and people mean: years 2000-2999 (VALIDATION_FAILED otherwise). */
function checkInstant(at: Date, path: string): void {
  const y = at.getUTCFullYear();
  if (Number.isNaN(at.getTime()) || y < 2000 || y > 2999) throw new AppError('VALIDATION_FAILED', { errors: [{ path, message: 'not a supported date-time' }] });
}

function hourIn(timeZone: string, at: Date): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(at));
}

export function defaultTitle(showDate: string): string {
  return `Muay Thai Night ${showDate}`;
}
