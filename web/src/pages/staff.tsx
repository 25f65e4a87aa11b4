/** @jsxImportSource preact */
import { useEffect, useRef, useState } from 'preact/hooks';
import { BoxofficeError, type Order, type OrderStatus } from '../../../src/client/index.ts';
import type { PaymentBody, RefundBody } from '../../../src/contract/index.ts';
import { client, socket, useSession } from '../session.ts';
import { useLoad, useTick } from '../hooks.ts';
import { formatCountdown, formatMoney, formatShowDate, formatStanding, formatTime, showTitle } from '../i18n.ts';
import { href, navigate } from '../router.ts';
import { ErrorBox, StatusBadge, TableScroll } from '../widgets.tsx';
import { Receipt } from '../receipt.tsx';
import { StaffNav, saveBlob, wordsFor } from '../staff-nav.tsx';
import { CancelButton, OrderDetails } from './order.tsx';

const WORDS = {
  title: { en: 'Orders', th: 'คำสั่งซื้อ' },
  search: { en: 'Find an order', th: 'ค้นหาคำสั่งซื้อ' },
  query: { en: 'Order code (4+ characters), name, phone or email', th: 'รหัสคำสั่งซื้อ (4 ตัวขึ้นไป) ชื่อ เบอร์โทร หรืออีเมล' },
  seat: { en: 'Seat', th: 'ที่นั่ง' },
  show: { en: 'Show', th: 'รอบ' },
  anyShow: { en: 'Any show', th: 'ทุกรอบ' },
  find: { en: 'Search', th: 'ค้นหา' },
  seatNeedsShow: { en: 'Pick the show of the seat.', th: 'โปรดเลือกรอบของที่นั่ง' },
  needQuery: { en: 'Type a code, name, phone or email, or a seat with its show.', th: 'พิมพ์รหัส ชื่อ เบอร์โทร หรืออีเมล หรือระบุที่นั่งพร้อมรอบ' },
  results: { en: '{n} found', th: 'พบ {n} รายการ' },
  noResults: { en: 'No order matches.', th: 'ไม่พบคำสั่งซื้อที่ตรงกัน' },
  perShow: { en: 'Orders of a show', th: 'คำสั่งซื้อของรอบ' },
  PENDING: { en: 'Awaiting payment', th: 'รอชำระ' },
  PAID: { en: 'Paid', th: 'ชำระแล้ว' },
  none: { en: 'No orders here.', th: 'ไม่มีคำสั่งซื้อ' },
  left: { en: '{t} left', th: 'เหลือ {t}' },
  expired: { en: 'time is up', th: 'หมดเวลา' },
  channel: { en: 'Channel', th: 'ช่องทาง' },
  ONLINE: { en: 'Online', th: 'ออนไลน์' },
  BOX_OFFICE: { en: 'Box office', th: 'หน้าเคาน์เตอร์' },
  referrer: { en: 'Referrer', th: 'ผู้แนะนำ' },
  email: { en: 'Email', th: 'อีเมล' },
  money: { en: 'Paid {paid} · refunded {refunded} · still to refund {due}', th: 'ชำระ {paid} · คืนแล้ว {refunded} · ต้องคืนอีก {due}' },
  partialCancel: { en: 'Cancel some seats or standing places', th: 'ยกเลิกบางที่นั่งหรือบัตรยืน' },
  partialHint: { en: 'Tick the seats and enter the standing places to cancel; the rest of the order stays.', th: 'เลือกที่นั่งและใส่จำนวนบัตรยืนที่จะยกเลิก รายการอื่นยังอยู่ในคำสั่งซื้อ' },
  cancelItems: { en: 'Cancel {n} ticket(s)…', th: 'ยกเลิก {n} ใบ…' },
  cancelNothing: { en: 'Tick what to cancel', th: 'เลือกรายการที่จะยกเลิก' },
  confirmItems: { en: 'Cancel {items} of order {code}?', th: 'ยกเลิก {items} ของคำสั่งซื้อ {code}?' },
  confirmItemsDue: { en: '{amount} becomes refund due (record the refund below).', th: 'ยอด {amount} จะเป็นเงินที่ต้องคืน (บันทึกการคืนเงินด้านล่าง)' },
  confirmItemsFree: { en: 'The order is not paid: nothing to refund.', th: 'คำสั่งซื้อนี้ยังไม่ชำระ ไม่ต้องคืนเงิน' },
  confirmCancelItems: { en: 'Yes, cancel them', th: 'ยืนยันการยกเลิก' },
  keepItems: { en: 'Keep them', th: 'ไม่ยกเลิก' },
  overDue: { en: 'This is {extra} more than is due ({due} due on this order). Refund {amount} anyway?', th: 'ยอดนี้มากกว่าที่ต้องคืน {extra} (ต้องคืน {due}) ยืนยันคืนเงิน {amount}?' },
  refundAnyway: { en: 'Yes, refund {amount}', th: 'ยืนยันคืนเงิน {amount}' },
  changeAmount: { en: 'Change the amount', th: 'แก้จำนวนเงิน' },
  cancelStanding: { en: 'Standing, {type}: places to cancel (of {n})', th: 'บัตรยืน{type}: จำนวนที่จะยกเลิก (จาก {n})' },
  itemsCancelled: { en: 'Cancelled: {items}.', th: 'ยกเลิกแล้ว: {items}' },
  cancelReason: { en: 'Reason', th: 'เหตุผล' },
  refundTitle: { en: 'Record a refund', th: 'บันทึกการคืนเงิน' },
  amount: { en: 'Amount', th: 'จำนวนเงิน' },
  method: { en: 'Method', th: 'วิธี' },
  reference: { en: 'Reference (optional)', th: 'เลขอ้างอิง (ไม่บังคับ)' },
  ref: { en: 'Reference', th: 'เลขอ้างอิง' },
  reason: { en: 'Reason', th: 'เหตุผล' },
  refund: { en: 'Refund', th: 'คืนเงิน' },
  refunded: { en: 'Refund of {amount} recorded.', th: 'บันทึกการคืนเงิน {amount} แล้ว' },
  refundSent: { en: 'Refund of {amount} sent to the payment provider; it is pending until the provider confirms.', th: 'ส่งคำขอคืนเงิน {amount} ไปยังผู้ให้บริการชำระเงินแล้ว รอผู้ให้บริการยืนยัน' },
  refundRefused: { en: 'The payment provider refused the refund of {amount}. Refund it another way.', th: 'ผู้ให้บริการชำระเงินปฏิเสธการคืนเงิน {amount} โปรดคืนเงินด้วยวิธีอื่น' },
  refundRef: { en: 'Reference', th: 'เลขอ้างอิง' },
  wrongMethod: { en: 'No money of this order came by {method} (it was paid by {paidWith}): refund in cash or by transfer.', th: 'คำสั่งซื้อนี้ไม่ได้ชำระด้วย{method} (ชำระด้วย {paidWith}) โปรดคืนเป็นเงินสดหรือโอนเงิน' },
  exceeds: { en: 'At most {amount} can still be refunded on this order (paid {paid}, refunded {refunded}).', th: 'คืนเงินได้อีกไม่เกิน {amount} (ชำระ {paid} คืนแล้ว {refunded})' },
  payments: { en: 'Payments', th: 'การชำระเงิน' },
  refunds: { en: 'Refunds', th: 'การคืนเงิน' },
  noPayments: { en: 'No payments.', th: 'ไม่มีการชำระเงิน' },
  noRefunds: { en: 'No refunds.', th: 'ไม่มีการคืนเงิน' },
  when: { en: 'When', th: 'เมื่อ' },
  status: { en: 'Status', th: 'สถานะ' },
  cash: { en: 'Cash', th: 'เงินสด' },
  card: { en: 'Card', th: 'บัตร' },
  transfer: { en: 'Bank transfer', th: 'โอนเงิน' },
  promptpay: { en: 'PromptPay', th: 'พร้อมเพย์' },
  recordPayment: { en: 'Record payment', th: 'บันทึกการชำระเงิน' },
  paymentRecorded: { en: 'Payment recorded.', th: 'บันทึกการชำระเงินแล้ว' },
  printReceipt: { en: 'Print receipt', th: 'พิมพ์ใบเสร็จ' },
  ticketsPdf: { en: 'Tickets (PDF)', th: 'ตั๋ว (PDF)' },
  pickOrder: { en: 'Pick an order from a list or search for one.', th: 'เลือกคำสั่งซื้อจากรายการหรือค้นหา' },
  cancelledSeats: { en: 'Cancelled seats', th: 'ที่นั่งที่ยกเลิก' },
  cancelledStanding: { en: 'Cancelled standing places', th: 'บัตรยืนที่ยกเลิก' },
  SUCCEEDED: { en: 'received', th: 'ได้รับแล้ว' },
  FAILED: { en: 'failed', th: 'ล้มเหลว' },
  EXPIRED: { en: 'expired', th: 'หมดอายุ' },
  REFUND_DUE: { en: 'to refund', th: 'ต้องคืนเงิน' },
  REFUNDED: { en: 'refunded', th: 'คืนเงินแล้ว' },
  DONE: { en: 'done', th: 'เสร็จแล้ว' },
  PENDING_REFUND: { en: 'pending: waiting for the provider', th: 'รอดำเนินการ: รอผู้ให้บริการยืนยัน' },
  REFUND_FAILED: { en: 'failed: refund again another way', th: 'ล้มเหลว: คืนเงินอีกครั้งด้วยวิธีอื่น' },
  PENDING_PAYMENT: { en: 'waiting', th: 'รอ' },
} as const;

type W = ReturnType<typeof wordsFor<typeof WORDS>>;
type Method = PaymentBody['method'];
const METHODS: Method[] = ['cash', 'card', 'transfer', 'promptpay'];

/**
 * #/staff/:orderId? (staff, admin): one search box (code prefix, name, phone, email; or a seat of a show), the
 * pending and paid orders of a show with the time left to pay, and the order: payment, partial cancel, refund,
 * its payments and refunds, receipt and tickets.
 */
export function StaffPage({ initialOrderId }: { initialOrderId?: string }) {
  const session = useSession();
  const w = wordsFor(WORDS, session.lang);
  const shows = useLoad((signal) => client.listShows({ signal, includePast: true }), []);
  const [order, setOrder] = useState<Order | undefined>(undefined);
  const [orderError, setOrderError] = useState<unknown>(undefined);
  const [listVersion, setListVersion] = useState(0);

  const open = async (id: string) => {
    setOrderError(undefined);
    try {
      setOrder(await client.getOrder(id));
    } catch (err) {
      setOrder(undefined);
      setOrderError(err);
    }
  };

  useEffect(() => {
    if (initialOrderId) void open(initialOrderId);
    else setOrder(undefined);
  }, [initialOrderId]);

  // Staff sockets get every order's status changes: keep the lists and the open order current.
  useEffect(() => {
    const onStatus = (e: { orderId: string }) => {
      setListVersion((v) => v + 1);
      setOrder((o) => {
        if (o && o.id === e.orderId) void client.getOrder(o.id).then(setOrder, () => undefined);
        return o;
      });
    };
    socket.on('order-status-changed', onStatus);
    socket.on('payment-status-changed', onStatus);
    return () => {
      socket.off('order-status-changed', onStatus);
      socket.off('payment-status-changed', onStatus);
    };
  }, []);

  const changed = (o: Order) => {
    setOrder(o);
    setListVersion((v) => v + 1);
  };
  const showList = shows.data ?? [];

  return (
    <section class="staff-page" aria-labelledby="staff-title">
      <StaffNav />
      <h1 id="staff-title" class="no-print">{w('title')}</h1>
      <div class="staff-layout">
        <div class="stack no-print">
          <SearchCard shows={showList} w={w} version={listVersion} current={order?.id} />
          <ShowOrders shows={showList} w={w} version={listVersion} current={order?.id} />
        </div>
        <div class="card staff-order-card">
          {orderError !== undefined && <ErrorBox error={orderError} onRetry={() => initialOrderId && void open(initialOrderId)} />}
          {!order && orderError === undefined && <p class="muted">{w('pickOrder')}</p>}
          {order && <StaffOrder key={order.id} order={order} w={w} onChanged={changed} />}
        </div>
      </div>
    </section>
  );
}

type ShowOption = { showDate: string; title: string; titles?: { en?: string; th?: string } };

function ShowSelect({ shows, value, onChange, any, w, testid }: { shows: ShowOption[]; value: string; onChange(v: string): void; any?: boolean; w: W; testid: string }) {
  const { lang, t } = useSession();
  return (
    <select data-testid={testid} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
      {any && <option value="">{w('anyShow')}</option>}
      {shows.map((s) => (
        <option key={s.showDate} value={s.showDate}>
          {formatShowDate(lang, s.showDate)} · {showTitle(lang, s, t)}
        </option>
      ))}
    </select>
  );
}

function SearchCard({ shows, w, version, current }: { shows: ShowOption[]; w: W; version: number; current?: string }) {
  const [q, setQ] = useState('');
  const [seat, setSeat] = useState('');
  const [showDate, setShowDate] = useState('');
  const [asked, setAsked] = useState<{ q?: string; seatId?: string; showDate?: string } | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const results = useLoad(
    (signal) => (asked ? client.listOrders({ ...asked, limit: 50 }, { signal }) : Promise.resolve(undefined)),
    [JSON.stringify(asked), version],
  );
  return (
    <div class="card">
      <h2>{w('search')}</h2>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const text = q.trim();
          const seatId = seat.trim();
          if (seatId && !showDate) return setProblem(w('seatNeedsShow'));
          if (!text && !seatId) return setProblem(w('needQuery'));
          setProblem(undefined);
          // a full order number (from a mail or a link) opens the order itself
          if (!seatId && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) return navigate('staff', text.toLowerCase());
          setAsked({ q: text || undefined, seatId: seatId || undefined, showDate: showDate || undefined });
        }}
      >
        <label>
          {w('query')}
          <input type="search" data-testid="order-search" value={q} maxLength={100} spellcheck={false} autoComplete="off" onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <div class="field-row">
          <label>
            {w('show')}
            <ShowSelect shows={shows} value={showDate} onChange={setShowDate} any w={w} testid="search-show" />
          </label>
          <label style="flex: 0 1 7rem">
            {w('seat')}
            <input data-testid="search-seat" value={seat} maxLength={16} pattern="[A-Za-z0-9_\-]+" onInput={(e) => setSeat(e.currentTarget.value)} />
          </label>
          <button class="primary" type="submit" data-testid="search-submit">{w('find')}</button>
        </div>
        {problem && <p class="field-error" role="alert">{problem}</p>}
      </form>
      {results.error !== undefined && <ErrorBox error={results.error} onRetry={results.reload} />}
      {results.data && (
        <>
          <p class="muted" aria-live="polite">{results.data.items.length === 0 ? w('noResults') : w('results', { n: results.data.total })}</p>
          <OrderRows orders={results.data.items} w={w} current={current} testid="search-result" />
        </>
      )}
    </div>
  );
}

function ShowOrders({ shows, w, version, current }: { shows: ShowOption[]; w: W; version: number; current?: string }) {
  const [showDate, setShowDate] = useState('');
  const [status, setStatus] = useState<OrderStatus>('PENDING');
  const chosen = showDate || shows[0]?.showDate || '';
  const list = useLoad(
    (signal) => (chosen ? client.listOrders({ showDate: chosen, status, limit: 50 }, { signal }) : Promise.resolve(undefined)),
    [chosen, status, version],
  );
  return (
    <div class="card">
      <h2>{w('perShow')}</h2>
      <div class="field-row">
        <label>
          {w('show')}
          <ShowSelect shows={shows} value={chosen} onChange={setShowDate} w={w} testid="list-show" />
        </label>
      </div>
      <div class="method-choice" role="radiogroup" aria-label={w('status')}>
        {(['PENDING', 'PAID'] as const).map((s) => (
          <label key={s} class={`method-option${status === s ? ' chosen' : ''}`}>
            <input type="radio" name="list-status" checked={status === s} data-testid={`list-${s}`} onChange={() => setStatus(s)} />
            {w(s)}
          </label>
        ))}
      </div>
      {list.error !== undefined && <ErrorBox error={list.error} onRetry={list.reload} />}
      {list.data && list.data.items.length === 0 && <p class="muted">{w('none')}</p>}
      {list.data && <OrderRows orders={list.data.items} w={w} current={current} testid="show-order" />}
    </div>
  );
}

/** Orders as rows that open the order; PENDING ones count down their time left to pay. */
function OrderRows({ orders, w, current, testid }: { orders: Order[]; w: W; current?: string; testid: string }) {
  const { lang, t } = useSession();
  const now = useTick(1000, orders.some((o) => o.status === 'PENDING'));
  return (
    <ul class="pending-list">
      {orders.map((o) => {
        const left = Date.parse(o.expiresAt) - now;
        return (
          <li key={o.id}>
            <a
              class={`list-button order-row-link${o.id === current ? ' current' : ''}`}
              href={href('staff', o.id)}
              data-testid={testid}
              data-order-id={o.id}
              data-code={o.code}
              aria-current={o.id === current ? 'true' : undefined}
            >
              <strong>{o.code}</strong>
              <span>{o.customerName ?? o.customerPhone ?? o.customerEmail ?? '—'}</span>
              <span>{[o.seats.map((s) => s.seatId).join(', '), formatStanding(t, o.standing)].filter(Boolean).join(' · ') || '—'}</span>
              <span>{formatMoney(lang, o.total, o.currency)}</span>
              {o.status === 'PENDING' ? (
                <span class={left < 60_000 ? 'countdown-warn' : ''} role="timer">{left > 0 ? w('left', { t: formatCountdown(left) }) : w('expired')}</span>
              ) : (
                <StatusBadge status={o.status} />
              )}
            </a>
          </li>
        );
      })}
    </ul>
  );
}

/** One order for staff: facts, payment (PENDING), partial and whole cancel, refund, history, receipt and tickets. */
function StaffOrder({ order, w, onChanged }: { order: Order; w: W; onChanged(o: Order): void }) {
  const session = useSession();
  const { lang } = session;
  const money = (n: number) => formatMoney(lang, n, order.currency);
  const [pdfBusy, setPdfBusy] = useState(false);
  return (
    <div class="staff-order" data-testid="staff-order" data-order-id={order.id}>
      <div class="no-print">
        <OrderDetails order={order} forStaff />
        <dl class="facts">
          <dt>{w('channel')}</dt>
          <dd>{w(order.channel)}</dd>
          {order.referrerCode && (
            <>
              <dt>{w('referrer')}</dt>
              <dd>{order.referrerCode}</dd>
            </>
          )}
          {order.customerEmail && (
            <>
              <dt>{w('email')}</dt>
              <dd>{order.customerEmail}</dd>
            </>
          )}
          {order.cancelledItems.length > 0 && (
            <>
              <dt>{w('cancelledSeats')}</dt>
              <dd data-testid="cancelled-seats">{order.cancelledItems.map((c) => c.seatId).join(', ')}</dd>
            </>
          )}
          {order.cancelledStanding.length > 0 && (
            <>
              <dt>{w('cancelledStanding')}</dt>
              <dd data-testid="cancelled-standing">{formatStanding(session.t, order.cancelledStanding)}</dd>
            </>
          )}
        </dl>
        <p data-testid="order-money">
          {w('money', { paid: money(order.amountPaid), refunded: money(order.amountRefunded), due: money(order.refundDueAmount) })}
        </p>
        {order.status === 'PAID' && (
          <div class="sale-done-actions">
            <button type="button" data-testid="print-receipt" onClick={() => window.print()}>{w('printReceipt')}</button>
            <button
              type="button"
              data-testid="tickets-pdf"
              disabled={pdfBusy}
              onClick={async () => {
                setPdfBusy(true);
                try {
                  saveBlob(await client.ticketsPdf(order.id), `tickets-${order.code}.pdf`);
                } catch (err) {
                  session.toastError(err);
                } finally {
                  setPdfBusy(false);
                }
              }}
            >
              {w('ticketsPdf')}
            </button>
          </div>
        )}
        {order.status === 'PENDING' && <PaymentForm order={order} w={w} onPaid={onChanged} />}
        {order.status !== 'CANCELLED' && order.seats.length + order.standing.reduce((sum, l) => sum + l.quantity, 0) > 1 && (
          <PartialCancel order={order} w={w} onChanged={onChanged} />
        )}
        {order.status !== 'CANCELLED' && (
          <CancelButton
            orderId={order.id}
            reason="Cancelled at the box office"
            askReason
            onCancelled={(o) => {
              onChanged(o);
              session.toast(session.t('orderCancelled'), 'success');
            }}
          />
        )}
        {order.amountPaid > order.amountRefunded && <RefundForm order={order} w={w} onRefunded={onChanged} />}
        <History order={order} w={w} />
      </div>
      {order.status === 'PAID' && (
        <div class="print-only-receipt">
          <Receipt order={order} staffName={order.soldByName ?? session.user.name} />
        </div>
      )}
    </div>
  );
}

/** Staff take some seats and/or standing places out of an order (partial cancel); the rest stays. */
function PartialCancel({ order, w, onChanged }: { order: Order; w: W; onChanged(o: Order): void }) {
  const session = useSession();
  const [chosen, setChosen] = useState<string[]>([]);
  const [places, setPlaces] = useState({ adult: 0, child: 0 });
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const confirmYes = useRef<HTMLButtonElement>(null);
  useEffect(() => void (confirming && confirmYes.current?.focus()), [confirming]);
  const [error, setError] = useState<unknown>(undefined);
  const money = (n: number) => formatMoney(session.lang, n, order.currency);
  const has = (type: 'adult' | 'child') => order.standing.filter((l) => l.type === type).reduce((sum, l) => sum + l.quantity, 0);
  const inOrder = order.seats.length + has('adult') + has('child');
  const picked = chosen.length + places.adult + places.child;
  const standingWord = (type: 'adult' | 'child') => session.t(type === 'adult' ? 'standingAdultLabel' : 'standingChildLabel');
  const what = [chosen.join(', '), formatStanding(session.t, (['adult', 'child'] as const).filter((t) => places[t] > 0).map((type) => ({ type, quantity: places[type] })))]
    .filter(Boolean)
    .join(' · ');
  // the price of what is ticked: the seats' own, the standing places' from the order's lines of that type (cheapest
  // first where one type has several prices, as an estimate; the order page shows the exact refund due after)
  const standingPrice = (type: 'adult' | 'child', n: number) =>
    order.standing
      .filter((l) => l.type === type)
      .sort((a, b) => a.price - b.price)
      .flatMap((l) => Array.from({ length: l.quantity }, () => l.price))
      .slice(0, n)
      .reduce((a, b) => a + b, 0);
  const due = order.seats.filter((s) => chosen.includes(s.seatId)).reduce((sum, s) => sum + s.price, 0) + standingPrice('adult', places.adult) + standingPrice('child', places.child);
  return (
    <form
      class="partial-cancel"
      data-testid="partial-cancel"
      onSubmit={async (e) => {
        e.preventDefault();
        if (picked === 0) return;
        // first the confirm step: what goes, and the refund it makes due
        if (!confirming) return setConfirming(true);
        setBusy(true);
        setError(undefined);
        const standing = places.adult + places.child > 0 ? { standing: { ...places } } : {};
        try {
          const o = await client.cancelOrder(order.id, { ...(chosen.length ? { seatIds: chosen } : {}), ...standing, ...(reason.trim() ? { reason: reason.trim() } : {}) });
          session.toast(w('itemsCancelled', { items: what }), 'success');
          setConfirming(false);
          setChosen([]);
          setPlaces({ adult: 0, child: 0 });
          setReason('');
          onChanged(o);
        } catch (err) {
          setError(err);
          setConfirming(false);
        } finally {
          setBusy(false);
        }
      }}
    >
      <fieldset disabled={busy}>
        <legend>{w('partialCancel')}</legend>
        <p class="muted small-print">{w('partialHint')}</p>
        {order.seats.length > 0 && (
          <div class="seat-checks">
            {order.seats.map((s) => (
              <label key={s.seatId} class="inline-check">
                <input
                  type="checkbox"
                  data-testid="cancel-seat"
                  value={s.seatId}
                  checked={chosen.includes(s.seatId)}
                  onChange={(e) => {
                    setConfirming(false);
                    setChosen(e.currentTarget.checked ? [...chosen, s.seatId] : chosen.filter((x) => x !== s.seatId));
                  }}
                />
                {s.seatId} <span class="muted">{money(s.price)}</span>
              </label>
            ))}
          </div>
        )}
        {(['adult', 'child'] as const).filter((type) => has(type) > 0).map((type) => (
          <label key={type} class="cancel-standing">
            {w('cancelStanding', { type: standingWord(type), n: has(type) })}
            <input
              type="number"
              inputMode="numeric"
              min={0}
              max={has(type)}
              step={1}
              data-testid={`cancel-standing-${type}`}
              value={places[type]}
              onInput={(e) => {
                const n = Math.max(0, Math.min(has(type), Math.floor(Number(e.currentTarget.value) || 0)));
                setConfirming(false);
                setPlaces({ ...places, [type]: n });
              }}
            />
          </label>
        ))}
        <label>
          {w('cancelReason')}
          <input data-testid="cancel-seats-reason" value={reason} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        {error !== undefined && <ErrorBox error={error} />}
        {confirming ? (
          <div class="confirm" role="alertdialog" aria-labelledby={`confirm-items-${order.id}`} data-testid="cancel-items-confirm">
            <p id={`confirm-items-${order.id}`}>
              <strong>{w('confirmItems', { items: what, code: order.code })}</strong>{' '}
              {order.status === 'PAID' ? w('confirmItemsDue', { amount: money(due) }) : w('confirmItemsFree')}
              {reason.trim() && <> ({w('cancelReason')}: {reason.trim()})</>}
            </p>
            <button type="submit" class="danger" data-testid="cancel-items-confirm-yes" ref={confirmYes}>{w('confirmCancelItems')}</button>
            <button type="button" class="secondary" data-testid="cancel-items-confirm-no" onClick={() => setConfirming(false)}>{w('keepItems')}</button>
          </div>
        ) : (
          <button type="submit" class="danger" data-testid="cancel-seats" disabled={picked === 0 || picked === inOrder}>
            {picked === 0 ? w('cancelNothing') : w('cancelItems', { n: picked })}
          </button>
        )}
      </fieldset>
    </form>
  );
}

function RefundForm({ order, w, onRefunded }: { order: Order; w: W; onRefunded(o: Order): void }) {
  const session = useSession();
  const money = (n: number) => formatMoney(session.lang, n, order.currency);
  const paidBy = order.payments.find((p) => p.status === 'SUCCEEDED')?.method ?? 'cash';
  const [amount, setAmount] = useState(String(order.refundDueAmount > 0 ? order.refundDueAmount : ''));
  const [method, setMethod] = useState<Method>(paidBy);
  const [reference, setReference] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  // an amount over the refund due (but perhaps within what was paid) is asked about once before it is sent
  const [overDue, setOverDue] = useState(false);
  const overDueYes = useRef<HTMLButtonElement>(null);
  useEffect(() => void (overDue && overDueYes.current?.focus()), [overDue]);
  useEffect(() => setAmount(String(order.refundDueAmount > 0 ? order.refundDueAmount : '')), [order.refundDueAmount]);
  const extra = Number(amount) - order.refundDueAmount;

  const exceeds = error instanceof BoxofficeError && error.code === 'REFUND_EXCEEDS_PAID' ? (error.details as { refundable?: number; paid?: number; refunded?: number }) : undefined;
  const wrongWay = error instanceof BoxofficeError && error.code === 'PAYMENT_METHOD_UNAVAILABLE' ? (error.details as { paidWith?: Method[] }) : undefined;
  return (
    <form
      class="refund-form"
      data-testid="refund-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (extra > 0 && !overDue) return setOverDue(true);
        setOverDue(false);
        setBusy(true);
        setError(undefined);
        const body: RefundBody = { amount: Number(amount), method, reason: reason.trim(), ...(reference.trim() ? { reference: reference.trim() } : {}) };
        try {
          const done = await client.refund(order.id, body);
          const key = done.status === 'PENDING' ? 'refundSent' : done.status === 'FAILED' ? 'refundRefused' : 'refunded';
          session.toast(w(key, { amount: money(body.amount) }), done.status === 'FAILED' ? 'error' : 'success');
          setReason('');
          setReference('');
          onRefunded(await client.getOrder(order.id));
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <fieldset>
        <legend>{w('refundTitle')}</legend>
        <div class="field-row">
          <label>
            {w('amount')} ({order.currency})
            <input
              data-testid="refund-amount"
              type="number"
              min={1}
              step={1}
              required
              value={amount}
              onInput={(e) => {
                setOverDue(false);
                setAmount(e.currentTarget.value);
              }}
            />
          </label>
          <label>
            {w('method')}
            <select data-testid="refund-method" value={method} onChange={(e) => setMethod(e.currentTarget.value as Method)}>
              {METHODS.map((m) => (
                <option key={m} value={m}>{w(m)}</option>
              ))}
            </select>
          </label>
        </div>
        <label>
          {w('reason')}
          <input data-testid="refund-reason" required maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        <label>
          {w('reference')}
          <input data-testid="refund-reference" maxLength={100} value={reference} onInput={(e) => setReference(e.currentTarget.value)} />
        </label>
        {exceeds ? (
          <div class="error-box" role="alert" data-testid="refund-exceeds">
            <span>
              <strong>{error instanceof BoxofficeError ? error.localized(session.lang) : ''}</strong>{' '}
              {w('exceeds', { amount: money(exceeds.refundable ?? 0), paid: money(exceeds.paid ?? 0), refunded: money(exceeds.refunded ?? 0) })}
            </span>
          </div>
        ) : wrongWay ? (
          <div class="error-box" role="alert" data-testid="refund-wrong-method">
            <span>
              <strong>{error instanceof BoxofficeError ? error.localized(session.lang) : ''}</strong>{' '}
              {w('wrongMethod', { method: w(method), paidWith: (wrongWay.paidWith ?? []).map((m) => w(m)).join(', ') || '—' })}
            </span>
          </div>
        ) : (
          error !== undefined && <ErrorBox error={error} />
        )}
        {overDue ? (
          <div class="confirm" role="alertdialog" aria-labelledby={`over-due-${order.id}`} data-testid="refund-over-due">
            <p id={`over-due-${order.id}`}>{w('overDue', { extra: money(extra), due: money(order.refundDueAmount), amount: money(Number(amount)) })}</p>
            <button type="submit" class="danger" data-testid="refund-over-due-yes" disabled={busy} ref={overDueYes}>
              {w('refundAnyway', { amount: money(Number(amount)) })}
            </button>
            <button type="button" class="secondary" data-testid="refund-over-due-no" onClick={() => setOverDue(false)}>{w('changeAmount')}</button>
          </div>
        ) : (
          <button type="submit" class="primary" data-testid="refund-submit" disabled={busy || !reason.trim() || !(Number(amount) > 0)}>
            {w('refund')}
          </button>
        )}
      </fieldset>
    </form>
  );
}

function PaymentForm({ order, w, onPaid }: { order: Order; w: W; onPaid(order: Order): void }) {
  const session = useSession();
  const [method, setMethod] = useState<Method>('cash');
  const [amount, setAmount] = useState(String(order.total));
  const [reference, setReference] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="payment-form"
      data-testid="payment-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          onPaid(await client.recordPayment(order.id, { method, amount: Number(amount), reference: reference.trim() }));
          session.toast(w('paymentRecorded'), 'success');
        } catch (err) {
          session.toastError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <fieldset>
        <legend>{w('recordPayment')}</legend>
        <div class="field-row">
          <label>
            {w('method')}
            <select data-testid="payment-method" value={method} onChange={(e) => setMethod(e.currentTarget.value as Method)}>
              {METHODS.map((m) => (
                <option key={m} value={m}>{w(m)}</option>
              ))}
            </select>
          </label>
          <label>
            {w('amount')} ({order.currency})
            <input data-testid="payment-amount" type="number" min={0} step={1} value={amount} onInput={(e) => setAmount(e.currentTarget.value)} required />
          </label>
        </div>
        <label>
          {session.t('reference')}
          <input data-testid="payment-reference" value={reference} onInput={(e) => setReference(e.currentTarget.value)} required maxLength={100} />
        </label>
        <button class="primary" type="submit" disabled={busy} data-testid="payment-submit">{w('recordPayment')}</button>
      </fieldset>
    </form>
  );
}

function History({ order, w }: { order: Order; w: W }) {
  const { lang } = useSession();
  const money = (n: number) => formatMoney(lang, n, order.currency);
  const methodWord = (m: string) => (m in WORDS ? w(m as keyof typeof WORDS) : m);
  return (
    <div class="history">
      <h2>{w('payments')}</h2>
      {order.payments.length === 0 ? (
        <p class="muted">{w('noPayments')}</p>
      ) : (
        <TableScroll label={w('payments')}>
          <table class="data-table" data-testid="payments-history">
            <thead>
              <tr><th>{w('when')}</th><th>{w('method')}</th><th class="num">{w('amount')}</th><th>{w('status')}</th><th>{w('ref')}</th></tr>
            </thead>
            <tbody>
              {order.payments.map((p) => (
                <tr key={p.id} data-status={p.status}>
                  <td>{formatTime(lang, p.createdAt)}</td>
                  <td>{methodWord(p.method)}</td>
                  <td class="num">{money(p.amount)}</td>
                  <td>{p.status === 'PENDING' ? w('PENDING_PAYMENT') : w(p.status)}</td>
                  <td>{p.reference ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <h2>{w('refunds')}</h2>
      {order.refunds.length === 0 ? (
        <p class="muted">{w('noRefunds')}</p>
      ) : (
        <TableScroll label={w('refunds')}>
          <table class="data-table" data-testid="refunds-history">
            <thead>
              <tr><th>{w('when')}</th><th>{w('method')}</th><th class="num">{w('amount')}</th><th>{w('status')}</th><th>{w('reason')}</th><th>{w('refundRef')}</th></tr>
            </thead>
            <tbody>
              {order.refunds.map((r) => (
                <tr key={r.id} data-status={r.status}>
                  <td>{formatTime(lang, r.createdAt)}</td>
                  <td>{methodWord(r.method)}</td>
                  <td class="num">{money(r.amount)}</td>
                  <td data-testid="refund-status">{r.status === 'PENDING' ? w('PENDING_REFUND') : w(r.status === 'FAILED' ? 'REFUND_FAILED' : r.status)}</td>
                  <td>{r.reason}</td>
                  <td>{r.reference ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}

