import { useEffect, useRef, useState } from 'react';
import { BoxofficeError, PICK_LOOKS, randomUuid, type Lang, type Order } from 'boxoffice/client';
import { client, formatCountdown, formatPrice, noticeToUiError, seatsByZone, toUiError, type UiError } from './boxoffice.ts';
import { useBrowserOnline, useShowLive, useShowOnSale, useTick } from './hooks.ts';

export function SeatPicker({ lang, onSignedOut }: { lang: Lang; onSignedOut: () => void }) {
  const { show, error: showError } = useShowOnSale();
  const { live, picker, error: liveError } = useShowLive(show?.showDate);
  const browserOnline = useBrowserOnline();
  const [error, setError] = useState<UiError>();
  const [busy, setBusy] = useState(false);
  const [order, setOrder] = useState<Order>();
  const orderKey = useRef<string | undefined>(undefined);
  useTick(1000); // countdowns

  // #region handle-error
  const handle = (ui: UiError | undefined) => {
    setError(ui);
    if (ui?.action === 'sign-in') onSignedOut();
  };
  const handleError = (err: unknown) => handle(toUiError(err, lang));
  // #endregion

  // #region order-status
  // order-status-changed reaches the order's owner over the authenticated socket: PENDING → PAID | CANCELLED.
  useEffect(() => {
    if (!live || !order) return;
    return live.onOrderStatus((event) => {
      if (event.orderId === order.id) client.getOrder(order.id).then(setOrder, handleError);
    });
  }, [live, order?.id]);
  // #endregion

  // #region lock
  // The SDK's SeatPicker does the holding: a click picks (or releases) a seat, clicks within 300 ms go out as
  // one all-or-nothing lock, seats someone else took first are reported and the rest asked for again, and it
  // says when a hold runs out or is a minute from it. Its notices become the error line.
  useEffect(() => picker?.onNotice((notice) => handle(noticeToUiError(notice, lang))), [picker, lang]);
  // #endregion

  const failure = showError ?? liveError;
  if (failure && !live?.ready) return <ErrorBox error={toUiError(failure, lang)} />;
  if (show === undefined || !live?.ready || !picker) return <p>Loading the seat map…</p>;
  const showDate = show.showDate;
  // The user's holds (the server's answer counts before the socket confirms it), soonest to expire first;
  // msLeft is counted against the server's clock.
  const held = picker.held();
  const secondsLeft = held.length > 0 ? formatCountdown(held[0].msLeft) : undefined;

  const release = async () => {
    setError(undefined);
    await picker.releaseAll();
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
        { showDate, seatIds: held.map((h) => h.seatId), customerName: client.user?.name },
        { idempotencyKey: orderKey.current },
      );
      orderKey.current = undefined;
      setOrder(created);
    } catch (err) {
      // The server answered, so nothing was bought: the next try is a new checkout.
      if (!(err instanceof BoxofficeError && err.isNetworkError)) orderKey.current = undefined;
      handleError(err);
    } finally {
      setBusy(false);
    }
  };
  // #endregion

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
        <button type="button" data-testid="release-button" disabled={busy || held.length === 0} onClick={release}>
          Release my seats
        </button>
        <button type="button" data-testid="order-button" disabled={busy || held.length === 0 || !picker.settled} onClick={placeOrder}>
          Order {held.length} seat(s)
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
        {PICK_LOOKS.map((look) => (
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
              const look = picker.look(seat.id) ?? 'available';
              return (
                <button
                  key={seat.id}
                  type="button"
                  className="seat"
                  data-seat-id={seat.id}
                  data-status={look}
                  aria-pressed={look === 'pending' || look === 'mine'}
                  aria-label={`Seat ${seat.id}, row ${seat.row}, ${look}`}
                  disabled={!picker.canToggle(seat.id)}
                  onClick={() => picker.toggle(seat.id)}
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
