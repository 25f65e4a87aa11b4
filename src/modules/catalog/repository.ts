import type { Queryable } from '../../db/driver.ts';
import type { SeatState } from '../../contract/common.ts';
import type { VenueLayout } from './venue.ts';

export interface ShowRow {
  show_date: string;
  title: string;
  status: 'ON_SALE' | 'CLOSED';
  seq: number;
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
}

/** A LOCKED seat whose hold expired counts as AVAILABLE everywhere (lazy expiry). */
const COUNTS = `
  count(*) FILTER (WHERE i.state = 'AVAILABLE' OR (i.state = 'LOCKED' AND i.hold_expires_at <= $1))::int AS available,
  count(*) FILTER (WHERE i.state = 'LOCKED' AND i.hold_expires_at > $1)::int AS locked,
  count(*) FILTER (WHERE i.state = 'BOOKED')::int AS booked,
  count(*) FILTER (WHERE i.state = 'BLOCKED')::int AS blocked`;

export const catalogRepository = {
  async listShows(q: Queryable, now: Date): Promise<ShowRow[]> {
    const { rows } = await q.query<ShowRow>(
      `SELECT s.show_date, s.title, s.status, s.seq, ${COUNTS}
         FROM shows s LEFT JOIN seat_inventory i ON i.show_date = s.show_date
        GROUP BY s.show_date ORDER BY s.show_date`,
      [now],
    );
    return rows;
  },

  async getShow(q: Queryable, now: Date, showDate: string): Promise<ShowRow | undefined> {
    const { rows } = await q.query<ShowRow>(
      `SELECT s.show_date, s.title, s.status, s.seq, ${COUNTS}
         FROM shows s LEFT JOIN seat_inventory i ON i.show_date = s.show_date
        WHERE s.show_date = $2 GROUP BY s.show_date`,
      [now, showDate],
    );
    return rows[0];
  },

  /** The first show on sale on or after the given day. */
  async nextShowOnSale(q: Queryable, fromDay: string): Promise<string | undefined> {
    const { rows } = await q.query<{ show_date: string }>(
      `SELECT show_date FROM shows WHERE status = 'ON_SALE' AND show_date >= $1 ORDER BY show_date LIMIT 1`,
      [fromDay],
    );
    return rows[0]?.show_date;
  },

  async zones(q: Queryable): Promise<ZoneRow[]> {
    return (await q.query<ZoneRow>('SELECT * FROM venue_zones ORDER BY sort_order')).rows;
  },

  /** Seat states and the show's seq read in ONE statement, so they come from the same snapshot. */
  async seatMap(q: Queryable, showDate: string): Promise<InventorySeatRow[]> {
    const { rows } = await q.query<InventorySeatRow>(
      `SELECT (SELECT seq FROM shows WHERE show_date = $1) AS seq,
              s.id, s.zone_id, s.row_label, s.seat_number, s.x, s.y, i.state, i.holder_id, i.hold_expires_at
         FROM seat_inventory i JOIN seats s ON s.id = i.seat_id
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

  /** Creates the show with every venue seat AVAILABLE (BLOCKED where the venue blocks it). False if it exists. */
  async insertShow(q: Queryable, showDate: string, title: string): Promise<boolean> {
    const created = await q.query('INSERT INTO shows (show_date, title) VALUES ($1, $2) ON CONFLICT DO NOTHING', [showDate, title]);
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
