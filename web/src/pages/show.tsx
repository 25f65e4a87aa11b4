/** @jsxImportSource preact */
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  BoxofficeError,
  PICK_LOOKS,
  SeatPicker,
  ShowLive,
  randomUuid,
  type LiveSeat,
  type PickLook,
  type PickerNotice,
  type SeatMap,
  type Show,
  type User,
} from '../../../src/client/index.ts';
import { BestAvailable } from '../best-available.tsx';
import { StandingSteppers } from '../standing-steppers.tsx';
import { client, socket, usePublicSession, type PublicSession } from '../session.ts';
import { useHeightVar, useLoad, useTick } from '../hooks.ts';
import { formatCountdown, formatShowDate, formatVenueTime, showTitle, venueName, type T } from '../i18n.ts';
import {
  MIN_TAP_PX,
  MapViewport,
  OPENING_SEAT_PX,
  SeatMapView,
  SeatSwatch,
  layout,
  mapWords,
  zoneColour,
  zoomFirst,
  zoomToZone,
  type Geometry,
  type MapView,
  type Via,
  revealFocused,
} from '../seat-map.tsx';
import { href, navigate } from '../router.ts';
import { ErrorBox, ShowNotFound } from '../widgets.tsx';
import { LoginPage } from './login.tsx';

/** The venue's zone when the server does not say (the demo venue is in Phuket). */
const DEFAULT_VENUE_TZ = 'Asia/Bangkok';

/** What issue 14 adds to the snapshot and the show; read when present. */
interface Standing {
  name?: { en: string; th: string };
  capacity?: number;
  available?: number;
  prices?: { adult?: number; child?: number };
}
type ShowExtras = Show & { titles?: { en?: string; th?: string } };
type MapExtras = SeatMap & { standing?: Standing; venue: SeatMap['venue'] & { timezone?: string } };

/**
 * One show: its live seat map and the basket. Anyone may look; holding asks for sign-in (a dialog over the
 * map, so the picks stay). All picking logic lives in the SDK's SeatPicker; this page draws it.
 */
export function ShowPage({ showDate }: { showDate: string }) {
  const session = usePublicSession();
  const { t, lang, user } = session;
  const shows = useLoad((signal) => client.getShow(showDate, { signal }), [showDate]);
  const [live, setLive] = useState<ShowLive | undefined>(undefined);
  const [picker, setPicker] = useState<SeatPicker | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [, setVersion] = useState(0);
  const [preview, setPreview] = useState<string | undefined>(undefined);
  const [signInOpen, setSignInOpen] = useState(false);
  const view = useRef<MapView | undefined>(undefined);
  /** The seat a finger last tapped: a tap previews, a second tap on the same seat holds (hover and focus only preview). */
  const tapped = useRef<string | undefined>(undefined);
  const basketHeading = useRef<HTMLHeadingElement>(null);
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const now = useTick(1000);
  // the phone's sticky bar is as tall as what it shows (a preview wraps to two or three lines): the styles keep that much room below the content
  const stickyBar = useHeightVar('--sticky-bar-space');

  useEffect(() => {
    const l = new ShowLive({ client, socket, showDate });
    // Offline = the browser says so; the socket also drops for a moment when it reconnects after sign-in.
    const p = new SeatPicker({ client, live: l, offline: () => !navigator.onLine });
    const rerender = () => setVersion((v) => v + 1);
    const offLive = l.onChange((change) => {
      if (change.kind === 'snapshot') setLoadError(undefined);
      rerender();
    });
    p.onChange(rerender);
    p.onNotice((notice) => {
      if (notice.kind === 'needsSignIn') setSignInOpen(true);
      else announce(sessionRef.current, notice, l);
    });
    l.start().then(rerender, (err: unknown) => setLoadError(err));
    setLive(l);
    setPicker(p);
    return () => {
      offLive();
      p.stop();
      l.stop();
    };
  }, [showDate]);

  const show = (shows.data?.showDate === showDate ? shows.data : undefined) as ShowExtras | undefined;
  const title = showTitle(lang, show, t);
  const notFound =
    (loadError instanceof BoxofficeError && (loadError.code === 'SHOW_NOT_FOUND' || loadError.code === 'NOT_FOUND' || loadError.code === 'VALIDATION_FAILED')) ||
    (shows.error instanceof BoxofficeError && shows.error.code === 'SHOW_NOT_FOUND' && loadError !== undefined);
  if (notFound) return <ShowNotFound showDate={showDate} />;

  const heading = (
    <div class="show-head">
      <a class="back-link" href={href()}>← {t('shows')}</a>
      <h1 id="show-title" data-testid="show-title">
        {title} <span class="h1-date">{formatShowDate(lang, showDate)}</span>
      </h1>
    </div>
  );

  if (!live?.ready || !live.map || !picker) {
    return (
      <section class="show-page" aria-labelledby="show-title" aria-busy="true">
        {heading}
        {loadError !== undefined && <ErrorBox error={loadError} onRetry={() => void live?.resync()} />}
        <div class="show-layout" data-testid="show-skeleton">
          <div class="map-column">
            <div class="skeleton skeleton-line" />
            <div class="skeleton skeleton-map" />
          </div>
          <div class="skeleton skeleton-basket" />
        </div>
      </section>
    );
  }

  const map = live.map as MapExtras;
  const geometry = geometryOf(map);
  const { money, zoneIndex, zoneName, price, lookOf, labelOf } = mapWords(live, picker, { lang, t, seatName: (seat) => seat.number, status: t });
  const offline = !live.online;

  const held = picker.held();
  const picked = picker.picked().filter((id) => picker.look(id) === 'selected');
  // the persistent call to action while picks wait for an account (the controller asks with the dialog once)
  const signInToHold = picked.length === 1 ? t('signInToHoldOne') : t('signInToHoldN', { n: picked.length });
  const standing = picker.standing();
  const standingHeld = standing.held.adult + standing.held.child;
  const items = held.length + standingHeld;
  const total = picker.total();
  const ends = [...held.map((h) => h.expiresAt), ...(standing.expiresAt ? [standing.expiresAt] : [])].sort();
  const msLeft = ends.length > 0 ? Math.max(0, Date.parse(ends[0]) - now) : undefined;
  const warn = msLeft !== undefined && msLeft <= 60_000;

  const activate = (seatId: string, via: Via) => {
    const seat = live.seat(seatId);
    if (!seat) return;
    // A whole arena fitted to a laptop has seats of 2 px: a click zooms to the zone first.
    if (via === 'mouse' && zoomFirst(view.current, geometry, seat, via)) return setPreview(seatId);
    if (via === 'touch') {
      // Fitted to a phone's width the seats are small: a tap zooms to the zone first.
      if ((view.current?.seatPx ?? MIN_TAP_PX) < MIN_TAP_PX) {
        const zone = geometry.zones.find((z) => z.id === seat.zoneId);
        if (zone) view.current?.zoomTo(zone, { minSeatPx: OPENING_SEAT_PX, at: seat });
        tapped.current = seatId;
        setPreview(seatId);
        return;
      }
      // First tap: see the zone, row and price. A second tap (or the Hold button) holds. A tap also focuses and
      // "hovers" the seat, which preview it: only taps count here.
      if (tapped.current !== seatId) {
        tapped.current = seatId;
        return setPreview(seatId);
      }
    }
    setPreview(seatId);
    picker.toggle(seatId);
  };

  const previewSeat = preview ? live.seat(preview) : undefined;
  const previewLook = previewSeat ? lookOf(previewSeat) : undefined;

  return (
    <section class="show-page" aria-labelledby="show-title">
      {heading}
      <ShowFacts show={show} map={map} t={t} lang={lang} money={money} zoneIndex={zoneIndex} />

      <div class="show-layout">
        <div class="map-column">
          <div class="seat-info" data-testid="seat-info" aria-live="polite">
            {previewSeat && previewLook ? (
              <SeatFacts seat={previewSeat} look={previewLook} t={t} zone={zoneName(previewSeat.zoneId)} price={money(price(previewSeat))} />
            ) : (
              <span class="muted">{t(matchMedia('(pointer: coarse)').matches ? 'tapHint' : 'hoverHint')}</span>
            )}
          </div>
          <ul class="legend" aria-label={t('legend')} data-testid="legend">
            {PICK_LOOKS.map((look) => (
              <li key={look}>
                <SeatSwatch look={look} />
                {t(look)}
              </li>
            ))}
          </ul>
          <MapViewport
            geometry={geometry}
            disabled={offline}
            labels={{ zoomIn: t('zoomIn'), zoomOut: t('zoomOut'), fit: t('zoomFit'), region: t('zoomControls') }}
            onView={(v) => (view.current = v)}
            opening={{ minSeatPx: OPENING_SEAT_PX, focus: () => openingZone(geometry, live.seats(), lookOf) ?? geometry.view }}
            toolbar={
              <label class="zone-zoom">
                {t('zoomTo')}
                <select
                  data-testid="zoom-zone"
                  value=""
                  onChange={(e) => {
                    const zone = geometry.zones.find((z) => z.id === e.currentTarget.value);
                    if (zone) zoomToZone(view.current, zone);
                    e.currentTarget.value = '';
                  }}
                >
                  <option value="">{t('chooseZone')}</option>
                  {map.zones.map((z) => (
                    <option key={z.id} value={z.id}>
                      {zoneName(z.id)} · {money(z.price)}
                    </option>
                  ))}
                </select>
              </label>
            }
          >
            <SeatMapView
              map={map}
              geometry={geometry}
              seats={live.seats()}
              lookOf={lookOf}
              labelOf={labelOf}
              zoneName={zoneName}
              zoneIndex={zoneIndex}
              ringLabel={t('ring')}
              label={t('mapLabel', { venue: venueName(lang, map.venue) })}
              hint={t('mapHint')}
              disabled={offline}
              onActivate={activate}
              onInspect={(id) => id && setPreview(id)}
              onLeave={() => basketHeading.current?.focus()}
              onFocusSeat={(seat) => revealFocused(view.current, geometry, seat)}
            />
          </MapViewport>
        </div>

        <aside class="card basket" aria-labelledby="basket-title" data-testid="basket">
          {/* on a laptop the basket fits the screen: this part scrolls, the footer (countdown, total, Book) stays under it */}
          <div class="basket-scroll">
            <BestAvailable showDate={showDate} zones={live.map.zones} max={10} session={session} disabled={offline} onNeedSignIn={() => setSignInOpen(true)} onHeld={(ids) => revealSeat(live, geometry, view.current, ids[0])} />
            {standing.area && <StandingSteppers picker={picker} pick={standing} t={t} money={money} lang={lang} disabled={offline} />}
            <h2 id="basket-title" ref={basketHeading} tabIndex={-1}>
              {t('yourSeats')}
            </h2>
            {picked.length > 0 && (
              <div class="notice picked-notice" data-testid="picked-not-held">
                <p>{t('pickedToHold', { n: picked.length })}: {picked.join(', ')}</p>
                <button type="button" class="primary" data-testid="sign-in-to-hold" onClick={() => setSignInOpen(true)}>
                  {signInToHold}
                </button>
              </div>
            )}
            {items === 0 ? (
              picked.length === 0 && <p class="muted">{t('noSeatsYet')}</p>
            ) : (
              <>
                <ul class="held-list">
                  {[...held]
                    .sort((a, b) => a.seatId.localeCompare(b.seatId, undefined, { numeric: true }))
                    .map((h) => (
                      <li key={h.seatId} data-testid="my-seat" data-seat-id={h.seatId}>
                        <span>
                          <strong>
                            {t('seat')} {h.seatId}
                          </strong>
                          <span class="muted held-zone">
                            {zoneName(h.zoneId)} · {t('row')} {h.row} · {money(h.price)}
                          </span>
                        </span>
                        <button
                          type="button"
                          class="small"
                          data-testid="release-seat"
                          aria-label={t('releaseSeatLabel', { seat: h.seatId })}
                          disabled={picker.look(h.seatId) !== 'mine'}
                          onClick={() => picker.release([h.seatId])}
                        >
                          {t('release')}
                        </button>
                      </li>
                    ))}
                  {standing.lines.map((l) => (
                    <li key={l.type} data-testid="my-standing" data-type={l.type}>
                      <span>
                        <strong>{t('standingLine', { type: t(l.type === 'adult' ? 'standingAdultLabel' : 'standingChildLabel'), n: l.quantity })}</strong>
                        <span class="muted held-zone">{t('standingEach', { price: money(l.price) })} · {money(l.price * l.quantity)}</span>
                      </span>
                    </li>
                  ))}
                </ul>
                <button type="button" class="secondary" data-testid="release-all" onClick={() => void picker.releaseAll()}>
                  {t('releaseAll')}
                </button>
              </>
            )}
            <p class="muted small-print">{t('maxSeats')}</p>
          </div>
          {items > 0 && (
            <div class="basket-footer" data-testid="basket-footer">
              <p class={`countdown${warn ? ' countdown-warn' : ''}`} data-testid="lock-countdown" role="timer" aria-live="off">
                {t('heldFor', { t: formatCountdown(msLeft ?? 0) })}
              </p>
              <p class="total">
                {t('total')}: <strong data-testid="basket-total">{money(total)}</strong>
              </p>
              <OrderForm
                showDate={showDate}
                seatIds={held.map((h) => h.seatId)}
                standing={standing.held}
                ready={picker.settled}
                defaultName={user?.name ?? ''}
                session={session}
              />
            </div>
          )}
        </aside>
      </div>

      <div class="sticky-bar" data-testid="sticky-bar" ref={stickyBar}>
        {previewSeat && previewLook && previewLook !== 'mine' && previewLook !== 'pending' ? (
          <div class="sticky-preview" data-testid="seat-preview">
            <SeatFacts seat={previewSeat} look={previewLook} t={t} zone={zoneName(previewSeat.zoneId)} price={money(price(previewSeat))} />
            <div class="sticky-actions">
              <button type="button" class="secondary small" onClick={() => ((tapped.current = undefined), setPreview(undefined))} aria-label={t('close')}>
                ×
              </button>
              {previewLook === 'available' && (
                <button type="button" class="primary" data-testid="preview-hold" disabled={offline} onClick={() => picker.toggle(previewSeat.id)}>
                  {t('holdSeat', { seat: previewSeat.id })}
                </button>
              )}
            </div>
          </div>
        ) : (
          <div class="sticky-summary">
            {items === 0 && picked.length === 0 && <span class="muted bar-hint">{t('tapHint')}</span>}
            {items > 0 && (
              <span data-testid="bar-count">
                {standingHeld > 0 ? t('ticketCount', { n: items }) : items === 1 ? t('seatCountOne') : t('seatCount', { n: items })}
              </span>
            )}
            {items > 0 && <strong data-testid="bar-total">{money(total)}</strong>}
            {msLeft !== undefined && (
              <span class={`bar-countdown${warn ? ' countdown-warn' : ''}`} data-testid="bar-countdown" role="timer" aria-live="off">
                {formatCountdown(msLeft)}
              </span>
            )}
            {picked.length > 0 && items === 0 ? (
              <button type="button" class="primary" data-testid="bar-sign-in" onClick={() => setSignInOpen(true)}>
                {signInToHold}
              </button>
            ) : items > 0 && (
              <button
                type="button"
                class="primary"
                data-testid="bar-book"
                disabled={items === 0 || !picker.settled}
                onClick={() => {
                  // the same details step as on a desktop: the order form (name, phone, Book n seats), not an order at once
                  const form = document.querySelector<HTMLFormElement>('[data-testid="order-form"]');
                  form?.scrollIntoView({ block: 'center' });
                  form?.querySelector<HTMLInputElement>('[data-testid="customer-name"]')?.focus({ preventScroll: true });
                }}
              >
                {t('book')}
              </button>
            )}
          </div>
        )}
      </div>

      {signInOpen && (
        <SignInDialog
          session={session}
          onClose={() => setSignInOpen(false)}
          onSignedIn={(u) => {
            session.signedIn(u);
            setSignInOpen(false);
            void picker.resume();
          }}
        />
      )}
    </section>
  );
}

const geometryCache = new WeakMap<SeatMap, ReturnType<typeof layout>>();
/** The drawing's geometry, computed once per snapshot. */
/** Brings a seat into view on the map (after best-available chose it). */
function revealSeat(live: ShowLive, geometry: Geometry, view: MapView | undefined, seatId: string | undefined): void {
  const seat = seatId ? live.seat(seatId) : undefined;
  if (seat) view?.reveal(seat.x, seat.y, geometry.zones.find((z) => z.id === seat.zoneId));
}

/** How many rows from a zone's front (next to the ring) count as its front rows when a phone's map opens. */
const FRONT_ROWS = 5;

/**
 * Where a phone's zoomed-in map opens: among the zones with free seats in their front rows (at least a quarter of
 * the best zone's count), the one nearest the ring, then the one with more of them; its front rows are shown
 * (MapViewport keeps its `front` in view, the canvas keeps its name in view). None free: undefined.
 */
function openingZone(geometry: Geometry, seats: LiveSeat[], lookOf: (seat: LiveSeat) => PickLook): Geometry['zones'][number] | undefined {
  const zones = new Map(geometry.zones.map((z) => [z.id, z]));
  const free = new Map<string, number>();
  const reach = geometry.pitch * (FRONT_ROWS - 0.5);
  for (const seat of seats) {
    const z = zones.get(seat.zoneId);
    if (!z || lookOf(seat) !== 'available') continue;
    // distance from the front edge across the rows: the front point is on the box's edge facing the ring
    const across = z.front.y === z.y || z.front.y === z.y + z.height ? Math.abs(seat.y - z.front.y) : Math.abs(seat.x - z.front.x);
    if (across <= reach + geometry.pitch) free.set(z.id, (free.get(z.id) ?? 0) + 1);
  }
  const most = Math.max(0, ...free.values());
  const ringGap = (z: Geometry['zones'][number]) => Math.round(Math.hypot(z.front.x - geometry.ring.x, z.front.y - geometry.ring.y) / geometry.pitch);
  const candidates = geometry.zones.filter((z) => (free.get(z.id) ?? 0) > 0 && (free.get(z.id) ?? 0) >= most / 4);
  candidates.sort((a, b) => ringGap(a) - ringGap(b) || (free.get(b.id) ?? 0) - (free.get(a.id) ?? 0));
  return candidates[0];
}

function geometryOf(map: SeatMap) {
  let g = geometryCache.get(map);
  if (!g) geometryCache.set(map, (g = layout(map)));
  return g;
}

function SeatFacts({ seat, look, t, zone, price }: { seat: LiveSeat; look: PickLook; t: T; zone: string; price: string }) {
  return (
    <>
      <strong>
        {t('seat')} {seat.id}
      </strong>
      <span>
        {t('row')} {seat.row}
      </span>
      <span>{zone}</span>
      <span>{price}</span>
      <span class={`info-status info-${look}`}>{t(look)}</span>
    </>
  );
}

/** Show time in the venue's zone (labelled), venue, zone prices with their map colours, standing prices. */
function ShowFacts({
  show,
  map,
  t,
  lang,
  money,
  zoneIndex,
}: {
  show: ShowExtras | undefined;
  map: MapExtras;
  t: T;
  lang: 'en' | 'th';
  money(n: number): string;
  zoneIndex(id: string): number;
}) {
  const tz = map.venue.timezone ?? DEFAULT_VENUE_TZ;
  // The snapshot's standing block when the server sends it, else the show's standing prices.
  const standing: Standing | undefined =
    map.standing ??
    (show?.prices?.['standing-adult'] !== undefined ? { prices: { adult: show.prices['standing-adult'], child: show.prices['standing-child'] } } : undefined);
  return (
    <div class="show-facts" data-testid="show-facts">
      <p class="show-meta">
        {show?.startsAt && (
          <span data-testid="show-time">
            {t('startsAt', { time: formatVenueTime(lang, show.startsAt, tz) })} <span class="muted">({t('venueTime')})</span> ·{' '}
          </span>
        )}
        <span data-testid="venue-name">{venueName(lang, map.venue)}</span>
        {show && !show.salesOpen && <strong class="show-closed"> · {t('salesClosed')}</strong>}
      </p>
      <ul class="price-list" aria-label={t('prices')} data-testid="price-list">
        {map.zones.map((z) => (
          <li key={z.id} style={{ '--zone': zoneColour(zoneIndex(z.id)) }}>
            <span class="zone-swatch" aria-hidden="true" />
            {z.names?.[lang] ?? z.name} <strong>{money(z.price)}</strong>
          </li>
        ))}
        {standing?.prices && (
          <li class="standing-price" data-testid="standing-price">
            <span class="zone-swatch standing-swatch" aria-hidden="true" />
            {standing.name?.[lang] ?? t('standing')}{' '}
            <strong>
              {[
                standing.prices.adult !== undefined && t('standingAdult', { price: money(standing.prices.adult) }),
                standing.prices.child !== undefined && t('standingChild', { price: money(standing.prices.child) }),
              ]
                .filter(Boolean)
                .join(' · ')}
            </strong>
          </li>
        )}
      </ul>
    </div>
  );
}

/** The picker's notices in the user's words. */
function announce(session: PublicSession, notice: PickerNotice, live: ShowLive): void {
  const { t } = session;
  const list = (ids: string[]) => ids.join(', ');
  switch (notice.kind) {
    case 'limit':
      return session.toast(notice.seatIds.length ? t('limitReached', { max: notice.max, seats: list(notice.seatIds) }) : t('standingLimit', { max: notice.max }), 'error', 'limit');
    case 'unavailable':
      return session.toast(t(notice.status === 'BOOKED' ? 'seatSold' : notice.status === 'LOCKED' ? 'seatHeldByOther' : 'seatBlocked', { seat: notice.seatId }), 'error');
    case 'taken':
      return session.toast(t('seatsTaken', { seats: notice.seats.map((s) => `${s.seatId} (${t(s.status === 'LOCKED' ? 'locked' : s.status === 'BOOKED' ? 'booked' : 'blocked')})`).join(', ') }), 'error');
    case 'heldRest':
      return session.toast(t('heldOthers', { seats: list(notice.seatIds) }), 'info');
    case 'lost':
      return session.toast(t('lockExpired', { seats: list(notice.seatIds) }), 'info');
    case 'expiring':
      return session.toast(t('expiringSoon', { t: formatCountdown(notice.msLeft) }), 'error');
    case 'offline':
      return session.toast(t('offlineSeat'), 'error');
    case 'standingUnavailable':
      return session.toast(t('standingNotEnough', { n: notice.available }), 'error');
    case 'error':
      return session.toastError(notice.error);
    case 'needsSignIn':
      return;
    default: {
      const unhandled: never = notice;
      void unhandled;
      void live;
    }
  }
}

/** Sign-in or quick registration over the map: the picks stay where they are and are held once signed in. */
function SignInDialog({ session, onClose, onSignedIn }: { session: PublicSession; onClose(): void; onSignedIn(user: User): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    const closed = () => onClose();
    dialog?.addEventListener('close', closed);
    return () => dialog?.removeEventListener('close', closed);
  }, []);
  return (
    <dialog ref={ref} class="sign-in-dialog" data-testid="sign-in-dialog" aria-labelledby="login-title">
      <button type="button" class="dialog-close link-button" aria-label={session.t('close')} onClick={() => ref.current?.close()}>
        ×
      </button>
      <p class="muted">{session.t('signInToHoldText')}</p>
      <LoginPage lang={session.lang} t={session.t} onSignedIn={onSignedIn} embedded />
    </dialog>
  );
}

function OrderForm({
  showDate,
  seatIds,
  standing,
  ready,
  defaultName,
  session,
}: {
  showDate: string;
  seatIds: string[];
  standing: { adult: number; child: number };
  ready: boolean;
  defaultName: string;
  session: PublicSession;
}) {
  const { t } = session;
  const [name, setName] = useState(defaultName);
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  // The same order asked for again (after a failure the user retries) keeps its Idempotency-Key,
  // so if the first attempt did go through, the retry returns that order instead of failing.
  const lastAttempt = useRef<{ body: string; key: string } | undefined>(undefined);
  const items = seatIds.length + standing.adult + standing.child;
  // Signing in at the first hold happens after this form appeared: take the account's name then.
  useEffect(() => {
    if (defaultName && !name) setName(defaultName);
  }, [defaultName]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || !ready || items === 0) return;
    setBusy(true);
    const places = standing.adult + standing.child > 0 ? { standing: { adult: standing.adult, child: standing.child } } : {};
    const body = { showDate, seatIds, ...places, customerName: name.trim() || undefined, customerPhone: phone.trim() || undefined };
    const fingerprint = JSON.stringify(body);
    if (lastAttempt.current?.body !== fingerprint) lastAttempt.current = { body: fingerprint, key: randomUuid() };
    try {
      const order = await client.createOrder(body, { idempotencyKey: lastAttempt.current.key });
      navigate('order', order.id);
    } catch (err) {
      session.toastError(err);
      setBusy(false);
    }
  };

  return (
    <form class="order-form" onSubmit={submit} data-testid="order-form">
      <label>
        {t('customerName')}
        <input data-testid="customer-name" value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={100} autoComplete="name" />
      </label>
      <label>
        {t('customerPhone')}
        <input
          data-testid="customer-phone"
          type="tel"
          value={phone}
          onInput={(e) => setPhone(e.currentTarget.value)}
          pattern="[0-9+\(\) \-]{3,32}"
          autoComplete="tel"
        />
      </label>
      <button class="primary" type="submit" disabled={busy || !ready || items === 0} data-testid="book-button">
        {busy ? t('booking') : standing.adult + standing.child > 0 ? t('bookItems', { n: items }) : seatIds.length === 1 ? t('bookSeat') : t('bookSeats', { n: seatIds.length })}
      </button>
    </form>
  );
}
