/** @jsxImportSource preact */
import { useEffect, useRef, useState } from 'preact/hooks';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { ShowReport } from '../../../src/client/index.ts';
import { client, useSession } from '../session.ts';
import { useLoad } from '../hooks.ts';
import { formatMoney, formatShowDate, formatTime, showTitle } from '../i18n.ts';
import { ErrorBox, TableScroll } from '../widgets.tsx';
import { StaffNav, saveBlob, wordsFor } from '../staff-nav.tsx';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const WORDS = {
  title: { en: 'Reports', th: 'รายงาน' },
  showReport: { en: 'Show report', th: 'รายงานรอบ' },
  show: { en: 'Show', th: 'รอบ' },
  noShows: { en: 'No shows yet.', th: 'ยังไม่มีรอบ' },
  zone: { en: 'Zone', th: 'โซน' },
  capacity: { en: 'Seats', th: 'ที่นั่ง' },
  sold: { en: 'Sold', th: 'ขายแล้ว' },
  reserved: { en: 'Awaiting payment', th: 'รอชำระ' },
  held: { en: 'Held', th: 'ถูกกัน' },
  blocked: { en: 'Blocked', th: 'ปิดขาย' },
  available: { en: 'Available', th: 'ว่าง' },
  revenue: { en: 'Revenue', th: 'รายได้' },
  total: { en: 'Total', th: 'รวม' },
  chartLabel: { en: 'Seats per zone and standing places: sold, awaiting payment, held, blocked and available', th: 'ที่นั่งแต่ละโซนและบัตรยืน: ขายแล้ว รอชำระ ถูกกัน ปิดขาย และว่าง' },
  standing: { en: 'Standing (general admission)', th: 'บัตรยืน (ไม่ระบุที่นั่ง)' },
  standingShort: { en: 'Standing', th: 'บัตรยืน' },
  standingSold: { en: '{adult} adult · {child} child', th: 'ผู้ใหญ่ {adult} · เด็ก {child}' },
  summary: { en: 'Sold {sold} of {capacity} · revenue {revenue}', th: 'ขายแล้ว {sold} จาก {capacity} · รายได้ {revenue}' },
  grandTotal: { en: 'Total, all methods', th: 'รวมทุกวิธี' },
  money: { en: 'Money', th: 'การเงิน' },
  method: { en: 'Method', th: 'วิธี' },
  count: { en: 'Count', th: 'จำนวน' },
  amount: { en: 'Amount', th: 'จำนวนเงิน' },
  taken: { en: 'Taken', th: 'รับเงิน' },
  refunds: { en: 'Refunds', th: 'คืนเงิน' },
  paid: { en: 'Paid', th: 'รับชำระ' },
  refunded: { en: 'Refunded', th: 'คืนเงินแล้ว' },
  net: { en: 'Net', th: 'สุทธิ' },
  refundDue: { en: 'Still to refund', th: 'ต้องคืนอีก' },
  checkedIn: { en: 'Checked in', th: 'เข้างานแล้ว' },
  checkedInOf: { en: '{n} of {total} tickets', th: '{n} จาก {total} ใบ' },
  orders: { en: 'Orders: {pending} awaiting payment, {paid} paid, {cancelled} cancelled', th: 'คำสั่งซื้อ: รอชำระ {pending} ชำระแล้ว {paid} ยกเลิก {cancelled}' },
  generated: { en: 'As of {time}', th: 'ข้อมูล ณ {time}' },
  refresh: { en: 'Refresh', th: 'รีเฟรช' },
  csv: { en: 'Download orders (CSV)', th: 'ดาวน์โหลดคำสั่งซื้อ (CSV)' },
  daySheet: { en: 'Day sheet (cash reconciliation)', th: 'สรุปประจำวัน (กระทบยอดเงินสด)' },
  date: { en: 'Date', th: 'วันที่' },
  staff: { en: 'Staff', th: 'พนักงาน' },
  payments: { en: 'Payments', th: 'รับชำระ' },
  drawer: { en: 'Drawer (net)', th: 'ยอดในลิ้นชัก (สุทธิ)' },
  noLines: { en: 'No payments or refunds on this day.', th: 'ไม่มีการรับชำระหรือคืนเงินในวันนี้' },
  print: { en: 'Print', th: 'พิมพ์' },
  referrers: { en: 'Referrers', th: 'ผู้แนะนำ' },
  from: { en: 'From', th: 'ตั้งแต่' },
  to: { en: 'To', th: 'ถึง' },
  code: { en: 'Code', th: 'รหัส' },
  name: { en: 'Name', th: 'ชื่อ' },
  tickets: { en: 'Tickets', th: 'ตั๋ว' },
  commission: { en: 'Commission', th: 'ค่าคอมมิชชัน' },
  noReferrers: { en: 'No referrer sold anything in this period.', th: 'ไม่มียอดขายผ่านผู้แนะนำในช่วงนี้' },
  badPeriod: { en: 'The end date is before the start date.', th: 'วันที่สิ้นสุดอยู่ก่อนวันที่เริ่มต้น' },
  cash: { en: 'Cash', th: 'เงินสด' },
  card: { en: 'Card', th: 'บัตร' },
  transfer: { en: 'Bank transfer', th: 'โอนเงิน' },
  promptpay: { en: 'PromptPay', th: 'พร้อมเพย์' },
} as const;

type W = ReturnType<typeof wordsFor<typeof WORDS>>;

/** Today (YYYY-MM-DD) in the venue's time zone (TZ_VENUE, from the server), by the server's clock: not the browser's day, nor UTC's. */
function venueToday(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(client.serverNow()));
}

/** #/reports (staff, admin): a show's numbers with a chart, the day sheet for the cash drawers, referrers, the CSV. */
export function ReportsPage() {
  const session = useSession();
  const w = wordsFor(WORDS, session.lang);
  const settings = useLoad((signal) => client.counterSettings({ signal }), []);
  const timeZone = settings.data?.timeZone;
  return (
    <section class="reports-page" aria-labelledby="reports-title">
      <StaffNav />
      <h1 id="reports-title" class="no-print">{w('title')}</h1>
      <div class="stack">
        <ShowReportCard w={w} />
        {settings.error !== undefined && <ErrorBox error={settings.error} onRetry={settings.reload} />}
        {timeZone ? (
          <>
            <DaySheetCard w={w} timeZone={timeZone} />
            <ReferrersCard w={w} timeZone={timeZone} />
          </>
        ) : (
          settings.error === undefined && <div class="skeleton" aria-busy="true" />
        )}
      </div>
    </section>
  );
}

function ShowReportCard({ w }: { w: W }) {
  const session = useSession();
  const { lang } = session;
  const shows = useLoad((signal) => client.listShows({ signal, includePast: true }), []);
  const [chosen, setChosen] = useState('');
  const showDate = chosen || shows.data?.[0]?.showDate || '';
  const report = useLoad((signal) => (showDate ? client.showReport(showDate, { signal }) : Promise.resolve(undefined)), [showDate]);
  const [csvBusy, setCsvBusy] = useState(false);
  const r = report.data;
  const money = (n: number) => formatMoney(lang, n, r?.currency ?? 'THB');
  // seats and standing places together: the footer and the summary (zone revenue + standing revenue = total)
  const all = {
    capacity: (r?.totals.capacity ?? 0) + (r?.standing?.capacity ?? 0),
    sold: (r?.totals.sold ?? 0) + (r?.standing ? r.standing.sold.adult + r.standing.sold.child : 0),
    reserved: (r?.totals.reserved ?? 0) + (r?.standing?.reserved ?? 0),
    held: (r?.totals.held ?? 0) + (r?.standing?.held ?? 0),
    blocked: r?.totals.blocked ?? 0,
    available: (r?.totals.available ?? 0) + (r?.standing?.available ?? 0),
    revenue: (r?.zones.reduce((n, z) => n + z.revenue, 0) ?? 0) + (r?.standing?.revenue ?? 0),
  };
  const methodWord = (m: string) => (m in WORDS ? w(m as keyof typeof WORDS) : m);

  return (
    <div class="card no-print" data-testid="show-report">
      <h2>{w('showReport')}</h2>
      {shows.error !== undefined && <ErrorBox error={shows.error} onRetry={shows.reload} />}
      {shows.data?.length === 0 && <p class="muted">{w('noShows')}</p>}
      <div class="field-row">
        <label>
          {w('show')}
          <select data-testid="report-show" value={showDate} onChange={(e) => setChosen(e.currentTarget.value)}>
            {shows.data?.map((s) => (
              <option key={s.showDate} value={s.showDate}>
                {formatShowDate(lang, s.showDate)} · {showTitle(lang, s, session.t)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={report.reload} disabled={report.loading || !showDate}>{w('refresh')}</button>
        <button
          type="button"
          data-testid="orders-csv"
          disabled={csvBusy || !showDate}
          onClick={async () => {
            setCsvBusy(true);
            try {
              saveBlob(await client.ordersCsv(showDate), `orders-${showDate}.csv`);
            } catch (err) {
              session.toastError(err);
            } finally {
              setCsvBusy(false);
            }
          }}
        >
          {w('csv')}
        </button>
      </div>
      {report.error !== undefined && <ErrorBox error={report.error} onRetry={report.reload} />}
      {!r && report.loading && <div class="skeleton skeleton-block" aria-busy="true" />}
      {r && (
        <>
          <p class="muted">{w('generated', { time: formatTime(lang, r.generatedAt) })} · {w('orders', r.orders)}</p>
          <ZoneChart report={r} w={w} />
          <p class="report-summary" data-testid="report-summary">
            <strong>{w('summary', { sold: all.sold, capacity: all.capacity, revenue: money(all.revenue) })}</strong>
          </p>
          <TableScroll label={w('showReport')}>
            <table class="data-table stack-narrow" data-testid="zone-table">
              <thead>
                <tr>
                  <th>{w('zone')}</th>
                  <th class="num">{w('capacity')}</th>
                  <th class="num">{w('sold')}</th>
                  <th class="num">{w('reserved')}</th>
                  <th class="num">{w('held')}</th>
                  <th class="num">{w('blocked')}</th>
                  <th class="num">{w('available')}</th>
                  <th class="num">{w('revenue')}</th>
                </tr>
              </thead>
              <tbody>
                {r.zones.map((z) => (
                  <tr key={z.zoneId} data-zone-id={z.zoneId}>
                    <th scope="row" class="row-head">{z.name}</th>
                    <Cells w={w} row={{ ...z, revenue: money(z.revenue) }} />
                  </tr>
                ))}
                {r.standing && (
                  <tr data-testid="standing-row">
                    <th scope="row" class="row-head">{w('standing')}</th>
                    <Cells
                      w={w}
                      row={{
                        capacity: r.standing.capacity,
                        sold: r.standing.sold.adult + r.standing.sold.child,
                        soldNote: w('standingSold', r.standing.sold),
                        reserved: r.standing.reserved,
                        held: r.standing.held,
                        blocked: 0,
                        available: r.standing.available,
                        revenue: money(r.standing.revenue),
                      }}
                    />
                  </tr>
                )}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" class="row-head">{w('total')}</th>
                  <Cells w={w} row={{ ...all, revenue: money(all.revenue) }} testid="total" />
                </tr>
              </tfoot>
            </table>
          </TableScroll>
          <h3>{w('money')}</h3>
          <div class="report-money">
            <table class="data-table" data-testid="money-table">
              <thead>
                <tr><th>{w('method')}</th><th class="num">{w('taken')}</th><th class="num">{w('refunds')}</th></tr>
              </thead>
              <tbody>
                {[...new Set([...r.payments.map((p) => p.method), ...r.refunds.map((p) => p.method)])].map((m) => (
                  <tr key={m}>
                    <td>{methodWord(m)}</td>
                    <td class="num">{money(r.payments.find((p) => p.method === m)?.amount ?? 0)}</td>
                    <td class="num">{money(r.refunds.find((p) => p.method === m)?.amount ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <dl class="facts">
              <dt>{w('paid')}</dt>
              <dd>{money(r.revenue.paid)}</dd>
              <dt>{w('refunded')}</dt>
              <dd data-testid="report-refunded">{money(r.revenue.refunded)}</dd>
              <dt>{w('net')}</dt>
              <dd><strong>{money(r.revenue.net)}</strong></dd>
              <dt>{w('refundDue')}</dt>
              <dd>{money(r.revenue.refundDue)}</dd>
              <dt>{w('checkedIn')}</dt>
              <dd data-testid="report-checked-in">{w('checkedInOf', { n: r.checkedIn.admitted, total: r.checkedIn.tickets })}</dd>
            </dl>
          </div>
        </>
      )}
    </div>
  );
}

/** The number cells of a report row, each labelled for the stacked layout on phones (styles.css .stack-narrow). */
function Cells({ w, row, testid }: { w: W; row: { capacity: number; sold: number; soldNote?: string; reserved: number; held: number; blocked: number; available: number; revenue: string }; testid?: string }) {
  return (
    <>
      <td class="num" data-label={w('capacity')}>{row.capacity}</td>
      <td class="num" data-label={w('sold')} data-testid={testid && `${testid}-sold`}>
        <span>
          {row.sold}
          {row.soldNote && <span class="muted small-print"> ({row.soldNote})</span>}
        </span>
      </td>
      <td class="num" data-label={w('reserved')}>{row.reserved}</td>
      <td class="num" data-label={w('held')}>{row.held}</td>
      <td class="num" data-label={w('blocked')}>{row.blocked}</td>
      <td class="num" data-label={w('available')}>{row.available}</td>
      <td class="num" data-label={w('revenue')} data-testid={testid && `${testid}-revenue`}>{row.revenue}</td>
    </>
  );
}

/**
 * Stacked bars per zone and for the standing area (chart.js); the table below carries the same numbers for screen
 * readers. Colours (Okabe–Ito, told apart with colour-blindness too, each ≥ 3:1 against white except "available",
 * which is the pale background of the stack): sold dark blue, awaiting payment sky blue, held orange, blocked
 * near-black, available pale green.
 */
function ZoneChart({ report, w }: { report: ShowReport; w: W }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const series: [keyof typeof WORDS & ('sold' | 'reserved' | 'held' | 'blocked' | 'available'), string][] = [
      ['sold', '#0b4f8a'],
      ['reserved', '#56b4e9'],
      ['held', '#e69f00'],
      ['blocked', '#1f2328'],
      ['available', '#c7ead4'],
    ];
    const st = report.standing;
    const bars = [
      ...report.zones.map((z) => ({ label: z.name, sold: z.sold, reserved: z.reserved, held: z.held, blocked: z.blocked, available: z.available })),
      ...(st ? [{ label: w('standingShort'), sold: st.sold.adult + st.sold.child, reserved: st.reserved, held: st.held, blocked: 0, available: st.available }] : []),
    ];
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: bars.map((b) => b.label),
        datasets: series.map(([key, colour]) => ({ label: w(key), data: bars.map((b) => b[key]), backgroundColor: colour, borderColor: '#1f2328', borderWidth: key === 'available' ? 1 : 0 })),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        responsive: true,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
        plugins: { legend: { position: 'bottom' } },
      },
    });
    return () => chart.destroy();
  }, [report, w('sold')]);
  return (
    <div class="chart-box">
      <canvas ref={canvas} role="img" aria-label={w('chartLabel')} data-testid="zone-chart" />
    </div>
  );
}

function DaySheetCard({ w, timeZone }: { w: W; timeZone: string }) {
  const { lang } = useSession();
  const [date, setDate] = useState(() => venueToday(timeZone));
  const sheet = useLoad((signal) => (/^\d{4}-\d{2}-\d{2}$/.test(date) ? client.daySheet(date, undefined, { signal }) : Promise.resolve(undefined)), [date]);
  const s = sheet.data;
  const money = (n: number) => formatMoney(lang, n, s?.currency ?? 'THB');
  const methodWord = (m: string) => (m in WORDS ? w(m as keyof typeof WORDS) : m);
  return (
    <div class="card printable-sheet" data-testid="day-sheet">
      <h2>{w('daySheet')}</h2>
      <div class="field-row no-print">
        <label>
          {w('date')}
          <input type="date" data-testid="day-sheet-date" value={date} required onInput={(e) => setDate(e.currentTarget.value)} />
        </label>
        <button type="button" onClick={() => window.print()} disabled={!s}>{w('print')}</button>
      </div>
      <p class="print-only-heading">{w('date')}: {/^\d{4}-\d{2}-\d{2}$/.test(date) ? formatShowDate(lang, date) : date}</p>
      {sheet.error !== undefined && <ErrorBox error={sheet.error} onRetry={sheet.reload} />}
      {s && s.lines.length === 0 && <p class="muted">{w('noLines')}</p>}
      {s && s.lines.length > 0 && (
        <TableScroll label={w('daySheet')}>
          <table class="data-table stack-narrow" data-testid="day-sheet-table">
            <thead>
              <tr>
                <th>{w('staff')}</th>
                <th>{w('method')}</th>
                <th class="num">{w('payments')}</th>
                <th class="num">{w('refunds')}</th>
                <th class="num">{w('drawer')}</th>
              </tr>
            </thead>
            <tbody>
              {s.lines.map((l) => (
                <tr key={`${l.staffId}-${l.method}`} data-staff-id={l.staffId} data-method={l.method}>
                  <th scope="row" class="row-head">{l.staffName} <span class="muted">{l.staffEmail}</span></th>
                  <td data-label={w('method')}>{methodWord(l.method)}</td>
                  <td class="num" data-label={w('payments')}>{money(l.paymentsAmount)} ({l.paymentsCount})</td>
                  <td class="num" data-label={w('refunds')}>{money(l.refundsAmount)} ({l.refundsCount})</td>
                  <td class="num" data-label={w('drawer')}><strong>{money(l.net)}</strong></td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              {s.totals.map((t) => (
                <tr key={t.method}>
                  <th scope="row" colSpan={4} class="row-head">{w('total')} · {methodWord(t.method)}</th>
                  <td class="num" data-label={w('drawer')}>{money(t.amount)}</td>
                </tr>
              ))}
              <tr class="grand-total">
                <th scope="row" colSpan={4} class="row-head">{w('grandTotal')}</th>
                <td class="num" data-label={w('drawer')} data-testid="day-sheet-grand-total">{money(s.totals.reduce((n, t) => n + t.amount, 0))}</td>
              </tr>
            </tfoot>
          </table>
        </TableScroll>
      )}
    </div>
  );
}

function ReferrersCard({ w, timeZone }: { w: W; timeZone: string }) {
  const { lang } = useSession();
  const today = venueToday(timeZone);
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const rep = useLoad((signal) => (valid ? client.referrerReport(from, to, { signal }) : Promise.resolve(undefined)), [from, to]);
  const money = (n: number) => formatMoney(lang, n, rep.data?.currency ?? 'THB');
  const items = rep.data?.items.filter((i) => i.tickets > 0 || i.commission > 0) ?? [];
  return (
    <div class="card no-print" data-testid="referrer-report">
      <h2>{w('referrers')}</h2>
      <div class="field-row">
        <label>
          {w('from')}
          <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          {w('to')}
          <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
      </div>
      {!valid && from > to && <p class="field-error" role="alert">{w('badPeriod')}</p>}
      {rep.error !== undefined && <ErrorBox error={rep.error} onRetry={rep.reload} />}
      {rep.data && items.length === 0 && <p class="muted">{w('noReferrers')}</p>}
      {items.length > 0 && (
        <TableScroll label={w('referrers')}>
          <table class="data-table">
            <thead>
              <tr><th>{w('code')}</th><th>{w('name')}</th><th class="num">{w('tickets')}</th><th class="num">{w('revenue')}</th><th class="num">{w('commission')}</th></tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.code}>
                  <td>{i.code}</td>
                  <td>{i.name}</td>
                  <td class="num">{i.tickets}</td>
                  <td class="num">{money(i.revenue)}</td>
                  <td class="num">{money(i.commission)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
