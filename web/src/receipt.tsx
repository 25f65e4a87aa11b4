/** @jsxImportSource preact */
import type { Order } from '../../src/client/index.ts';
import { usePublicSession } from './session.ts';
import { formatMoney, formatShowDate, formatTime } from './i18n.ts';
import { wordsFor } from './staff-nav.tsx';

const WORDS = {
  receipt: { en: 'Receipt', th: 'ใบเสร็จรับเงิน' },
  order: { en: 'Order', th: 'คำสั่งซื้อ' },
  show: { en: 'Show', th: 'รอบ' },
  seat: { en: 'Seat {seat}', th: 'ที่นั่ง {seat}' },
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
 * The 80 mm receipt of a paid order: order code, items, total, money taken, change, staff, time. On screen it
 * is a narrow card; printed (styles.css `@page receipt`) it is the only thing on an 80 mm roll page.
 * `tendered`: cash handed over at the counter (only known right after the sale), for the change line.
 */
export function Receipt({ order, staffName, tendered, venue }: { order: Order; staffName: string; tendered?: number; venue: string }) {
  const { lang } = usePublicSession();
  const w = wordsFor(WORDS, lang);
  const money = (n: number) => formatMoney(lang, n, order.currency);
  const paid = order.payments.filter((p) => p.status === 'SUCCEEDED');
  const method = paid[0]?.method ?? order.payment?.method ?? 'cash';
  const taken = tendered ?? order.amountPaid;
  const change = tendered !== undefined ? tendered - order.amountPaid : undefined;
  return (
    <article class="receipt" data-testid="receipt" aria-label={w('receipt')}>
      <header>
        <strong>{venue}</strong>
        <div>{w('receipt')}</div>
      </header>
      <dl>
        <dt>{w('order')}</dt>
        <dd data-testid="receipt-code"><strong>{order.code}</strong></dd>
        <dt>{w('show')}</dt>
        <dd>{formatShowDate(lang, order.showDate)}</dd>
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
            <tr key={s.seatId}>
              <td>{w('seat', { seat: s.seatId })} <span class="receipt-zone">{s.zoneId}</span></td>
              <td class="num">{money(s.price)}</td>
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
