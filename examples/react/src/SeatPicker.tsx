import { useEffect, useRef, useState } from 'react';
import { BoxofficeError, randomUuid, type Lang, type Order } from 'boxoffice/client';
import { client, formatCountdown, formatPrice, seatLook, seatsByZone, toUiError, type UiError } from './boxoffice.ts';
import { useBrowserOnline, useShowLive, useShowOnSale, useTick } from './hooks.ts';

export function SeatPicker({ lang, onSignedOut }: { lang: Lang; onSignedOut: () => void }) {
  const { show, error: showError } = useShowOnSale();
  const { live, error: liveError } = useShowLive(show?.showDate);
  const browserOnline = useBrowserOnline();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<UiError>();
  const [busy, setBusy] = useState(false);
  const [order, setOrder] = useState<Order>();
  const orderKey = useRef<string | undefined>(undefined);
  useTick(1000); // countdowns

  // #region handle-error
  const handle = (err: unknown) => {
    const ui = toUiError(err, lang);
    setError(ui);
    if (ui.action === 'sign-in') onSignedOut();
    if (ui.action === 'refresh-seats') {
      // Someone else was faster: forget those seats and make sure the map shows why.
      setSelected((s) => new Set([...s].filter((id) => !ui.seatIds.includes(id))));
      void live?.resync();
    }
  };
  // #endregion

  // #region order-status
  // order-status-changed reaches the order's owner over the authenticated socket: PENDING → PAID | CANCELLED.
  useEffect(() => {
    if (!live || !order) return;
    return live.onOrderStatus((event) => {
      if (event.orderId === order.id) client.getOrder(order.id).then(setOrder, handle);
    });
  }, [live, order?.id]);
  // #endregion

  const failure = showError ?? liveError;
  if (failure && !live?.ready) return <ErrorBox error={toUiError(failure, lang)} />;
  if (show === undefined || !live?.ready) return <p>Loading the seat map…</p>;
  const showDate = show.showDate;

  // #region lock
  const lock = async () => {
    setBusy(true);
    setError(undefined);
    try {
      // All or nothing: either every selected seat is now ours for SEAT_LOCK_TTL_MS, or none is (409 SEAT_UNAVAILABLE).
      await client.lockSeats({ showDate, seatIds: [...selected] });
      setSelected(new Set());
    } catch (err) {
      handle(err);
    } finally {
      setBusy(false);
    }
  };
  // The user's holds, soonest to expire first; ShowLive counts against the server's clock.
  const myLocks = live.myLocks();
  const secondsLeft = myLocks.length > 0 ? formatCountdown(myLocks[0].msLeft) : undefined;
  // #endregion

  const release = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await client.releaseSeats({ showDate, seatIds: live.mySeats() });
    } catch (err) {
      handle(err);
    } finally {
      setBusy(false);
    }
  };

  // #region order
  const placeOrder = async () => {
    setBusy(true);
    setError(undefined);
    // One key per checkout, kept while the outcome is unknown: clicking again after a lost answer
    // returns the order the server already made instead of a second one.
    orderKey.current ??= randomUuid();
    try {
      const created = await client.createOrder(
        { showDate, seatIds: live.mySeats(), customerName: client.user?.name },
        { idempotencyKey: orderKey.current },
      );
      orderKey.current = undefined;
      setOrder(created);
    } catch (err) {
      // The server answered, so nothing was bought: the next try is a new checkout.
      if (!(err instanceof BoxofficeError && err.isNetworkError)) orderKey.current = undefined;
      handle(err);
    } finally {
      setBusy(false);
    }
  };
  // #endregion

  const toggle = (seatId: string) => {
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(seatId)) next.add(seatId);
      return next;
    });
  };

  const map = live.map!;
  const zones = seatsByZone(live.seats(), map.zones);
  return (
    <section data-testid="show" data-show-date={showDate} aria-busy={busy}>
      <h2>
        {show.title} · {showDate}
      </h2>
      {(!browserOnline || !live.online) && (
        <p className="banner" role="status" data-testid="offline-banner">
          Offline: the map catches up by itself when the connection is back.
        </p>
      )}
      {error && <ErrorBox error={error} />}

      <div className="actions">
        <button type="button" data-testid="lock-button" disabled={busy || selected.size === 0} onClick={lock}>
          Hold {selected.size} seat(s)
        </button>
        <button type="button" data-testid="release-button" disabled={busy || myLocks.length === 0} onClick={release}>
          Release my seats
        </button>
        <button type="button" data-testid="order-button" disabled={busy || myLocks.length === 0} onClick={placeOrder}>
          Order {myLocks.length} seat(s)
        </button>
        {/* #region countdown */}
        {secondsLeft && (
          <span role="timer" aria-live="off" data-testid="countdown" className="countdown">
            Held for {secondsLeft}
          </span>
        )}
        {/* #endregion */}
      </div>

      {order && (
        <div className="order" data-testid="order">
          <p>
            Order <code data-testid="order-id">{order.id}</code>:{' '}
            <strong data-testid="order-status" data-status={order.status} role="status">
              {order.status}
            </strong>
          </p>
          <p>
            Seats {order.seats.map((s) => s.seatId).join(', ')} · {formatPrice(order.total, order.currency, lang)}
            {order.status === 'PENDING' && <> · pay within {formatCountdown(Date.parse(order.expiresAt) - client.serverNow())}</>}
          </p>
        </div>
      )}

      <ul className="legend" aria-label="Legend">
        {(['available', 'selected', 'mine', 'locked', 'booked', 'blocked'] as const).map((look) => (
          <li key={look}>
            <span className="seat" data-status={look} aria-hidden="true" />
            {look}
          </li>
        ))}
      </ul>

      {zones.map(({ zone, seats }) => (
        <div key={zone.id} className="zone" role="group" aria-label={zone.names[lang]}>
          <h3>
            {zone.names[lang]} · {formatPrice(zone.price, zone.currency, lang)}
          </h3>
          <div className="seats">
            {seats.map((seat) => {
              const look = seatLook(seat, selected);
              const takeable = look === 'available' || look === 'selected';
              return (
                <button
                  key={seat.id}
                  type="button"
                  className="seat"
                  data-seat-id={seat.id}
                  data-status={look}
                  aria-pressed={look === 'selected' || look === 'mine'}
                  aria-label={`Seat ${seat.id}, row ${seat.row}, ${look}`}
                  disabled={!takeable}
                  onClick={() => toggle(seat.id)}
                >
                  {seat.id}
                </button>
              );
            })}
          </div>
        </div>
      ))}
    </section>
  );
}

function ErrorBox({ error }: { error: UiError }) {
  return (
    <p className="error" role="alert" data-testid="error" data-code={error.code}>
      {error.message}
      {error.seatIds.length > 0 && <> ({error.seatIds.join(', ')})</>}
    </p>
  );
}
