/** @jsxImportSource preact */
import { useEffect, useRef, useState } from 'preact/hooks';
import { BoxofficeError, ShowLive, randomUuid, type LiveSeat, type SeatState } from '../../../src/client/index.ts';
import { client, socket, useSession } from '../session.ts';
import { useTick } from '../hooks.ts';
import { formatCountdown, formatMoney, formatShowDate, type StringKey } from '../i18n.ts';
import { MapViewport, SEAT_LOOKS, SeatMapView, SeatSwatch, type SeatLook } from '../seat-map.tsx';
import { navigate } from '../router.ts';
import { ErrorBox } from '../widgets.tsx';

/** Clicks within this long of each other go to the server as one lock (or release) request. */
const BATCH_MS = 300;
/** How long a seat shows the answer of our own request before the socket event confirms it. */
const OPTIMISTIC_MS = 3_000;

const STATUS_KEY: Record<SeatState, StringKey> = { AVAILABLE: 'available', LOCKED: 'locked', BOOKED: 'booked', BLOCKED: 'blocked' };

interface Optimistic {
  look: 'mine' | 'available';
  expiresAt?: string;
  until: number;
}

export function ShowPage({ showDate }: { showDate: string }) {
  const session = useSession();
  const { t, lang, user } = session;
  const [live, setLive] = useState<ShowLive | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [, setVersion] = useState(0);
  const rerender = () => setVersion((v) => v + 1);
  const now = useTick(1000);

  // Seats picked but not yet sent, requests in flight, and answers not yet confirmed by the socket.
  const toLock = useRef(new Set<string>());
  const toRelease = useRef(new Set<string>());
  const inFlight = useRef(new Set<string>());
  const optimistic = useRef(new Map<string, Optimistic>());
  const releasedByMe = useRef(new Set<string>());
  const batchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const previouslyMine = useRef<string[]>([]);
  const [inspected, setInspected] = useState<string | undefined>(undefined);
  const sessionRef = useRef(session);
  sessionRef.current = session;

  useEffect(() => {
    const l = new ShowLive({ client, socket, showDate });
    const off = l.onChange((change) => {
      if (change.kind === 'snapshot') setLoadError(undefined);
      // Tell the user when a hold of theirs ends without them releasing it (time ran out, staff released it).
      const mine = l.mySeats();
      const lost = previouslyMine.current.filter(
        (id) => !mine.includes(id) && l.seat(id)?.status === 'AVAILABLE' && !releasedByMe.current.has(id) && !optimistic.current.has(id),
      );
      previouslyMine.current = mine;
      if (lost.length > 0) sessionRef.current.toast(sessionRef.current.t('lockExpired', { seats: lost.join(', ') }), 'info');
      rerender();
    });
    l.start().then(rerender, (err: unknown) => setLoadError(err));
    setLive(l);
    return () => {
      off();
      l.stop();
      clearTimeout(batchTimer.current);
    };
    // Only a new show restarts the live map (the session is read through sessionRef).
  }, [showDate]);

  if (!live?.ready || !live.map) {
    return loadError !== undefined ? <ErrorBox error={loadError} onRetry={() => void live?.resync()} /> : <p class="loading">{t('loading')}</p>;
  }
  const map = live.map;

  const lookOf = (seat: LiveSeat): SeatLook => {
    if (inFlight.current.has(seat.id) || toLock.current.has(seat.id) || toRelease.current.has(seat.id)) return 'pending';
    const guess = optimistic.current.get(seat.id);
    if (guess && guess.until > Date.now()) {
      const confirmed = guess.look === 'mine' ? seat.mine : !seat.mine;
      if (!confirmed) return guess.look;
    }
    if (seat.mine) return 'mine';
    return STATUS_KEY[seat.status] as SeatLook;
  };

  const zoneName = (zoneId: string) => {
    const zone = live.zone(zoneId);
    return zone ? zone.names?.[lang] ?? zone.name : zoneId;
  };
  const price = (seat: LiveSeat) => live.zone(seat.zoneId)?.price ?? 0;
  const currency = map.zones[0]?.currency ?? 'THB';
  const labelOf = (seat: LiveSeat, look: SeatLook) =>
    t('seatLabel', { seat: seat.id, row: seat.row, zone: zoneName(seat.zoneId), price: formatMoney(lang, price(seat), currency), status: t(look) });

  // ---- picking seats ---------------------------------------------------------------------------

  const scheduleFlush = () => {
    clearTimeout(batchTimer.current);
    batchTimer.current = setTimeout(() => void flush(), BATCH_MS);
  };

  const flush = async () => {
    const releases = [...toRelease.current];
    const locks = [...toLock.current];
    toRelease.current.clear();
    toLock.current.clear();
    for (const id of [...releases, ...locks]) inFlight.current.add(id);
    rerender();
    try {
      if (releases.length > 0) await release(releases);
      if (locks.length > 0) await lock(locks, true);
    } finally {
      for (const id of [...releases, ...locks]) inFlight.current.delete(id);
      rerender();
    }
  };

  const lock = async (seatIds: string[], retryRest: boolean): Promise<void> => {
    try {
      const result = await client.lockSeats({ showDate, seatIds });
      for (const id of result.seatIds) {
        releasedByMe.current.delete(id);
        optimistic.current.set(id, { look: 'mine', expiresAt: result.expiresAt, until: Date.now() + OPTIMISTIC_MS });
      }
    } catch (err) {
      if (!(err instanceof BoxofficeError) || err.code !== 'SEAT_UNAVAILABLE') return session.toastError(err);
      const taken = err.unavailableSeats;
      const list = taken.map((u) => `${u.seatId} (${t(STATUS_KEY[u.status])})`).join(', ');
      session.toast(`${err.localized(lang).replace(/[.。]\s*$/, '')}: ${list}`, 'error');
      // All or nothing on the server; the user still wants the seats that were free.
      const rest = seatIds.filter((id) => !taken.some((u) => u.seatId === id));
      if (retryRest && rest.length > 0) {
        await lock(rest, false);
        if (rest.some((id) => optimistic.current.get(id)?.look === 'mine')) session.toast(t('heldOthers', { seats: rest.join(', ') }), 'info');
      }
    }
  };

  const release = async (seatIds: string[]) => {
    for (const id of seatIds) releasedByMe.current.add(id);
    try {
      const result = await client.releaseSeats({ showDate, seatIds });
      for (const id of result.released) optimistic.current.set(id, { look: 'available', until: Date.now() + OPTIMISTIC_MS });
    } catch (err) {
      session.toastError(err);
    }
  };

  const activate = (seatId: string) => {
    const seat = live.seat(seatId);
    if (!seat || inFlight.current.has(seatId)) return;
    if (toLock.current.delete(seatId) || toRelease.current.delete(seatId)) {
      rerender(); // second click on a picked seat un-picks it
      scheduleFlush();
      return;
    }
    const look = lookOf(seat);
    if (look === 'booked') return session.toast(t('seatSold', { seat: seatId }), 'error');
    if (look === 'blocked') return session.toast(t('seatBlocked', { seat: seatId }), 'error');
    // A seat held by someone else is still asked for: the server has the last word (their hold may have just ended).
    if (look === 'mine') toRelease.current.add(seatId);
    else toLock.current.add(seatId);
    rerender();
    scheduleFlush();
  };

  const releaseAll = () => {
    clearTimeout(batchTimer.current);
    for (const id of myLocks.map((l) => l.seatId)) toRelease.current.add(id);
    toLock.current.clear();
    void flush();
  };

  // My holds: what the live map says, plus answers the socket has not confirmed yet.
  const myLocks = live.myLocks().map((l) => ({ seatId: l.seatId, expiresAt: l.expiresAt }));
  for (const [id, guess] of optimistic.current) {
    if (guess.until <= Date.now()) optimistic.current.delete(id);
    else if (guess.look === 'mine' && guess.expiresAt && !myLocks.some((l) => l.seatId === id) && !live.seat(id)?.mine) {
      myLocks.push({ seatId: id, expiresAt: guess.expiresAt });
    }
  }
  const heldSeats = myLocks
    .filter((l) => Date.parse(l.expiresAt) > now && optimistic.current.get(l.seatId)?.look !== 'available')
    .sort((a, b) => Number(a.seatId) - Number(b.seatId) || a.seatId.localeCompare(b.seatId));
  const total = heldSeats.reduce((sum, l) => sum + (live.zone(live.seat(l.seatId)?.zoneId ?? '')?.price ?? 0), 0);
  const soonest = Math.min(...heldSeats.map((l) => Date.parse(l.expiresAt)));
  const inspectedSeat = inspected ? live.seat(inspected) : undefined;

  return (
    <section class="show-page" aria-labelledby="show-title">
      <div class="show-head">
        <button type="button" class="link-button" onClick={() => navigate()}>
          ← {t('shows')}
        </button>
        <h1 id="show-title">
          {formatShowDate(lang, showDate)}
        </h1>
      </div>

      <div class="show-layout">
        <div class="map-column">
          <div class="seat-info" data-testid="seat-info" aria-live="polite">
            {inspectedSeat ? (
              <>
                <strong>
                  {t('seat')} {inspectedSeat.id}
                </strong>
                <span>
                  {t('row')} {inspectedSeat.row}
                </span>
                <span>{zoneName(inspectedSeat.zoneId)}</span>
                <span>{formatMoney(lang, price(inspectedSeat), currency)}</span>
                <span class={`info-status info-${lookOf(inspectedSeat)}`}>{t(lookOf(inspectedSeat))}</span>
              </>
            ) : (
              <span class="muted">{t('hoverHint')}</span>
            )}
          </div>
          <MapViewport
            zoomInLabel={t('zoomIn')}
            zoomOutLabel={t('zoomOut')}
            scrollHint={t('swipeHint')}
            footer={
              <ul class="legend" aria-label={t('legend')} data-testid="legend">
                {SEAT_LOOKS.map((look) => (
                  <li key={look}>
                    <SeatSwatch look={look} />
                    {t(look)}
                  </li>
                ))}
              </ul>
            }
          >
            <SeatMapView
              map={map}
              seats={live.seats()}
              lookOf={lookOf}
              labelOf={labelOf}
              zoneName={zoneName}
              ringLabel={t('ring')}
              onActivate={activate}
              onInspect={setInspected}
            />
          </MapViewport>
        </div>

        <aside class="card basket" aria-labelledby="basket-title" data-testid="basket">
          <h2 id="basket-title">{t('yourSeats')}</h2>
          {heldSeats.length === 0 ? (
            <p class="muted">{t('noSeatsYet')}</p>
          ) : (
            <>
              <p class="countdown" data-testid="lock-countdown" role="timer">
                {t('heldFor', { t: formatCountdown(soonest - now) })}
              </p>
              <ul class="held-list">
                {heldSeats.map((l) => {
                  const seat = live.seat(l.seatId);
                  return (
                    <li key={l.seatId} data-testid="my-seat" data-seat-id={l.seatId}>
                      <span>
                        <strong>
                          {t('seat')} {l.seatId}
                        </strong>
                        <span class="muted held-zone">{seat && zoneName(seat.zoneId)}</span>
                      </span>
                      <span class="muted">{formatCountdown(Date.parse(l.expiresAt) - now)}</span>
                      <button
                        type="button"
                        class="small"
                        data-testid="release-seat"
                        onClick={() => {
                          toRelease.current.add(l.seatId);
                          rerender();
                          scheduleFlush();
                        }}
                      >
                        {t('release')}
                      </button>
                    </li>
                  );
                })}
              </ul>
              <p class="total">
                {t('total')}: <strong data-testid="basket-total">{formatMoney(lang, total, currency)}</strong>
              </p>
              <button type="button" class="secondary" data-testid="release-all" onClick={releaseAll}>
                {t('releaseAll')}
              </button>
              <OrderForm showDate={showDate} seatIds={heldSeats.map((l) => l.seatId)} defaultName={user.name} />
            </>
          )}
          <p class="muted small-print">{t('maxSeats')}</p>
        </aside>
      </div>
    </section>
  );
}

function OrderForm({ showDate, seatIds, defaultName }: { showDate: string; seatIds: string[]; defaultName: string }) {
  const session = useSession();
  const { t } = session;
  const [name, setName] = useState(defaultName);
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  // The same order asked for again (after a failure the user retries) keeps its Idempotency-Key,
  // so if the first attempt did go through, the retry returns that order instead of failing.
  const lastAttempt = useRef<{ body: string; key: string } | undefined>(undefined);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const body = { showDate, seatIds, customerName: name.trim() || undefined, customerPhone: phone.trim() || undefined };
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
      <button class="primary" type="submit" disabled={busy || seatIds.length === 0} data-testid="book-button">
        {busy ? t('booking') : seatIds.length === 1 ? t('bookSeat') : t('bookSeats', { n: seatIds.length })}
      </button>
    </form>
  );
}
