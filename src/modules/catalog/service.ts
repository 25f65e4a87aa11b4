import type { Db } from '../../db/driver.ts';
import type { Config } from '../../config.ts';
import type { SeatMap, Show, SeatView } from '../../contract/catalog.ts';
import type { SeatStatus } from '../../contract/seats.ts';
import { AppError } from '../../errors.ts';
import { catalogRepository, type ShowRow } from './repository.ts';
import { dayIn, isCalendarDate } from './dates.ts';
import type { VenueLayout } from './venue.ts';

function toShow(r: ShowRow): Show {
  return {
    showDate: r.show_date,
    title: r.title,
    status: r.status,
    salesOpen: r.status === 'ON_SALE',
    counts: { available: r.available, locked: r.locked, booked: r.booked, blocked: r.blocked },
  };
}

export class CatalogService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly venue: VenueLayout,
  ) {}

  today(): string {
    return dayIn(this.config.venueTimeZone, this.config.clock.now());
  }

  async listShows(): Promise<Show[]> {
    return (await catalogRepository.listShows(this.db, this.config.clock.now())).map(toShow);
  }

  async getShow(showDate: string): Promise<Show> {
    const row = isCalendarDate(showDate) ? await catalogRepository.getShow(this.db, this.config.clock.now(), showDate) : undefined;
    if (!row) throw new AppError('SHOW_NOT_FOUND', { showDate });
    return toShow(row);
  }

  async seatMap(showDate: string, lang: 'en' | 'th'): Promise<SeatMap> {
    if (!isCalendarDate(showDate)) throw new AppError('SHOW_NOT_FOUND', { showDate });
    const [rows, zones] = await Promise.all([catalogRepository.seatMap(this.db, showDate), catalogRepository.zones(this.db)]);
    if (rows.length === 0) throw new AppError('SHOW_NOT_FOUND', { showDate });
    const now = this.config.clock.now();
    return {
      showDate,
      seq: rows[0].seq,
      venue: { name: this.venue.name, width: this.venue.width, height: this.venue.height, ring: this.venue.ring },
      zones: zones.map((z) => ({
        id: z.id,
        name: lang === 'th' ? z.name_th : z.name_en,
        names: { en: z.name_en, th: z.name_th },
        ticketType: z.ticket_type,
        price: z.price,
        currency: z.currency,
      })),
      seats: rows.map((r) => {
        const seat: SeatView = { id: r.id, zoneId: r.zone_id, row: r.row_label, number: r.seat_number, x: r.x, y: r.y, status: r.state };
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
  }

  /** One seat's state; without showDate, in the next show on sale. */
  async seatStatus(seatId: string, showDate?: string): Promise<SeatStatus> {
    const day = showDate ?? (await catalogRepository.nextShowOnSale(this.db, this.today()));
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

  async createShow(showDate: string, title?: string): Promise<Show> {
    if (!isCalendarDate(showDate)) throw new AppError('VALIDATION_FAILED', { errors: [{ path: '/showDate', message: 'not a calendar date' }] });
    const created = await this.db.tx((q) => catalogRepository.insertShow(q, showDate, title ?? defaultTitle(showDate)));
    if (!created) throw new AppError('SHOW_EXISTS', { showDate });
    return this.getShow(showDate);
  }
}

export function defaultTitle(showDate: string): string {
  return `Muay Thai Night ${showDate}`;
}
