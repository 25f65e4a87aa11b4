/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import type { Lang, SeatMap, Show } from '../../../src/client/index.ts';
import { client, useSession } from '../session.ts';
import { VENUE_TZ, formatMoney, formatShowDate, formatVenueTime, showTitle } from '../i18n.ts';
import { useLoad } from '../hooks.ts';
import { ErrorBox } from '../widgets.tsx';
import { usePagedShows } from '../hooks.ts';

/** The venue's time zone: show times are entered and shown in it (TZ_VENUE of the demo venue). */

const STRINGS = {
  manageShows: { en: 'Manage shows', th: 'จัดการรอบการแข่งขัน' },
  standingAdult: { en: 'Standing, adult', th: 'ยืน ผู้ใหญ่' },
  standingChild: { en: 'Standing, child', th: 'ยืน เด็ก' },
  openShow: { en: 'Open a show', th: 'เปิดรอบใหม่' },
  showDate: { en: 'Date', th: 'วันที่' },
  title: { en: 'Title', th: 'ชื่อรอบ' },
  startsAt: { en: 'Starts (venue time)', th: 'เวลาเริ่ม (เวลาสนาม)' },
  salesCloseAt: { en: 'Sales close (venue time)', th: 'ปิดการขาย (เวลาสนาม)' },
  defaultTimes: { en: 'Empty: 21:00, sales closing an hour after the start.', th: 'เว้นว่าง: 21:00 และปิดการขายหลังเริ่ม 1 ชั่วโมง' },
  prices: { en: 'Prices for this show (THB; empty = venue price)', th: 'ราคาเฉพาะรอบนี้ (บาท; เว้นว่าง = ราคาปกติ)' },
  open: { en: 'Open show', th: 'เปิดรอบ' },
  opened: { en: 'Show opened: {date}', th: 'เปิดรอบแล้ว: {date}' },
  save: { en: 'Save changes', th: 'บันทึก' },
  saved: { en: 'Saved', th: 'บันทึกแล้ว' },
  edit: { en: 'Edit', th: 'แก้ไข' },
  close: { en: 'Close sales', th: 'ปิดการขาย' },
  reopen: { en: 'Reopen sales', th: 'เปิดการขายอีกครั้ง' },
  cancelShow: { en: 'Cancel show…', th: 'ยกเลิกรอบ…' },
  cancelTitle: { en: 'Cancel the show of {date}?', th: 'ยกเลิกรอบวันที่ {date}?' },
  cancelWarn: {
    en: 'This cannot be undone. Every unpaid order is cancelled, every paid order is cancelled and marked for refund, all holds are released and buyers are told.',
    th: 'ไม่สามารถย้อนกลับได้ คำสั่งซื้อที่ยังไม่ชำระจะถูกยกเลิก คำสั่งซื้อที่ชำระแล้วจะถูกยกเลิกและรอคืนเงิน ที่นั่งที่กันไว้ทั้งหมดถูกปล่อย และแจ้งผู้ซื้อ',
  },
  cancelReason: { en: 'Reason (told to the buyers)', th: 'เหตุผล (แจ้งผู้ซื้อ)' },
  typeDate: { en: 'Type the date {date} to confirm', th: 'พิมพ์วันที่ {date} เพื่อยืนยัน' },
  confirmCancel: { en: 'Cancel the show', th: 'ยืนยันยกเลิกรอบ' },
  keep: { en: 'Keep the show', th: 'ไม่ยกเลิก' },
  cancelled: { en: 'Show cancelled: {n} orders cancelled', th: 'ยกเลิกรอบแล้ว: ยกเลิก {n} คำสั่งซื้อ' },
  ON_SALE: { en: 'On sale', th: 'เปิดขาย' },
  CLOSED: { en: 'Closed', th: 'ปิดการขาย' },
  CANCELLED: { en: 'Cancelled', th: 'ยกเลิกแล้ว' },
  closedByTime: { en: 'Sales closed (time passed)', th: 'ปิดการขายแล้ว (เลยเวลา)' },
  blockSeats: { en: 'Blocked seats', th: 'ที่นั่งที่ปิดขาย' },
  seatIds: { en: 'Seat numbers (e.g. 101 102 343)', th: 'หมายเลขที่นั่ง (เช่น 101 102 343)' },
  reason: { en: 'Reason', th: 'เหตุผล' },
  block: { en: 'Block', th: 'ปิดขาย' },
  unblock: { en: 'Unblock', th: 'เปิดขาย' },
  blockedDone: { en: 'Blocked: {ids}', th: 'ปิดขายแล้ว: {ids}' },
  unblockedDone: { en: 'Back on sale: {ids}', th: 'เปิดขายแล้ว: {ids}' },
  noBlocked: { en: 'No blocked seats.', th: 'ไม่มีที่นั่งที่ปิดขาย' },
  showPast: { en: 'Also show nights that are over', th: 'แสดงรอบที่ผ่านไปแล้วด้วย' },
  moreShows: { en: 'Show more nights', th: 'แสดงรอบเพิ่มเติม' },
  loadingMore: { en: 'Loading…', th: 'กำลังโหลด…' },
  none: { en: 'No shows.', th: 'ไม่มีรอบ' },
} as const;
type Key = keyof typeof STRINGS;

function tr(lang: Lang, key: Key, params: Record<string, string | number> = {}): string {
  return STRINGS[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

/** Minutes the zone is ahead of UTC at that instant (Asia/Bangkok: 420). */
function offsetMinutes(timeZone: string, at: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** "2026-12-01T21:00" in the venue's zone → ISO instant; '' → undefined. */
export function venueLocalToIso(local: string, timeZone = VENUE_TZ): string | undefined {
  if (!local) return undefined;
  const guess = new Date(`${local}:00Z`);
  return new Date(guess.getTime() - offsetMinutes(timeZone, guess) * 60_000).toISOString();
}

/** ISO instant → "2026-12-01T21:00" in the venue's zone (for datetime-local inputs). */
export function isoToVenueLocal(iso: string, timeZone = VENUE_TZ): string {
  const at = new Date(iso);
  return new Date(at.getTime() + offsetMinutes(timeZone, at) * 60_000).toISOString().slice(0, 16);
}

/** Price keys in words: zone names from the venue layout (the client fetches it once), the standing types. */
function usePriceNames(lang: Lang): (key: string) => string {
  const layout = useLoad((signal) => client.getVenueLayout({ signal }), []);
  return (key) =>
    key === 'standing-adult' ? tr(lang, 'standingAdult') : key === 'standing-child' ? tr(lang, 'standingChild') : (layout.data?.zones.find((z) => z.id === key)?.name[lang] ?? key);
}

/** Price inputs of every zone and standing type (named in the user's language), as text; '' means "venue price". */
function PriceInputs({ keys, venue, values, onChange, lang }: { keys: string[]; venue: Record<string, number>; values: Record<string, string>; onChange(v: Record<string, string>): void; lang: Lang }) {
  const priceName = usePriceNames(lang);
  return (
    <fieldset class="price-inputs">
      <legend>{tr(lang, 'prices')}</legend>
      {keys.map((k) => (
        <label key={k}>
          {priceName(k)} <span class="muted">({formatMoney(lang, venue[k] ?? 0)})</span>
          <input
            data-testid={`price-${k}`}
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            value={values[k] ?? ''}
            onInput={(e) => onChange({ ...values, [k]: e.currentTarget.value })}
          />
        </label>
      ))}
    </fieldset>
  );
}

/** The venue's own price of each key: the show's prices without its overrides (any show will do). */
function venuePricesOf(show: Show | undefined): Record<string, number> {
  if (!show) return {};
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(show.prices)) if (!(k in show.priceOverrides)) out[k] = v;
  return out;
}

/** Admin: open shows with their times and prices, edit them, close and reopen sales, cancel a show, block seats. */
export function AdminShowsPage() {
  const session = useSession();
  const { lang } = session;
  const [includePast, setIncludePast] = useState(false);
  const paged = usePagedShows({ includePast });
  const shows = paged.items;
  const error = paged.error;
  const reload = paged.reload;

  const priceKeys = shows?.[0] ? Object.keys(shows[0].prices) : [];
  // the venue price of a key is the one shows without an override of it agree on
  const venue: Record<string, number> = {};
  for (const s of shows ?? []) for (const [k, v] of Object.entries(venuePricesOf(s))) venue[k] ??= v;

  return (
    <section class="admin-page" aria-labelledby="admin-shows-title" data-testid="admin-shows">
      <h1 id="admin-shows-title">{tr(lang, 'manageShows')}</h1>
      {error !== undefined && <ErrorBox error={error} onRetry={reload} />}
      <div class="dashboard">
        <OpenShow priceKeys={priceKeys} venue={venue} onOpened={reload} />
        <div class="stack">
          <label class="inline">
            <input type="checkbox" checked={includePast} onChange={(e) => setIncludePast(e.currentTarget.checked)} data-testid="include-past" /> {tr(lang, 'showPast')}
          </label>
          {shows?.length === 0 && <p class="muted">{tr(lang, 'none')}</p>}
          {shows?.map((s) => <ShowCard key={s.showDate} show={s} venue={venue} onChanged={reload} />)}
          {paged.hasMore && (
            <button type="button" class="secondary" onClick={paged.more} disabled={paged.loading} aria-busy={paged.loading} data-testid="admin-more-shows">
              {paged.loading ? tr(lang, 'loadingMore') : tr(lang, 'moreShows')}
            </button>
          )}
        </div>
      </div>
    </section>
  );
}

function toOverrides(values: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(values)) if (v.trim() !== '') out[k] = Number(v);
  return out;
}

function OpenShow({ priceKeys, venue, onOpened }: { priceKeys: string[]; venue: Record<string, number>; onOpened(): void }) {
  const session = useSession();
  const { lang } = session;
  const [showDate, setShowDate] = useState('');
  const [title, setTitle] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [prices, setPrices] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card"
      data-testid="admin-open-show"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          const overrides = toOverrides(prices);
          const show = await client.createShow({
            showDate,
            title: title.trim() || undefined,
            startsAt: venueLocalToIso(startsAt),
            prices: Object.keys(overrides).length ? overrides : undefined,
          });
          session.toast(tr(lang, 'opened', { date: formatShowDate(lang, show.showDate) }), 'success');
          setShowDate('');
          setTitle('');
          setStartsAt('');
          setPrices({});
          onOpened();
        } catch (err) {
          session.toastError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2>{tr(lang, 'openShow')}</h2>
      <label>
        {tr(lang, 'showDate')}
        <input type="date" required value={showDate} onInput={(e) => setShowDate(e.currentTarget.value)} data-testid="admin-new-date" />
      </label>
      <label>
        {tr(lang, 'title')}
        <input value={title} maxLength={200} onInput={(e) => setTitle(e.currentTarget.value)} />
      </label>
      <label>
        {tr(lang, 'startsAt')}
        <input type="datetime-local" value={startsAt} onInput={(e) => setStartsAt(e.currentTarget.value)} />
      </label>
      <p class="muted small-print">{tr(lang, 'defaultTimes')}</p>
      <PriceInputs keys={priceKeys} venue={venue} values={prices} onChange={setPrices} lang={lang} />
      <button class="primary" type="submit" disabled={busy} data-testid="admin-open">
        {tr(lang, 'open')}
      </button>
    </form>
  );
}

function ShowCard({ show, venue, onChanged }: { show: Show; venue: Record<string, number>; onChanged(): void }) {
  const session = useSession();
  const { lang } = session;
  const [editing, setEditing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    try {
      await fn();
      if (done) session.toast(done, 'success');
      onChanged();
    } catch (err) {
      session.toastError(err);
    } finally {
      setBusy(false);
    }
  };
  const priceName = usePriceNames(lang);
  const statusText = show.status === 'ON_SALE' && !show.salesOpen ? tr(lang, 'closedByTime') : tr(lang, show.status);
  return (
    <article class="card" data-testid={`admin-show-${show.showDate}`}>
      <h2>
        {formatShowDate(lang, show.showDate)} · {showTitle(lang, show, session.t)}{' '}
        <span class={`badge ${show.salesOpen ? 'badge-paid' : 'badge-cancelled'}`} data-testid="admin-show-status">
          {statusText}
        </span>
      </h2>
      <p class="muted">
        {formatVenueTime(lang, show.startsAt, VENUE_TZ)} · {tr(lang, 'salesCloseAt')}: {formatVenueTime(lang, show.salesCloseAt, VENUE_TZ)}
      </p>
      {show.cancelReason && <p data-testid="admin-cancel-reason">{show.cancelReason}</p>}
      <p class="small-print">
        {Object.entries(show.prices)
          .map(([k, v]) => `${priceName(k)} ${formatMoney(lang, v)}${k in show.priceOverrides ? ' *' : ''}`)
          .join(' · ')}
      </p>
      {show.status !== 'CANCELLED' && (
        <div class="actions">
          <button type="button" class="secondary" disabled={busy} onClick={() => setEditing(!editing)} data-testid="admin-edit">
            {tr(lang, 'edit')}
          </button>
          {show.status === 'ON_SALE' ? (
            <button type="button" class="secondary" disabled={busy} data-testid="admin-close" onClick={() => run(() => client.updateShow(show.showDate, { status: 'CLOSED' }), tr(lang, 'saved'))}>
              {tr(lang, 'close')}
            </button>
          ) : (
            <button type="button" class="secondary" disabled={busy} data-testid="admin-reopen" onClick={() => run(() => client.updateShow(show.showDate, { status: 'ON_SALE' }), tr(lang, 'saved'))}>
              {tr(lang, 'reopen')}
            </button>
          )}
          <button type="button" class="danger" disabled={busy} data-testid="admin-cancel" onClick={() => setCancelling(true)}>
            {tr(lang, 'cancelShow')}
          </button>
        </div>
      )}
      {editing && <EditShow show={show} venue={venue} onSaved={() => (setEditing(false), onChanged())} />}
      {cancelling && <CancelShowDialog show={show} onClose={() => setCancelling(false)} onCancelled={onChanged} />}
      <BlockedSeats show={show} />
    </article>
  );
}

function EditShow({ show, venue, onSaved }: { show: Show; venue: Record<string, number>; onSaved(): void }) {
  const session = useSession();
  const { lang } = session;
  const [title, setTitle] = useState(show.title);
  const [startsAt, setStartsAt] = useState(isoToVenueLocal(show.startsAt));
  const [closeAt, setCloseAt] = useState(isoToVenueLocal(show.salesCloseAt));
  const [prices, setPrices] = useState<Record<string, string>>(Object.fromEntries(Object.entries(show.priceOverrides).map(([k, v]) => [k, String(v)])));
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="stack"
      data-testid="admin-edit-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          const next: Record<string, number | null> = {};
          for (const k of Object.keys(show.prices)) {
            const v = (prices[k] ?? '').trim();
            if (v === '' && k in show.priceOverrides) next[k] = null;
            else if (v !== '' && Number(v) !== show.priceOverrides[k]) next[k] = Number(v);
          }
          const startIso = venueLocalToIso(startsAt);
          const closeIso = venueLocalToIso(closeAt);
          await client.updateShow(show.showDate, {
            title: title.trim() !== show.title ? title.trim() : undefined,
            startsAt: startIso !== show.startsAt ? startIso : undefined,
            salesCloseAt: closeIso !== show.salesCloseAt ? closeIso : undefined,
            prices: Object.keys(next).length ? next : undefined,
          });
          session.toast(tr(lang, 'saved'), 'success');
          onSaved();
        } catch (err) {
          session.toastError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <label>
        {tr(lang, 'title')}
        <input value={title} maxLength={200} onInput={(e) => setTitle(e.currentTarget.value)} />
      </label>
      <label>
        {tr(lang, 'startsAt')}
        <input type="datetime-local" value={startsAt} onInput={(e) => setStartsAt(e.currentTarget.value)} />
      </label>
      <label>
        {tr(lang, 'salesCloseAt')}
        <input type="datetime-local" value={closeAt} onInput={(e) => setCloseAt(e.currentTarget.value)} />
      </label>
      <PriceInputs keys={Object.keys(show.prices)} venue={venue} values={prices} onChange={setPrices} lang={lang} />
      <button class="primary" type="submit" disabled={busy} data-testid="admin-save">
        {tr(lang, 'save')}
      </button>
    </form>
  );
}

function CancelShowDialog({ show, onClose, onCancelled }: { show: Show; onClose(): void; onCancelled(): void }) {
  const session = useSession();
  const { lang } = session;
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card confirm"
      role="alertdialog"
      aria-labelledby={`cancel-${show.showDate}`}
      data-testid="admin-cancel-dialog"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          const r = await client.cancelShow(show.showDate, { reason: reason.trim() });
          session.toast(tr(lang, 'cancelled', { n: r.ordersCancelled }), 'success');
          onClose();
          onCancelled();
        } catch (err) {
          session.toastError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3 id={`cancel-${show.showDate}`}>{tr(lang, 'cancelTitle', { date: formatShowDate(lang, show.showDate) })}</h3>
      <p>{tr(lang, 'cancelWarn')}</p>
      <label>
        {tr(lang, 'cancelReason')}
        <input required maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} data-testid="admin-cancel-reason-input" />
      </label>
      <label>
        {tr(lang, 'typeDate', { date: show.showDate })}
        <input required value={typed} onInput={(e) => setTyped(e.currentTarget.value)} data-testid="admin-cancel-confirm-date" />
      </label>
      <div class="actions">
        <button type="button" class="secondary" onClick={onClose}>
          {tr(lang, 'keep')}
        </button>
        <button type="submit" class="danger" disabled={busy || typed.trim() !== show.showDate || !reason.trim()} data-testid="admin-cancel-confirm">
          {tr(lang, 'confirmCancel')}
        </button>
      </div>
    </form>
  );
}

/** The show's blocked seats with their reasons, a form to block more, and an unblock button each. */
function BlockedSeats({ show }: { show: Show }) {
  const session = useSession();
  const { lang } = session;
  const [map, setMap] = useState<SeatMap | undefined>(undefined);
  const [ids, setIds] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const load = () => client.getSeatMap(show.showDate).then(setMap, session.toastError);
  useEffect(() => {
    void load();
  }, [show.showDate]);
  const blocked = map?.seats.filter((s) => s.status === 'BLOCKED') ?? [];
  const act = async (fn: () => Promise<{ seatIds: string[] }>, key: 'blockedDone' | 'unblockedDone') => {
    setBusy(true);
    try {
      const r = await fn();
      session.toast(tr(lang, key, { ids: r.seatIds.join(', ') }), 'success');
      setIds('');
      await load();
    } catch (err) {
      session.toastError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="blocked-seats" data-testid="admin-blocked">
      <summary>
        {tr(lang, 'blockSeats')} ({blocked.length})
      </summary>
      {blocked.length === 0 ? (
        <p class="muted">{tr(lang, 'noBlocked')}</p>
      ) : (
        <ul>
          {blocked.map((s) => (
            <li key={s.id} data-testid={`blocked-${s.id}`}>
              {s.id} {s.blockReason && <span class="muted">— {s.blockReason}</span>}{' '}
              <button type="button" class="secondary" disabled={busy} onClick={() => act(() => client.unblockSeats(show.showDate, { seatIds: [s.id] }), 'unblockedDone')}>
                {tr(lang, 'unblock')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {show.status !== 'CANCELLED' && (
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const seatIds = [...new Set(ids.split(/[\s,]+/).filter(Boolean))];
            void act(() => client.blockSeats(show.showDate, { seatIds, reason: reason.trim() }), 'blockedDone');
          }}
        >
          <label>
            {tr(lang, 'seatIds')}
            <input required value={ids} onInput={(e) => setIds(e.currentTarget.value)} data-testid="admin-block-ids" />
          </label>
          <label>
            {tr(lang, 'reason')}
            <input required maxLength={200} value={reason} onInput={(e) => setReason(e.currentTarget.value)} data-testid="admin-block-reason" />
          </label>
          <button class="primary" type="submit" disabled={busy} data-testid="admin-block">
            {tr(lang, 'block')}
          </button>
        </form>
      )}
    </details>
  );
}
