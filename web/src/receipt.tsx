/** @jsxImportSource preact */
import type { Order } from '../../src/client/index.ts';
import { client, usePublicSession } from './session.ts';
import { VENUE_TZ, formatMoney, formatShowDate, formatTime, formatVenueTime, translate, venueName } from './i18n.ts';
import { useLoad } from './hooks.ts';
import { wordsFor } from './staff-nav.tsx';

const WORDS = {
  receipt: { en: 'Receipt', th: 'ใบเสร็จรับเงิน' },
  order: { en: 'Order', th: 'คำสั่งซื้อ' },
  show: { en: 'Show', th: 'รอบ' },
  seat: { en: 'Seat {seat}', th: 'ที่นั่ง {seat}' },
  row: { en: 'row {row}', th: 'แถว {row}' },
  starts: { en: 'Starts', th: 'เริ่ม' },
  standingAdult: { en: 'Standing, adult', th: 'บัตรยืน ผู้ใหญ่' },
  standingChild: { en: 'Standing, child', th: 'บัตรยืน เด็ก' },
  total: { en: 'Total', th: 'รวม' },
  paid: { en: 'Paid ({method})', th: 'รับเงิน ({method})' },
  change: { en: 'Change', th: 'เงินทอน' },
  refunded: { en: 'Refunded', th: 'คืนเงินแล้ว' },
  staff: { en: 'Staff', th: 'พนักงาน' },
  time: { en: 'Time', th: 'เวลา' },
  customer: { en: 'Customer', th: 'ลูกค้า' },
  thanks: { en: 'Thank you. Keep this receipt.', th: 'ขอบคุณ โปรดเก็บใบเสร็จนี้ไว้' },
  cash: { en: 'cash', th: 'เงินสด' },
  card: { en: 'card', th: 'บัตร' },
  transfer: { en: 'transfer', th: 'โอนเงิน' },
  promptpay: { en: 'PromptPay', th: 'พร้อมเพย์' },
} as const;

/**
 * The 80 mm receipt of a paid order: venue, order code, show and its start (venue time, labelled), one line per
 * seat (zone name, row) and per standing place (adult/child) so the lines add up to the total, money taken,
 * change, staff, time. The venue name, zone names, rows and start time come from the venue layout and the show
 * (loaded here, the layout once per client), so a receipt printed after the sale and one reprinted from the
 * order page read the same. On screen it is a narrow card; printed (styles.css `@page receipt`) it is the only
 * thing on an 80 mm roll page. `tendered`: cash handed over at the counter (only known right after the sale).
 */
export function Receipt({ order, staffName, tendered }: { order: Order; staffName: string; tendered?: number }) {
  const { lang } = usePublicSession();
  const w = wordsFor(WORDS, lang);
  const facts = useLoad(
    (signal) => Promise.all([client.getVenueLayout({ signal }), client.getShow(order.showDate, { signal }), client.counterSettings({ signal }).catch(() => undefined)]),
    [order.showDate],
  );
  const [layout, show, settings] = facts.data ?? [];
  const zoneName = (zoneId: string) => layout?.zones.find((z) => z.id === zoneId)?.name[lang] ?? zoneId;
  const rowOf = (seatId: string) => layout?.seats.find((x) => x.id === seatId)?.row;
  const places = order.standing.flatMap((l) => Array.from({ length: l.quantity }, (_, i) => ({ key: `${l.type}-${l.price}-${i}`, type: l.type, price: l.price })));
  const money = (n: number) => formatMoney(lang, n, order.currency);
  const paid = order.payments.filter((p) => p.status === 'SUCCEEDED');
  const method = paid[0]?.method ?? order.payment?.method ?? 'cash';
  const taken = tendered ?? order.amountPaid;
  const change = tendered !== undefined ? tendered - order.amountPaid : undefined;
  return (
    <article class="receipt" data-testid="receipt" aria-label={w('receipt')} aria-busy={facts.loading}>
      <header>
        <strong data-testid="receipt-venue">{layout ? venueName(lang, layout.venue) : '\u00a0'}</strong>
        <div>{w('receipt')}</div>
      </header>
      <dl>
        <dt>{w('order')}</dt>
        <dd data-testid="receipt-code"><strong>{order.code}</strong></dd>
        <dt>{w('show')}</dt>
        <dd>{formatShowDate(lang, order.showDate)}</dd>
        {show && (
          <>
            <dt>{w('starts')}</dt>
            <dd data-testid="receipt-starts">
              {formatVenueTime(lang, show.startsAt, settings?.timeZone ?? VENUE_TZ)} ({translate(lang, 'venueTime')})
            </dd>
          </>
        )}
        {order.customerName && (
          <>
            <dt>{w('customer')}</dt>
            <dd>{order.customerName}</dd>
          </>
        )}
      </dl>
      <table>
        <tbody>
          {order.seats.map((s) => (
            <tr key={s.seatId} data-testid="receipt-line">
              <td>
                {w('seat', { seat: s.seatId })}
                {rowOf(s.seatId) && <>, {w('row', { row: rowOf(s.seatId)! })}</>} <span class="receipt-zone">{zoneName(s.zoneId)}</span>
              </td>
              <td class="num">{money(s.price)}</td>
            </tr>
          ))}
          {places.map((p) => (
            <tr key={p.key} data-testid="receipt-line">
              <td>{w(p.type === 'adult' ? 'standingAdult' : 'standingChild')}</td>
              <td class="num">{money(p.price)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr class="receipt-total">
            <th scope="row">{w('total')}</th>
            <td class="num" data-testid="receipt-total">{money(order.total)}</td>
          </tr>
          <tr>
            <th scope="row">{w('paid', { method: method in WORDS ? w(method as keyof typeof WORDS) : method })}</th>
            <td class="num" data-testid="receipt-paid">{money(taken)}</td>
          </tr>
          {change !== undefined && (
            <tr>
              <th scope="row">{w('change')}</th>
              <td class="num" data-testid="receipt-change">{money(change)}</td>
            </tr>
          )}
          {order.amountRefunded > 0 && (
            <tr>
              <th scope="row">{w('refunded')}</th>
              <td class="num">{money(order.amountRefunded)}</td>
            </tr>
          )}
        </tfoot>
      </table>
      <dl>
        <dt>{w('staff')}</dt>
        <dd data-testid="receipt-staff">{staffName}</dd>
        <dt>{w('time')}</dt>
        <dd>{formatTime(lang, order.paidAt ?? order.createdAt)}</dd>
      </dl>
      <footer>{w('thanks')}</footer>
    </article>
  );
}
