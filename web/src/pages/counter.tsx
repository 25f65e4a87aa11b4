/** @jsxImportSource preact */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  BoxofficeError,
  SeatPicker,
  ShowLive,
  compareSeatIds,
  randomUuid,
  type CounterSettings,
  type Order,
  type PickerNotice,
} from '../../../src/client/index.ts';
import type { BoxOfficeSaleBody } from '../../../src/contract/index.ts';
import { client, socket, useSession, type Session } from '../session.ts';
import { useLoad, useTick } from '../hooks.ts';
import { formatCountdown, formatMoney, formatShowDate, formatStanding, showTitle, venueName } from '../i18n.ts';
import { StandingSteppers } from '../standing-steppers.tsx';
import { MapViewport, SeatMapView, SeatSwatch, layout, mapWords, revealFocused, zoomFirst, type MapView, type Via } from '../seat-map.tsx';
import { href, navigate } from '../router.ts';
import { ErrorBox } from '../widgets.tsx';
import { Receipt } from '../receipt.tsx';
import { StaffNav, saveBlob, wordsFor } from '../staff-nav.tsx';

const WORDS = {
  title: { en: 'Counter sale', th: 'ขายหน้าเคาน์เตอร์' },
  show: { en: 'Show', th: 'รอบ' },
  pickShow: { en: 'Pick a show…', th: 'เลือกรอบ…' },
  noShows: { en: 'No show is on sale.', th: 'ไม่มีรอบที่เปิดขาย' },
  closedOption: { en: 'sales closed', th: 'ปิดการขาย' },
  closedNotice: {
    en: 'Sales for this show are closed: nothing can be held or sold here. Pick a show that still sells.',
    th: 'รอบนี้ปิดการขายแล้ว กันที่นั่งหรือขายบัตรไม่ได้ กรุณาเลือกรอบอื่นที่ยังเปิดขาย',
  },
  hint: {
    en: 'Click seats to hold them for this sale (click again to let one go); add standing places with the steppers. Holds last 5 minutes; up to {max} seats and standing places per sale.',
    th: 'คลิกที่นั่งเพื่อกันไว้สำหรับการขายนี้ (คลิกอีกครั้งเพื่อปล่อย) เพิ่มบัตรยืนด้วยปุ่ม + − กันไว้ได้ 5 นาที สูงสุด {max} ใบต่อการขาย (ที่นั่งและบัตรยืนรวมกัน)',
  },
  available: { en: 'Available', th: 'ว่าง' },
  selected: { en: 'Picked', th: 'เลือกไว้' },
  mine: { en: 'Held for this sale', th: 'กันไว้สำหรับการขายนี้' },
  locked: { en: 'Held by someone else', th: 'ผู้อื่นกันไว้' },
  booked: { en: 'Sold', th: 'ขายแล้ว' },
  blocked: { en: 'Not for sale', th: 'ไม่เปิดขาย' },
  pending: { en: 'Sending…', th: 'กำลังส่ง…' },
  sale: { en: 'This sale', th: 'รายการขาย' },
  empty: { en: 'Nothing yet. Pick seats on the map or add standing places.', th: 'ยังไม่มีรายการ เลือกที่นั่งจากผังหรือเพิ่มบัตรยืน' },
  heldFor: { en: 'Held for {t}', th: 'กันไว้อีก {t}' },
  removeStanding: { en: 'Remove the standing places', th: 'เอาบัตรยืนออก' },
  seat: { en: 'Seat {seat}', th: 'ที่นั่ง {seat}' },
  remove: { en: 'Remove', th: 'เอาออก' },
  removeSeat: { en: 'Remove seat {seat}', th: 'เอาที่นั่ง {seat} ออก' },
  clear: { en: 'Clear all', th: 'ล้างทั้งหมด' },
  total: { en: 'Total', th: 'รวม' },
  customer: { en: 'Customer (optional)', th: 'ลูกค้า (ไม่บังคับ)' },
  name: { en: 'Name', th: 'ชื่อ' },
  phone: { en: 'Phone', th: 'เบอร์โทรศัพท์' },
  email: { en: 'Email (tickets are mailed)', th: 'อีเมล (ส่งตั๋วทางอีเมล)' },
  referrer: { en: 'Referrer code (hotel, guide)', th: 'รหัสผู้แนะนำ (โรงแรม ไกด์)' },
  payment: { en: 'Payment', th: 'การชำระเงิน' },
  cash: { en: 'Cash', th: 'เงินสด' },
  card: { en: 'Card', th: 'บัตร' },
  promptpay: { en: 'PromptPay', th: 'พร้อมเพย์' },
  tendered: { en: 'Cash received', th: 'รับเงินมา' },
  change: { en: 'Change to give', th: 'เงินทอน' },
  short: { en: '{amount} short', th: 'ขาดอีก {amount}' },
  cardRef: { en: 'Terminal slip number (optional)', th: 'เลขที่สลิปเครื่องรูดบัตร (ไม่บังคับ)' },
  ppRef: { en: 'Transfer reference (optional)', th: 'เลขอ้างอิงการโอน (ไม่บังคับ)' },
  qrHint: { en: 'The buyer scans this with any Thai banking app. Sell once the money shows as received.', th: 'ให้ผู้ซื้อสแกนด้วยแอปธนาคาร กดขายเมื่อได้รับเงินแล้ว' },
  qrFor: { en: 'PromptPay QR for {amount}', th: 'คิวอาร์พร้อมเพย์ {amount}' },
  qrUnavailable: { en: 'PromptPay is not set up on this server (PROMPTPAY_ID).', th: 'เซิร์ฟเวอร์นี้ยังไม่ได้ตั้งค่าพร้อมเพย์ (PROMPTPAY_ID)' },
  sell: { en: 'Sell {n} tickets', th: 'ขาย {n} ใบ' },
  sellNothing: { en: 'Sell', th: 'ขาย' },
  sellOne: { en: 'Sell 1 ticket', th: 'ขาย 1 ใบ' },
  exact: { en: 'Exact amount', th: 'รับเงินพอดี' },
  cashFirst: { en: 'Enter the cash received to sell', th: 'กรอกเงินที่รับมาก่อนขาย' },
  selling: { en: 'Selling…', th: 'กำลังขาย…' },
  sold: { en: 'Sold: order {code}', th: 'ขายแล้ว: คำสั่งซื้อ {code}' },
  taken: { en: 'Someone else was faster: {seats}. Pick another.', th: 'มีผู้อื่นกันไปก่อน: {seats} โปรดเลือกที่นั่งอื่น' },
  heldRest: { en: 'Held the other seats: {seats}.', th: 'กันที่นั่งอื่นไว้ให้แล้ว: {seats}' },
  lost: { en: 'The hold ran out ({seats}); those seats left the sale.', th: 'หมดเวลากันที่นั่ง {seats} จึงถูกนำออกจากการขาย' },
  expiring: { en: 'The holds of this sale end in {t}. Sell now or pick again.', th: 'ที่นั่งที่กันไว้สำหรับการขายนี้จะหมดเวลาใน {t} ขายเลยหรือเลือกใหม่' },
  standingShort: { en: 'Only {n} standing places are left; the sale keeps what it had.', th: 'บัตรยืนเหลือเพียง {n} ที่ รายการขายยังคงเดิม' },
  limit: { en: 'At most {max} seats and standing places in one sale: {seats} not added.', th: 'ขายได้สูงสุด {max} ใบต่อครั้ง (ที่นั่งและบัตรยืนรวมกัน) {seats} จึงไม่ถูกเพิ่ม' },
  limitStanding: { en: 'At most {max} seats and standing places in one sale.', th: 'ขายได้สูงสุด {max} ใบต่อครั้ง (ที่นั่งและบัตรยืนรวมกัน)' },
  unavailable: { en: 'Seat {seat} is {state}.', th: 'ที่นั่ง {seat} {state}' },
  offline: { en: 'Offline: seats can be added again when the connection is back.', th: 'ขาดการเชื่อมต่อ เพิ่มที่นั่งได้อีกครั้งเมื่อกลับมาออนไลน์' },
  printReceipt: { en: 'Print receipt', th: 'พิมพ์ใบเสร็จ' },
  ticketsPdf: { en: 'Tickets (PDF)', th: 'ตั๋ว (PDF)' },
  newSale: { en: 'New sale', th: 'ขายรายการใหม่' },
  openOrder: { en: 'Open the order', th: 'เปิดคำสั่งซื้อ' },
  mapHint: { en: 'Arrow keys move between seats, Enter or Space adds or removes the seat, Escape leaves the map.', th: 'ใช้ปุ่มลูกศรเลื่อนระหว่างที่นั่ง Enter หรือ Space เพื่อเพิ่มหรือเอาที่นั่งออก Esc เพื่อออกจากผัง' },
} as const;

type W = ReturnType<typeof wordsFor<typeof WORDS>>;
type Method = 'cash' | 'card' | 'promptpay';
const METHODS: Method[] = ['cash', 'card', 'promptpay'];

/**
 * #/counter/:showDate (staff, admin): sell seats and standing places to a walk-in. The live map and the standing
 * steppers through the one SeatPicker: the seller's picks are real holds (shown held to everyone; up to
 * BOX_OFFICE_MAX_SEATS, the server's cap for staff holds) and the sale takes what the seller holds, optional
 * customer and referrer, cash (with the change to give), card or PromptPay (the QR of the exact total), one
 * Sell button (one Idempotency-Key per attempt: a double click or a retry never sells twice), then the 80 mm
 * receipt and the tickets PDF.
 */
export function CounterPage({ showDate: asked }: { showDate?: string }) {
  const session = useSession();
  const w = wordsFor(WORDS, session.lang);
  const shows = useLoad((signal) => client.listShows({ signal }), []);
  const settings = useLoad((signal) => client.counterSettings({ signal }), []);
  const onSale = (shows.data ?? []).filter((s) => s.status !== 'CANCELLED');
  // #/counter alone opens the first show from the venue's today on (by the server's clock) that still sells:
  // tonight's until its sales close (an hour after it starts, or closed by an admin), then the next one; if none
  // sells, the first of them. A show that sells nothing is marked in the list and says so above its map.
  const today = settings.data ? new Intl.DateTimeFormat('en-CA', { timeZone: settings.data.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(client.serverNow())) : undefined;
  const upcoming = today ? onSale.filter((s) => s.showDate >= today).sort((a, b) => a.showDate.localeCompare(b.showDate)) : [];
  const showDate = asked ?? (upcoming.find((s) => s.salesOpen) ?? upcoming[0])?.showDate;
  const chosen = onSale.find((s) => s.showDate === showDate);

  return (
    <section class="counter-page" aria-labelledby="counter-title">
      <StaffNav />
      <div class="counter-head no-print">
        <h1 id="counter-title">{w('title')}</h1>
        <label class="counter-show">
          {w('show')}
          <select data-testid="counter-show" value={showDate ?? ''} onChange={(e) => navigate('counter', e.currentTarget.value)}>
            <option value="">{w('pickShow')}</option>
            {onSale.map((s) => (
              <option key={s.showDate} value={s.showDate}>
                {formatShowDate(session.lang, s.showDate)} · {showTitle(session.lang, s, session.t)}
                {s.salesOpen ? '' : ` · ${w('closedOption')}`}
              </option>
            ))}
          </select>
        </label>
      </div>
      {shows.error !== undefined && <ErrorBox error={shows.error} onRetry={shows.reload} />}
      {settings.error !== undefined && <ErrorBox error={settings.error} onRetry={settings.reload} />}
      {shows.data && onSale.length === 0 && <p class="muted">{w('noShows')}</p>}
      {chosen && !chosen.salesOpen && (
        <p class="notice notice-warning" role="alert" data-testid="counter-closed">
          {w('closedNotice')}
        </p>
      )}
      {showDate && settings.data ? (
        <CounterSale key={showDate} showDate={showDate} settings={settings.data} session={session} w={w} />
      ) : (
        showDate && <div class="skeleton skeleton-map" aria-busy="true" />
      )}
    </section>
  );
}

function CounterSale({ showDate, settings, session, w }: { showDate: string; settings: CounterSettings; session: Session; w: W }) {
  const { lang } = session;
  const [live, setLive] = useState<ShowLive | undefined>(undefined);
  const [picker, setPicker] = useState<SeatPicker | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [, setVersion] = useState(0);
  const [done, setDone] = useState<{ order: Order; tendered?: number } | undefined>(undefined);
  /** one picker per sale: the next sale starts with no holds */
  const [sale, setSale] = useState(0);
  const view = useRef<MapView | undefined>(undefined);
  const saleHeading = useRef<HTMLHeadingElement>(null);
  const wRef = useRef(w);
  wRef.current = w;
  const soldRef = useRef(false);

  useEffect(() => {
    const l = new ShowLive({ client, socket, showDate });
    // the seller's picks are real holds (everyone sees them held), capped by BOX_OFFICE_MAX_SEATS on the server
    const p = new SeatPicker({ client, live: l, maxSeats: settings.maxSeats, offline: () => !navigator.onLine });
    const rerender = () => setVersion((v) => v + 1);
    const offLive = l.onChange((change) => {
      if (change.kind === 'snapshot') setLoadError(undefined);
      rerender();
    });
    p.onChange(rerender);
    p.onNotice((notice) => announce(session, wRef.current, notice));
    l.start().then(rerender, (err: unknown) => setLoadError(err));
    soldRef.current = false;
    setLive(l);
    setPicker(p);
    return () => {
      offLive();
      // leaving the page (or the show) before selling gives the seats back at once instead of in 5 minutes
      const leaving = soldRef.current ? Promise.resolve() : p.releaseAll().catch(() => undefined);
      void leaving.finally(() => {
        p.stop();
        l.stop();
      });
    };
  }, [showDate, sale]);

  const geometry = useMemo(() => (live?.map ? layout(live.map) : undefined), [live?.map]);
  const tick = useTick(1000, picker !== undefined && picker.held().length + picker.standing().held.adult + picker.standing().held.child > 0);

  if (done) {
    return (
      <SaleDone
        order={done.order}
        tendered={done.tendered}
        session={session}
        w={w}
        onNext={() => {
          setDone(undefined);
          setSale((n) => n + 1);
        }}
      />
    );
  }
  if (loadError !== undefined) return <ErrorBox error={loadError} onRetry={() => void live?.resync()} />;
  if (!live?.ready || !live.map || !picker || !geometry) return <div class="skeleton skeleton-map" aria-busy="true" />;

  const map = live.map;
  // a cashier reads seats by id
  const { currency, money, zoneIndex, zoneName, lookOf, labelOf } = mapWords(live, picker, { lang, t: session.t, seatName: (seat) => seat.id, status: w });
  const held = picker.held().sort((a, b) => compareSeatIds(a.seatId, b.seatId));
  const standing = picker.standing();
  const items = held.length + standing.held.adult + standing.held.child;
  const total = picker.total();
  const msLeft = picker.msLeft();
  void tick; // the countdown below re-renders every second while something is held
  const offline = !live.online;

  return (
    <div class="show-layout counter-layout">
      <div class="map-column">
        <p class="muted counter-hint">{w('hint', { max: settings.maxSeats })}</p>
        <ul class="legend" data-testid="legend">
          {(['available', 'mine', 'locked', 'booked', 'blocked'] as const).map((look) => (
            <li key={look}>
              <SeatSwatch look={look} />
              {w(look)}
            </li>
          ))}
        </ul>
        <MapViewport
          geometry={geometry}
          disabled={offline}
          labels={{ zoomIn: session.t('zoomIn'), zoomOut: session.t('zoomOut'), fit: session.t('zoomFit'), region: session.t('zoomControls') }}
          onView={(v) => (view.current = v)}
        >
          <SeatMapView
            map={map}
            geometry={geometry}
            seats={live.seats()}
            lookOf={lookOf}
            labelOf={labelOf}
            zoneName={zoneName}
            zoneIndex={zoneIndex}
            ringLabel={session.t('ring')}
            label={session.t('mapLabel', { venue: venueName(lang, map.venue) })}
            hint={w('mapHint')}
            disabled={offline}
            onActivate={(id: string, via: Via) => {
              const seat = live.seat(id);
              if (seat && via !== 'keyboard' && zoomFirst(view.current, geometry, seat, via)) return;
              picker.toggle(id);
            }}
            onInspect={() => undefined}
            onLeave={() => saleHeading.current?.focus()}
            onFocusSeat={(seat) => revealFocused(view.current, geometry, seat)}
          />
        </MapViewport>
        {standing.area && <StandingSteppers picker={picker} pick={standing} t={session.t} money={money} lang={lang} disabled={offline} />}
      </div>
      <aside class="card basket counter-basket" aria-labelledby="sale-title" data-testid="counter-basket">
        <h2 id="sale-title" ref={saleHeading} tabIndex={-1}>{w('sale')}</h2>
        {items === 0 ? (
          <p class="muted" data-testid="counter-empty">{w('empty')}</p>
        ) : (
          <>
            {msLeft !== undefined && (
              <p class="muted" data-testid="counter-hold-left" role="timer">{w('heldFor', { t: formatCountdown(msLeft) })}</p>
            )}
            <ul class="held-list">
              {held.map((h) => (
                <li key={h.seatId} data-testid="counter-seat" data-seat-id={h.seatId}>
                  <span>
                    <strong>{w('seat', { seat: h.seatId })}</strong>
                    <span class="muted held-zone">{zoneName(h.zoneId)} · {money(h.price)}</span>
                  </span>
                  <button type="button" class="small" aria-label={w('removeSeat', { seat: h.seatId })} onClick={() => picker.release([h.seatId])}>
                    {w('remove')}
                  </button>
                </li>
              ))}
              {standing.lines.map((l) => (
                <li key={l.type} data-testid="counter-standing" data-type={l.type}>
                  <span>
                    <strong>{formatStanding(session.t, [l])}</strong>
                    <span class="muted held-zone">{money(l.price * l.quantity)}</span>
                  </span>
                </li>
              ))}
            </ul>
            <button type="button" class="secondary" onClick={() => void picker.releaseAll()}>{w('clear')}</button>
          </>
        )}
        <p class="total">
          {w('total')}: <strong data-testid="counter-total">{money(total)}</strong>
        </p>
        <SaleForm
          showDate={showDate}
          seatIds={held.map((h) => h.seatId)}
          standing={standing.held}
          ready={picker.settled}
          total={total}
          currency={currency}
          settings={settings}
          session={session}
          w={w}
          onSold={(order, tendered) => {
            soldRef.current = true; // the holds became the order: nothing to give back
            setDone({ order, tendered });
          }}
          onTaken={() => void live.resync()}
        />
      </aside>
    </div>
  );
}

/** Customer, referrer and payment, and the Sell button. */
function SaleForm(props: {
  showDate: string;
  /** the seats and standing places the seller holds for this sale */
  seatIds: string[];
  standing: { adult: number; child: number };
  /** the picker has no pick or release on its way (what is held is what will be sold) */
  ready: boolean;
  total: number;
  currency: string;
  settings: CounterSettings;
  session: Session;
  w: W;
  onSold(order: Order, tendered?: number): void;
  onTaken(seatIds: string[]): void;
}) {
  const { showDate, seatIds, standing, ready, total, currency, settings, session, w } = props;
  const items = seatIds.length + standing.adult + standing.child;
  const money = (n: number) => formatMoney(session.lang, n, currency);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [referrer, setReferrer] = useState('');
  const [method, setMethod] = useState<Method>('cash');
  const [tendered, setTendered] = useState('');
  const [reference, setReference] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  /** One Idempotency-Key per attempt: the same body sent again (a retry after a lost answer) reuses it. */
  const attempt = useRef<{ body: string; key: string } | undefined>(undefined);

  const tenderedInput = useRef<HTMLInputElement>(null);

  const cash = Number(tendered);
  /** cash is the method and nothing is typed yet: Sell waits, and the footer says why */
  const cashMissing = method === 'cash' && tendered.trim() === '';
  const cashShort = method === 'cash' && (cashMissing || !Number.isFinite(cash) || cash < total);
  const canSell = items > 0 && ready && !busy && !cashShort;

  const sell = async () => {
    const body: BoxOfficeSaleBody = {
      showDate,
      seatIds,
      ...(standing.adult + standing.child > 0 ? { standing: { adult: standing.adult, child: standing.child } } : {}),
      customerName: name.trim() || undefined,
      customerPhone: phone.trim() || undefined,
      customerEmail: email.trim() || undefined,
      referrerCode: referrer.trim().toUpperCase() || undefined,
      payment: { method, amount: total, reference: method === 'cash' ? undefined : reference.trim() || undefined },
    };
    const text = JSON.stringify(body);
    if (attempt.current?.body !== text) attempt.current = { body: text, key: randomUuid() };
    setBusy(true);
    setError(undefined);
    try {
      const order = await client.sell(body, { idempotencyKey: attempt.current.key });
      attempt.current = undefined;
      props.onSold(order, method === 'cash' ? cash : undefined);
      setName('');
      setPhone('');
      setEmail('');
      setReferrer('');
      setTendered('');
      setReference('');
    } catch (err) {
      if (err instanceof BoxofficeError && err.code === 'SEAT_UNAVAILABLE' && err.unavailableSeats.length > 0) {
        const ids = err.unavailableSeats.map((u) => u.seatId);
        props.onTaken(ids);
        session.toast(w('taken', { seats: ids.join(', ') }), 'error');
      }
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <form
        id="sale-form"
        class="sale-form"
        data-testid="sale-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (canSell) void sell();
        }}
      >
        <fieldset>
          <legend>{w('customer')}</legend>
          <label>
            {w('name')}
            <input data-testid="sale-name" value={name} maxLength={100} autoComplete="off" onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label>
            {w('phone')}
            <input data-testid="sale-phone" type="tel" value={phone} maxLength={32} pattern="[0-9+\(\) \-]{3,32}" autoComplete="off" onInput={(e) => setPhone(e.currentTarget.value)} />
          </label>
          <label>
            {w('email')}
            <input data-testid="sale-email" type="email" value={email} maxLength={254} autoComplete="off" onInput={(e) => setEmail(e.currentTarget.value)} />
          </label>
          <label>
            {w('referrer')}
            <input data-testid="sale-referrer" value={referrer} maxLength={32} autoComplete="off" spellcheck={false} onInput={(e) => setReferrer(e.currentTarget.value)} />
          </label>
        </fieldset>
        <fieldset>
          <legend>{w('payment')}</legend>
          <div class="method-choice" role="radiogroup" aria-label={w('payment')}>
            {METHODS.map((m) => (
              <label key={m} class={`method-option${method === m ? ' chosen' : ''}`}>
                <input type="radio" name="sale-method" value={m} data-testid={`sale-method-${m}`} checked={method === m} onChange={() => setMethod(m)} />
                {w(m)}
              </label>
            ))}
          </div>
          {method === 'cash' && (
            <div class="tendered-row">
              <label>
                {w('tendered')} ({currency})
                <input ref={tenderedInput} data-testid="sale-tendered" type="number" inputMode="numeric" min={0} step={1} value={tendered} onInput={(e) => setTendered(e.currentTarget.value)} />
              </label>
              <button type="button" class="secondary" data-testid="sale-exact" disabled={items === 0} onClick={() => setTendered(String(total))}>
                {w('exact')}
              </button>
            </div>
          )}
          {method === 'card' && (
            <label>
              {w('cardRef')}
              <input data-testid="sale-reference" value={reference} maxLength={100} onInput={(e) => setReference(e.currentTarget.value)} />
            </label>
          )}
          {method === 'promptpay' && (
            <>
              {settings.promptpay ? <CounterQr total={total} money={money} w={w} /> : <p class="notice">{w('qrUnavailable')}</p>}
              <label>
                {w('ppRef')}
                <input data-testid="sale-reference" value={reference} maxLength={100} onInput={(e) => setReference(e.currentTarget.value)} />
              </label>
            </>
          )}
        </fieldset>
      </form>
      {/* why Sell waits, the change to give, a refusal and Sell stay together at the bottom of the sale panel (sticky on
          desktop); outside the form, Sell submits it by id, so the footer sticks wherever the form is scrolled */}
      <div class="sale-footer">
        {cashMissing && items > 0 && (
          <p class="cash-first" id="sale-cash-first" data-testid="sale-cash-first">
            <button type="button" class="link-button" onClick={() => tenderedInput.current?.focus()}>
              {w('cashFirst')}
            </button>
          </p>
        )}
        {method === 'cash' && items > 0 && !cashMissing && Number.isFinite(cash) && (
          <p class={`change-line${cash < total ? ' short' : ''}`} data-testid="sale-change" aria-live="polite">
            {cash >= total ? <>{w('change')}: <strong>{money(cash - total)}</strong></> : w('short', { amount: money(total - cash) })}
          </p>
        )}
        {error !== undefined && <ErrorBox error={error} />}
        <button
          class="primary sell-button"
          type="submit"
          form="sale-form"
          data-testid="sell"
          disabled={!canSell}
          aria-busy={busy}
          aria-describedby={cashMissing && items > 0 ? 'sale-cash-first' : undefined}
        >
          {busy ? (
            w('selling')
          ) : items === 0 ? (
            w('sellNothing')
          ) : (
            // what and how much, each kept whole: when both do not fit on one line the amount goes below
            <>
              <span class="sell-what">{items === 1 ? w('sellOne') : w('sell', { n: items })}</span> <span class="sell-amount">{money(total)}</span>
            </>
          )}
        </button>
      </div>
    </>
  );
}

/** The PromptPay QR of the sale's exact total (fetched again when the total changes). */
function CounterQr({ total, money, w }: { total: number; money: (n: number) => string; w: W }) {
  const qr = useLoad((signal) => (total > 0 ? client.counterQr(total, { signal }) : Promise.resolve(undefined)), [total]);
  // a new code is brought into view once (above the sale footer, by the panel's scroll padding): the buyer scans it
  const shownPayload = useRef<string>();
  const shown = (el: HTMLElement | null) => {
    if (!el || !qr.data || shownPayload.current === qr.data.payload) return;
    shownPayload.current = qr.data.payload;
    el.scrollIntoView({ block: 'nearest' });
  };
  if (total <= 0) return null;
  if (qr.error !== undefined) return <ErrorBox error={qr.error} onRetry={qr.reload} />;
  if (!qr.data || qr.data.amount !== total) return <div class="skeleton qr-skeleton" aria-busy="true" />;
  return (
    <figure class="counter-qr" data-testid="counter-qr" data-payload={qr.data.payload} ref={shown}>
      <img src={`data:image/svg+xml;utf8,${encodeURIComponent(qr.data.qrSvg)}`} alt={w('qrFor', { amount: money(total) })} width={200} height={200} />
      <figcaption>
        <strong>{money(total)}</strong>
        <span class="muted">{w('qrHint')}</span>
      </figcaption>
    </figure>
  );
}

/** After the sale: the receipt (printable at 80 mm), the tickets PDF, the order, the next sale. */
function SaleDone({ order, tendered, session, w, onNext }: { order: Order; tendered?: number; session: Session; w: W; onNext(): void }) {
  const [busy, setBusy] = useState(false);
  const nextButton = useRef<HTMLButtonElement>(null);
  useEffect(() => nextButton.current?.focus(), []);
  return (
    <div class="sale-done" data-testid="sale-done">
      <div class="notice notice-success no-print" role="status">
        {w('sold', { code: order.code })}
      </div>
      <div class="sale-done-actions no-print">
        <button type="button" class="primary" data-testid="print-receipt" onClick={() => window.print()}>
          {w('printReceipt')}
        </button>
        <button
          type="button"
          data-testid="tickets-pdf"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              saveBlob(await client.ticketsPdf(order.id), `tickets-${order.code}.pdf`);
            } catch (err) {
              session.toastError(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          {w('ticketsPdf')}
        </button>
        <a class="button-link" href={href('staff', order.id)}>{w('openOrder')}</a>
        <button type="button" class="secondary" ref={nextButton} data-testid="new-sale" onClick={onNext}>
          {w('newSale')}
        </button>
      </div>
      <Receipt order={order} tendered={tendered} staffName={session.user.name} />
    </div>
  );
}

/** The picker's notices in the seller's words. */
function announce(session: Session, w: W, notice: PickerNotice): void {
  const states: Record<string, string> = { LOCKED: w('locked'), BOOKED: w('booked'), BLOCKED: w('blocked'), AVAILABLE: w('available') };
  switch (notice.kind) {
    case 'limit':
      return session.toast(notice.seatIds.length ? w('limit', { max: notice.max, seats: notice.seatIds.join(', ') }) : w('limitStanding', { max: notice.max }), 'error');
    case 'unavailable':
      return session.toast(w('unavailable', { seat: notice.seatId, state: states[notice.status].toLowerCase() }), 'error');
    case 'taken':
      return session.toast(w('taken', { seats: notice.seats.map((s) => s.seatId).join(', ') }), 'error');
    case 'heldRest':
      return session.toast(w('heldRest', { seats: notice.seatIds.join(', ') }), 'info');
    case 'lost':
      return session.toast(w('lost', { seats: notice.seatIds.join(', ') }), 'info');
    case 'expiring':
      return session.toast(w('expiring', { t: formatCountdown(notice.msLeft) }), 'error');
    case 'offline':
      return session.toast(w('offline'), 'error');
    case 'standingUnavailable':
      return session.toast(w('standingShort', { n: notice.available }), 'error');
    case 'error':
      return session.toastError(notice.error);
    case 'needsSignIn':
      return; // staff are signed in
    default: {
      const unhandled: never = notice;
      void unhandled;
    }
  }
}
