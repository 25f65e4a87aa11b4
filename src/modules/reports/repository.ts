import type { Queryable } from '../../db/driver.ts';

export interface ZoneCountsRow {
  zone_id: string;
  name_en: string;
  name_th: string;
  capacity: number;
  sold: number;
  reserved: number;
  held: number;
  blocked: number;
  available: number;
  revenue: number;
}

export interface MoneyRow {
  method: string;
  count: number;
  amount: number;
}

export interface DaySheetRow {
  staff_id: string;
  staff_name: string;
  staff_email: string;
  method: string;
  payments_count: number;
  payments_amount: number;
  refunds_count: number;
  refunds_amount: number;
}

export interface ExportRow {
  id: string;
  code: string;
  status: string;
  channel: string;
  created_at: Date;
  paid_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  customer_name: string | null;
  customer_phone: string | null;
  customer_email: string | null;
  account_email: string;
  seats: string | null;
  cancelled_seats: string | null;
  standing_adult: number;
  standing_child: number;
  cancelled_standing_adult: number;
  cancelled_standing_child: number;
  total: number;
  currency: string;
  payment_method: string | null;
  amount_paid: number;
  amount_refunded: number;
  referrer_code: string | null;
  sold_by_email: string | null;
}

/** Money received for an order: its SUCCEEDED payments (as the order's amountPaid). */
const PAID = `coalesce((SELECT sum(p.amount) FROM payments p WHERE p.order_id = o.id AND p.status = 'SUCCEEDED'), 0)`;

/** [start, end) of a calendar day in the venue's time zone, as instants. */
const DAY_START = `(($1::date)::timestamp AT TIME ZONE $2)`;
const DAY_END = `((($1::date) + 1)::timestamp AT TIME ZONE $2)`;

/** Read-only queries for the reports; each answers from the tables the booking core writes, never from copies. */
export const reportsRepository = {
  async showExists(q: Queryable, showDate: string): Promise<boolean> {
    return (await q.query('SELECT 1 FROM shows WHERE show_date = $1', [showDate])).rowCount > 0;
  },

  /** Seat states per zone; a lock past its expiry counts as available (lazy expiry, as everywhere). */
  async zoneCounts(q: Queryable, showDate: string, now: Date): Promise<ZoneCountsRow[]> {
    const { rows } = await q.query<ZoneCountsRow>(
      `SELECT z.id AS zone_id, z.name_en, z.name_th, count(*)::int AS capacity,
              count(*) FILTER (WHERE inv.state = 'BOOKED' AND o.status = 'PAID')::int AS sold,
              count(*) FILTER (WHERE inv.state = 'BOOKED' AND o.status = 'PENDING')::int AS reserved,
              count(*) FILTER (WHERE inv.state = 'LOCKED' AND inv.hold_expires_at > $2)::int AS held,
              count(*) FILTER (WHERE inv.state = 'BLOCKED')::int AS blocked,
              count(*) FILTER (WHERE inv.state = 'AVAILABLE' OR (inv.state = 'LOCKED' AND inv.hold_expires_at <= $2))::int AS available,
              coalesce(sum(os.price) FILTER (WHERE inv.state = 'BOOKED' AND o.status = 'PAID'), 0)::int AS revenue
         FROM seat_inventory inv
         JOIN seats s ON s.id = inv.seat_id
         JOIN venue_zones z ON z.id = s.zone_id
         LEFT JOIN orders o ON o.id = inv.order_id
         LEFT JOIN order_seats os ON os.order_id = inv.order_id AND os.seat_id = inv.seat_id
        WHERE inv.show_date = $1
        GROUP BY z.id, z.name_en, z.name_th, z.sort_order
        ORDER BY z.sort_order`,
      [showDate, now],
    );
    return rows;
  },

  /** The show's standing area: places sold per type, reserved, held (unexpired), available now, revenue; undefined without one. */
  async standingCounts(q: Queryable, showDate: string, now: Date) {
    const { rows } = await q.query<{ capacity: number; adult: number; child: number; reserved: number; held: number; available: number; revenue: number }>(
      `SELECT ss.capacity,
              count(st.*) FILTER (WHERE o.status = 'PAID' AND st.admission = 'adult')::int AS adult,
              count(st.*) FILTER (WHERE o.status = 'PAID' AND st.admission = 'child')::int AS child,
              count(st.*) FILTER (WHERE o.status = 'PENDING')::int AS reserved,
              (SELECT coalesce(sum(h.quantity), 0) FROM standing_holds h WHERE h.show_date = $1 AND h.hold_expires_at > $2)::int AS held,
              bo_standing_available($1, $2) AS available,
              coalesce(sum(st.price) FILTER (WHERE o.status = 'PAID'), 0)::int AS revenue
         FROM show_standing ss
         LEFT JOIN order_standing st ON st.show_date = ss.show_date AND st.active
         LEFT JOIN orders o ON o.id = st.order_id
        WHERE ss.show_date = $1
        GROUP BY ss.capacity`,
      [showDate, now],
    );
    return rows[0];
  },

  async orderCounts(q: Queryable, showDate: string): Promise<{ status: string; channel: string; orders: number; tickets: number }[]> {
    const { rows } = await q.query<{ status: string; channel: string; orders: number; tickets: number }>(
      `SELECT o.status, o.channel, count(*)::int AS orders,
              coalesce(sum((SELECT count(*) FROM order_seats os WHERE os.order_id = o.id AND os.active)
                         + (SELECT count(*) FROM order_standing st WHERE st.order_id = o.id AND st.active)), 0)::int AS tickets
         FROM orders o WHERE o.show_date = $1 GROUP BY o.status, o.channel ORDER BY o.status, o.channel`,
      [showDate],
    );
    return rows;
  },

  async paymentsByMethod(q: Queryable, showDate: string): Promise<MoneyRow[]> {
    const { rows } = await q.query<MoneyRow>(
      `SELECT p.method, count(*)::int AS count, sum(p.amount)::int AS amount
         FROM payments p JOIN orders o ON o.id = p.order_id
        WHERE o.show_date = $1 AND p.status = 'SUCCEEDED'
        GROUP BY p.method ORDER BY p.method`,
      [showDate],
    );
    return rows;
  },

  async refundsByMethod(q: Queryable, showDate: string): Promise<MoneyRow[]> {
    const { rows } = await q.query<MoneyRow>(
      `SELECT r.method, count(*)::int AS count, sum(r.amount)::int AS amount
         FROM refunds r JOIN orders o ON o.id = r.order_id
        WHERE o.show_date = $1 AND r.status <> 'FAILED'
        GROUP BY r.method ORDER BY r.method`,
      [showDate],
    );
    return rows;
  },

  /** Sum over the show's orders of what is still owed back (see refundDueAmount in the orders service). */
  async refundDue(q: Queryable, showDate: string): Promise<number> {
    const { rows } = await q.query<{ due: number }>(
      `SELECT coalesce(sum(greatest(0, ${PAID} - coalesce(r.refunded, 0) - CASE WHEN o.status = 'CANCELLED' THEN 0 ELSE o.total END)), 0)::int AS due
         FROM orders o
         LEFT JOIN (SELECT order_id, sum(amount) AS refunded FROM refunds WHERE status <> 'FAILED' GROUP BY order_id) r ON r.order_id = o.id
        WHERE o.show_date = $1`,
      [showDate],
    );
    return rows[0].due;
  },

  /**
   * Payments taken (recorded by staff at the counter or on an order) and refunds given, per staff member and
   * method, during one calendar day of the venue.
   */
  async daySheet(q: Queryable, day: string, timeZone: string, staffId: string | undefined): Promise<{ rows: DaySheetRow[]; from: Date; to: Date }> {
    const { rows } = await q.query<DaySheetRow>(
      `WITH taken AS (
         SELECT p.created_by AS staff_id, p.method, count(*)::int AS n, sum(p.amount)::int AS amount
           FROM payments p
          WHERE p.succeeded_at >= ${DAY_START} AND p.succeeded_at < ${DAY_END} AND p.created_by IS NOT NULL
            AND p.provider = 'manual' AND p.status IN ('SUCCEEDED', 'REFUND_DUE', 'REFUNDED')
          GROUP BY p.created_by, p.method
       ), given AS (
         SELECT r.created_by AS staff_id, r.method, count(*)::int AS n, sum(r.amount)::int AS amount
           FROM refunds r
          WHERE r.created_at >= ${DAY_START} AND r.created_at < ${DAY_END} AND r.status <> 'FAILED'
          GROUP BY r.created_by, r.method
       )
       SELECT u.id AS staff_id, u.name AS staff_name, u.email AS staff_email, k.method,
              coalesce(t.n, 0) AS payments_count, coalesce(t.amount, 0) AS payments_amount,
              coalesce(g.n, 0) AS refunds_count, coalesce(g.amount, 0) AS refunds_amount
         FROM (SELECT staff_id, method FROM taken UNION SELECT staff_id, method FROM given) k
         JOIN users u ON u.id = k.staff_id
         LEFT JOIN taken t ON t.staff_id = k.staff_id AND t.method = k.method
         LEFT JOIN given g ON g.staff_id = k.staff_id AND g.method = k.method
        WHERE $3::uuid IS NULL OR k.staff_id = $3
        ORDER BY u.name, u.email, k.method`,
      [day, timeZone, staffId ?? null],
    );
    const range = await q.query<{ from: Date; to: Date }>(`SELECT ${DAY_START} AS "from", ${DAY_END} AS "to"`, [day, timeZone]);
    return { rows, from: range.rows[0].from, to: range.rows[0].to };
  },

  /** Tickets (seats and standing places) still in PAID orders made through each referrer (commission is per ticket), by payment time within [from, to] (venue days). */
  async referrers(q: Queryable, from: string, to: string, timeZone: string) {
    const { rows } = await q.query<{ code: string; name: string; orders: number; tickets: number; revenue: number; commission: number }>(
      `SELECT f.code, f.name, count(o.id)::int AS orders,
              coalesce(sum(t.n), 0)::int AS tickets,
              coalesce(sum(o.total), 0)::int AS revenue,
              coalesce(sum(t.n * o.referrer_commission), 0)::int AS commission
         FROM referrers f
         LEFT JOIN orders o ON o.referrer_code = f.code AND o.status = 'PAID'
               AND o.paid_at >= (($1::date)::timestamp AT TIME ZONE $3) AND o.paid_at < ((($2::date) + 1)::timestamp AT TIME ZONE $3)
         LEFT JOIN LATERAL (SELECT (SELECT count(*) FROM order_seats os WHERE os.order_id = o.id AND os.active)
                                 + (SELECT count(*) FROM order_standing st WHERE st.order_id = o.id AND st.active) AS n) t ON true
        GROUP BY f.code, f.name
        ORDER BY commission DESC, f.code`,
      [from, to, timeZone],
    );
    return rows;
  },

  /** Check-ins of a show: tickets admitted (at most one check-in per ticket) and valid tickets (admitted or not). */
  async checkins(q: Queryable, showDate: string): Promise<{ admitted: number; tickets: number }> {
    const { rows } = await q.query<{ admitted: number; tickets: number }>(
      `SELECT (SELECT count(*) FROM checkins c WHERE c.show_date = $1)::int AS admitted,
              (SELECT count(*) FROM tickets t WHERE t.show_date = $1 AND t.status = 'VALID')::int AS tickets`,
      [showDate],
    );
    return rows[0];
  },

  /** One page of a show's orders for the CSV export, in (created_at, id) order after the given key. */
  async exportPage(q: Queryable, showDate: string, after: { createdAt: Date; id: string } | undefined, limit: number): Promise<ExportRow[]> {
    const { rows } = await q.query<ExportRow>(
      `SELECT o.id, o.code, o.status, o.channel, o.created_at, o.paid_at, o.cancelled_at, o.cancel_reason,
              o.customer_name, o.customer_phone, o.customer_email, u.email AS account_email,
              (SELECT string_agg(os.seat_id, ' ' ORDER BY os.seat_id) FROM order_seats os WHERE os.order_id = o.id AND os.cancelled_at IS NULL) AS seats,
              (SELECT string_agg(os.seat_id, ' ' ORDER BY os.seat_id) FROM order_seats os WHERE os.order_id = o.id AND os.cancelled_at IS NOT NULL) AS cancelled_seats,
              (SELECT count(*) FROM order_standing st WHERE st.order_id = o.id AND st.cancelled_at IS NULL AND st.admission = 'adult')::int AS standing_adult,
              (SELECT count(*) FROM order_standing st WHERE st.order_id = o.id AND st.cancelled_at IS NULL AND st.admission = 'child')::int AS standing_child,
              (SELECT count(*) FROM order_standing st WHERE st.order_id = o.id AND st.cancelled_at IS NOT NULL AND st.admission = 'adult')::int AS cancelled_standing_adult,
              (SELECT count(*) FROM order_standing st WHERE st.order_id = o.id AND st.cancelled_at IS NOT NULL AND st.admission = 'child')::int AS cancelled_standing_child,
              o.total, o.currency,
              (SELECT p.method FROM payments p WHERE p.order_id = o.id AND p.status = 'SUCCEEDED' ORDER BY p.succeeded_at DESC LIMIT 1) AS payment_method,
              ${PAID} AS amount_paid,
              coalesce((SELECT sum(r.amount) FROM refunds r WHERE r.order_id = o.id AND r.status <> 'FAILED'), 0)::int AS amount_refunded,
              o.referrer_code, seller.email AS sold_by_email
         FROM orders o
         JOIN users u ON u.id = o.user_id
         LEFT JOIN users seller ON seller.id = o.sold_by
        WHERE o.show_date = $1 AND ($2::timestamptz IS NULL OR (o.created_at, o.id) > ($2, $3::uuid))
        ORDER BY o.created_at, o.id
        LIMIT $4`,
      [showDate, after?.createdAt ?? null, after?.id ?? null, limit],
    );
    return rows;
  },
};
