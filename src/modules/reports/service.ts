import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Db } from '../../db/driver.ts';
import type { Config } from '../../config.ts';
import type { DaySheet, ReferrerReport, ShowReport } from '../../contract/boxoffice.ts';
import { AppError } from '../../errors.ts';
import { isCalendarDate } from '../catalog/dates.ts';
import { reportsRepository, type ExportRow } from './repository.ts';
import { phoneForSpreadsheet } from '../orders/phone.ts';

/** Rows fetched per keyset page of the CSV export: memory stays at one page whatever the show's size. */
export const EXPORT_PAGE_SIZE = 500;

/**
 * The export's columns. Times are the venue's wall clock, "2026-11-30 19:05:00", the zone named in the header
 * ("created_at (Asia/Bangkok)"), a form spreadsheets read as a date; phone numbers go out as phoneForSpreadsheet
 * writes them ("+66 89 111 2222", which Excel keeps as text); standing places are counted per type in their own
 * columns, next to the seats, so they can be summed.
 */
function csvColumns(timeZone: string): { key: string; header: string; value(r: ExportRow): string | number }[] {
  const wall = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const at = (d: Date | null) => (d ? wall.format(d) : '');
  return [
    { key: 'code', header: 'code', value: (r) => r.code },
    { key: 'id', header: 'order_id', value: (r) => r.id },
    { key: 'status', header: 'status', value: (r) => r.status },
    { key: 'channel', header: 'channel', value: (r) => r.channel },
    { key: 'created_at', header: `created_at (${timeZone})`, value: (r) => at(r.created_at) },
    { key: 'paid_at', header: `paid_at (${timeZone})`, value: (r) => at(r.paid_at) },
    { key: 'cancelled_at', header: `cancelled_at (${timeZone})`, value: (r) => at(r.cancelled_at) },
    { key: 'cancel_reason', header: 'cancel_reason', value: (r) => r.cancel_reason ?? '' },
    { key: 'customer_name', header: 'customer_name', value: (r) => r.customer_name ?? '' },
    { key: 'customer_phone', header: 'customer_phone', value: (r) => (r.customer_phone ? phoneForSpreadsheet(r.customer_phone) : '') },
    { key: 'customer_email', header: 'customer_email', value: (r) => r.customer_email ?? '' },
    { key: 'account_email', header: 'account_email', value: (r) => r.account_email },
    { key: 'seats', header: 'seats', value: (r) => r.seats ?? '' },
    { key: 'cancelled_seats', header: 'cancelled_seats', value: (r) => r.cancelled_seats ?? '' },
    { key: 'standing_adult', header: 'standing_adult', value: (r) => r.standing_adult },
    { key: 'standing_child', header: 'standing_child', value: (r) => r.standing_child },
    { key: 'cancelled_standing_adult', header: 'cancelled_standing_adult', value: (r) => r.cancelled_standing_adult },
    { key: 'cancelled_standing_child', header: 'cancelled_standing_child', value: (r) => r.cancelled_standing_child },
    { key: 'total', header: 'total', value: (r) => r.total },
    { key: 'currency', header: 'currency', value: (r) => r.currency },
    { key: 'payment_method', header: 'payment_method', value: (r) => r.payment_method ?? '' },
    { key: 'amount_paid', header: 'amount_paid', value: (r) => r.amount_paid },
    { key: 'amount_refunded', header: 'amount_refunded', value: (r) => r.amount_refunded },
    { key: 'referrer_code', header: 'referrer_code', value: (r) => r.referrer_code ?? '' },
    { key: 'sold_by', header: 'sold_by', value: (r) => r.sold_by_email ?? '' },
  ];
}

/** Reports for the box office and the office (API.md "Reports"): numbers computed from the live tables. */
export class ReportsService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
  ) {}

  private async requireShow(showDate: string): Promise<void> {
    if (!isCalendarDate(showDate) || !(await reportsRepository.showExists(this.db, showDate))) throw new AppError('SHOW_NOT_FOUND', { showDate });
  }

  /**
   * Seats sold, reserved (PENDING), held, blocked and available per zone, the standing area's places the same way;
   * tickets per channel count seats and standing places; money in and out per method.
   */
  async show(showDate: string, lang: 'en' | 'th'): Promise<ShowReport> {
    await this.requireShow(showDate);
    const now = this.config.clock.now();
    const [zones, orders, payments, refunds, refundDue, checkins, standing] = await Promise.all([
      reportsRepository.zoneCounts(this.db, showDate, now),
      reportsRepository.orderCounts(this.db, showDate),
      reportsRepository.paymentsByMethod(this.db, showDate),
      reportsRepository.refundsByMethod(this.db, showDate),
      reportsRepository.refundDue(this.db, showDate),
      reportsRepository.checkins(this.db, showDate),
      reportsRepository.standingCounts(this.db, showDate, now),
    ]);
    const sum = (k: 'capacity' | 'sold' | 'reserved' | 'held' | 'blocked' | 'available') => zones.reduce((n, z) => n + z[k], 0);
    const byStatus = (status: string) => orders.filter((o) => o.status === status).reduce((n, o) => n + o.orders, 0);
    const channels = new Map<string, { channel: string; orders: number; tickets: number }>();
    for (const o of orders.filter((x) => x.status !== 'CANCELLED')) {
      const c = channels.get(o.channel) ?? { channel: o.channel, orders: 0, tickets: 0 };
      c.orders += o.orders;
      c.tickets += o.tickets;
      channels.set(o.channel, c);
    }
    const paid = payments.reduce((n, p) => n + p.amount, 0);
    const refunded = refunds.reduce((n, p) => n + p.amount, 0);
    return {
      showDate,
      generatedAt: now.toISOString(),
      currency: 'THB',
      zones: zones.map((z) => ({
        zoneId: z.zone_id,
        name: lang === 'th' ? z.name_th : z.name_en,
        capacity: z.capacity,
        sold: z.sold,
        reserved: z.reserved,
        held: z.held,
        blocked: z.blocked,
        available: z.available,
        revenue: z.revenue,
      })),
      ...(standing && {
        standing: {
          capacity: standing.capacity,
          sold: { adult: standing.adult, child: standing.child },
          reserved: standing.reserved,
          held: standing.held,
          available: standing.available,
          revenue: standing.revenue,
        },
      }),
      totals: { capacity: sum('capacity'), sold: sum('sold'), reserved: sum('reserved'), held: sum('held'), blocked: sum('blocked'), available: sum('available') },
      orders: { pending: byStatus('PENDING'), paid: byStatus('PAID'), cancelled: byStatus('CANCELLED') },
      channels: [...channels.values()],
      payments: payments.map((p) => ({ method: p.method, count: p.count, amount: p.amount })),
      refunds: refunds.map((p) => ({ method: p.method, count: p.count, amount: p.amount })),
      revenue: { paid, refunded, net: paid - refunded, refundDue },
      checkedIn: checkins,
    };
  }

  /** For counting each cash drawer at the end of a day (venue time zone): per staff member and method. */
  async daySheet(date: string, staffId?: string): Promise<DaySheet> {
    if (!isCalendarDate(date)) throw new AppError('VALIDATION_FAILED', { field: 'date', reason: 'not a calendar date' });
    const { rows, from, to } = await reportsRepository.daySheet(this.db, date, this.config.venueTimeZone, staffId);
    const totals = new Map<string, { method: string; count: number; amount: number }>();
    const lines = rows.map((r) => {
      const net = r.payments_amount - r.refunds_amount;
      const t = totals.get(r.method) ?? { method: r.method, count: 0, amount: 0 };
      t.count += r.payments_count + r.refunds_count;
      t.amount += net;
      totals.set(r.method, t);
      return {
        staffId: r.staff_id,
        staffName: r.staff_name,
        staffEmail: r.staff_email,
        method: r.method,
        paymentsCount: r.payments_count,
        paymentsAmount: r.payments_amount,
        refundsCount: r.refunds_count,
        refundsAmount: r.refunds_amount,
        net,
      };
    });
    return { date, timeZone: this.config.venueTimeZone, from: from.toISOString(), to: to.toISOString(), currency: 'THB', lines, totals: [...totals.values()] };
  }

  /** Tickets and commission per referrer, for orders paid between two venue days (both included). */
  async referrers(from: string, to: string): Promise<ReferrerReport> {
    if (!isCalendarDate(from) || !isCalendarDate(to) || from > to) throw new AppError('VALIDATION_FAILED', { field: 'from', reason: 'from and to must be calendar dates, from ≤ to' });
    const items = await reportsRepository.referrers(this.db, from, to, this.config.venueTimeZone);
    return { from, to, currency: 'THB', items };
  }

  /**
   * A show's orders as CSV (UTF-8 with a BOM so Excel reads Thai), streamed: keyset pages of EXPORT_PAGE_SIZE
   * rows go through csv-stringify one at a time, so memory never holds the whole table. 404 before the first byte.
   */
  async exportOrdersCsv(showDate: string): Promise<Readable> {
    await this.requireShow(showDate);
    const db = this.db;
    const columns = csvColumns(this.config.venueTimeZone);
    async function* rows() {
      let after: { createdAt: Date; id: string } | undefined;
      for (;;) {
        const page = await reportsRepository.exportPage(db, showDate, after, EXPORT_PAGE_SIZE);
        for (const r of page) yield Object.fromEntries(columns.map((c) => [c.key, c.value(r)]));
        if (page.length < EXPORT_PAGE_SIZE) return;
        const last = page[page.length - 1];
        after = { createdAt: last.created_at, id: last.id };
      }
    }
    const csv = stringify({ bom: true, header: true, columns: columns.map((c) => ({ key: c.key, header: c.header })) });
    const source = Readable.from(rows());
    source.on('error', (err) => csv.destroy(err));
    return source.pipe(csv);
  }
}
