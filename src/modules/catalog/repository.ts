import type { Queryable } from '../../db/driver.ts';
import type { SeatState } from '../../contract/common.ts';
import type { ShowStatus } from '../../contract/catalog.ts';
import type { VenueLayout } from './venue.ts';

export interface ShowRow {
  show_date: string;
  title: string;
  status: ShowStatus;
  seq: number;
  starts_at: Date;
  sales_close_at: Date;
  /** the show's own price overrides (zone id / standing type → THB) */
  prices: Record<string, number>;
  cancelled_at: Date | null;
  cancel_note: string | null;
  available: number;
  locked: number;
  booked: number;
  blocked: number;
}

export interface ZoneRow {
  id: string;
  name_en: string;
  name_th: string;
  ticket_type: string;
  price: number;
  currency: string;
}

export interface InventorySeatRow {
  seq: number;
  id: string;
  zone_id: string;
  row_label: string;
  seat_number: number;
  x: number;
  y: number;
  state: SeatState;
  holder_id: string | null;
  hold_expires_at: Date | null;
  block_reason: string | null;
}

const SHOW_COLUMNS = 's.show_date, s.title, s.status, s.seq, s.starts_at, s.sales_close_at, s.prices, s.cancelled_at, s.cancel_note';

/** A LOCKED seat whose hold expired counts as AVAILABLE everywhere (lazy expiry). */
const COUNTS = `
  count(*) FILTER (WHERE i.state = 'AVAILABLE' OR (i.state = 'LOCKED' AND i.hold_expires_at <= $1))::int AS available,
  count(*) FILTER (WHERE i.state = 'LOCKED' AND i.hold_expires_at > $1)::int AS locked,
  count(*) FILTER (WHERE i.state = 'BOOKED')::int AS booked,
  count(*) FILTER (WHERE i.state = 'BLOCKED')::int AS blocked`;

export const catalogRepository = {
  /**
   * Shows in date order. With `fromDay`, only nights that are not over: dated `fromDay` (today) or later,
   * or still selling (a night whose sales run past midnight).
   */
  async listShows(q: Queryable, now: Date, fromDay?: string): Promise<ShowRow[]> {
    const { rows } = await q.query<ShowRow>(
      `SELECT ${SHOW_COLUMNS}, ${COUNTS}
         FROM shows s LEFT JOIN seat_inventory i ON i.show_date = s.show_date
        WHERE $2::date IS NULL OR s.show_date >= $2::date OR s.sales_close_at > $1
        GROUP BY s.show_date ORDER BY s.show_date`,
      [now, fromDay ?? null],
    );
    return rows;
  },

  async getShow(q: Queryable, now: Date, showDate: string): Promise<ShowRow | undefined> {
    const { rows } = await q.query<ShowRow>(
      `SELECT ${SHOW_COLUMNS}, ${COUNTS}
         FROM shows s LEFT JOIN seat_inventory i ON i.show_date = s.show_date
        WHERE s.show_date = $2 GROUP BY s.show_date`,
      [now, showDate],
    );
    return rows[0];
  },

  /** The first show whose sales are open now, on or after the given day. */
  async nextShowOnSale(q: Queryable, fromDay: string, now: Date): Promise<string | undefined> {
    const { rows } = await q.query<{ show_date: string }>(
      `SELECT show_date FROM shows WHERE status = 'ON_SALE' AND sales_close_at > $2 AND show_date >= $1 ORDER BY show_date LIMIT 1`,
      [fromDay, now],
    );
    return rows[0]?.show_date;
  },

  async zones(q: Queryable): Promise<ZoneRow[]> {
    return (await q.query<ZoneRow>('SELECT * FROM venue_zones ORDER BY sort_order')).rows;
  },

  /** Seat states, the show's seq and its price overrides read in ONE statement, so they come from the same snapshot. */
  async seatMap(q: Queryable, showDate: string): Promise<(InventorySeatRow & { prices: Record<string, number> })[]> {
    const { rows } = await q.query<InventorySeatRow & { prices: Record<string, number> }>(
      `SELECT sh.seq, sh.prices,
              s.id, s.zone_id, s.row_label, s.seat_number, s.x, s.y, i.state, i.holder_id, i.hold_expires_at, i.block_reason
         FROM seat_inventory i JOIN seats s ON s.id = i.seat_id JOIN shows sh ON sh.show_date = i.show_date
        WHERE i.show_date = $1
        ORDER BY s.zone_id, s.id`,
      [showDate],
    );
    return rows;
  },

  async seatState(q: Queryable, showDate: string, seatId: string): Promise<Pick<InventorySeatRow, 'state' | 'holder_id' | 'hold_expires_at'> | undefined> {
    const { rows } = await q.query<InventorySeatRow>(
      'SELECT state, holder_id, hold_expires_at FROM seat_inventory WHERE show_date = $1 AND seat_id = $2',
      [showDate, seatId],
    );
    return rows[0];
  },

  async seatExists(q: Queryable, seatId: string): Promise<boolean> {
    return (await q.query('SELECT 1 FROM seats WHERE id = $1', [seatId])).rowCount > 0;
  },

  /**
   * Creates the show with every venue seat AVAILABLE (BLOCKED where the venue blocks it). False if it exists.
   * Without `startsAt`, the show starts at `times.startTime` (HH:MM) on its date in `times.timeZone`; without
   * `salesCloseAt`, sales close `times.closeAfterMin` minutes after the start.
   */
  async insertShow(
    q: Queryable,
    showDate: string,
    title: string,
    times: { timeZone: string; startTime: string; closeAfterMin: number; startsAt?: Date; salesCloseAt?: Date },
    prices: Record<string, number> = {},
  ): Promise<boolean> {
    const created = await q.query(
      `WITH t AS (SELECT coalesce($3::timestamptz, ($1::date + $4::time) AT TIME ZONE $5) AS starts_at)
       INSERT INTO shows (show_date, title, starts_at, sales_close_at, prices)
       SELECT $1, $2, t.starts_at, coalesce($6::timestamptz, t.starts_at + make_interval(mins => $7::int)), $8::jsonb FROM t
       ON CONFLICT DO NOTHING`,
      [showDate, title, times.startsAt ?? null, times.startTime, times.timeZone, times.salesCloseAt ?? null, times.closeAfterMin, JSON.stringify(prices)],
    );
    if (created.rowCount === 0) return false;
    await q.query(
      `INSERT INTO seat_inventory (show_date, seat_id, state)
       SELECT $1, id, CASE WHEN blocked THEN 'BLOCKED' ELSE 'AVAILABLE' END FROM seats`,
      [showDate],
    );
    return true;
  },

  /** Writes the venue's zones and seats; existing rows keep their ids and get the new layout. */
  async upsertVenue(q: Queryable, venue: VenueLayout): Promise<void> {
    for (const z of venue.zones) {
      await q.query(
        `INSERT INTO venue_zones (id, name_en, name_th, ticket_type, price, currency, sort_order)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET name_en = $2, name_th = $3, ticket_type = $4, price = $5, currency = $6, sort_order = $7`,
        [z.id, z.nameEn, z.nameTh, z.ticketType, z.price, z.currency, z.sortOrder],
      );
    }
    await q.query(
      `INSERT INTO seats (id, zone_id, row_label, seat_number, x, y)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::real[], $6::real[])
       ON CONFLICT (id) DO UPDATE SET zone_id = excluded.zone_id, row_label = excluded.row_label,
         seat_number = excluded.seat_number, x = excluded.x, y = excluded.y`,
      [
        venue.seats.map((s) => s.id),
        venue.seats.map((s) => s.zoneId),
        venue.seats.map((s) => s.row),
        venue.seats.map((s) => s.number),
        venue.seats.map((s) => s.x),
        venue.seats.map((s) => s.y),
      ],
    );
  },
};
