/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import type { Order } from '../../../src/client/index.ts';
import { client, socket, useSession } from '../session.ts';
import { useLoad, useTick } from '../hooks.ts';
import { formatCountdown, formatMoney, formatShowDate, formatStanding, formatTime, type StringKey } from '../i18n.ts';
import { href } from '../router.ts';
import { ErrorBox, NotFoundCard, StatusBadge, isNotFound } from '../widgets.tsx';
import { payWords } from './pay.tsx';
import { TicketsLink } from './tickets.tsx';

export function OrderPage({ orderId }: { orderId: string }) {
  const session = useSession();
  const { t } = session;
  const loaded = useLoad((signal) => client.getOrder(orderId, { signal }), [orderId]);
  const [order, setOrder] = useState<Order | undefined>(undefined);
  const current = order ?? loaded.data;

  // Live status: the server tells the owner's socket when the order changes; after a reconnection we may
  // have missed that, so the order is fetched again.
  useEffect(() => {
    const refresh = () => client.getOrder(orderId).then(setOrder, () => undefined);
    const onStatus = (e: { orderId: string }) => {
      if (e.orderId === orderId) void refresh();
    };
    socket.on('order-status-changed', onStatus);
    socket.on('connect', refresh);
    return () => {
      socket.off('order-status-changed', onStatus);
      socket.off('connect', refresh);
    };
  }, [orderId]);

  if (!current && isNotFound(loaded.error)) return <OrderNotFound />;
  if (!current) return loaded.error !== undefined ? <ErrorBox error={loaded.error} onRetry={loaded.reload} /> : <p class="loading">{t('loading')}</p>;

  return (
    <section class="card order-page" aria-labelledby="order-title">
      <OrderDetails order={current} />
      <OrderRefunds order={current} />
      {current.status === 'PENDING' && (
        <p>
          <a class="button-link" href={href('pay', current.id)} data-testid="pay-now">
            {payWords(session.lang)('title')} →
          </a>
        </p>
      )}
      {current.status === 'PENDING' && (
        <CancelButton
          orderId={current.id}
          onCancelled={(o) => {
            setOrder(o);
            session.toast(t('orderCancelled'), 'success');
          }}
        />
      )}
      {(current.status === 'PAID' || (current.status === 'CANCELLED' && current.paidAt)) && (
        <p>
          <TicketsLink orderId={current.id} />
        </p>
      )}
      <p>
        <a href={href('orders')}>← {t('myOrders')}</a>
      </p>
    </section>
  );
}

/** An order link that names no order of this user (or none at all): the ways back, no pointless retry. */
export function OrderNotFound() {
  const { t } = useSession();
  return (
    <NotFoundCard title={t('orderNotFound')} text={t('orderNotFoundText')}>
      <a class="button-link" href={href('orders')} data-testid="back-to-orders">{t('myOrders')}</a>{' '}
    </NotFoundCard>
  );
}

/**
 * Everything about an order, with the payment countdown while it is PENDING. Shared with the staff page, where
 * `forStaff` leaves out what is said to the buyer ("Enjoy the fights!").
 */
export function OrderDetails({ order, forStaff = false }: { order: Order; forStaff?: boolean }) {
  const { t, lang } = useSession();
  const now = useTick(1000, order.status === 'PENDING');
  const msLeft = Date.parse(order.expiresAt) - now;
  return (
    <div class="order-details" data-testid="order-details" data-order-id={order.id}>
      <h1 id="order-title">
        {t('order')} <StatusBadge status={order.status} />
      </h1>
      <dl class="facts">
        <dt>{t('orderCode')}</dt>
        <dd>
          <strong class="order-code" data-testid="order-code">{order.code}</strong>
        </dd>
        <dt>{t('showDate')}</dt>
        <dd>{formatShowDate(lang, order.showDate)}</dd>
        <dt>{t('seats')}</dt>
        <dd data-testid="order-seats">{order.seats.map((s) => s.seatId).join(', ') || '—'}</dd>
        {order.standing?.length > 0 && (
          <>
            <dt>{t('standingTicket')}</dt>
            <dd data-testid="order-standing">{formatStanding(t, order.standing)}</dd>
          </>
        )}
        <dt>{t('total')}</dt>
        <dd data-testid="order-total">{formatMoney(lang, order.total, order.currency)}</dd>
        {order.customerName && (
          <>
            <dt>{t('customer')}</dt>
            <dd>
              {order.customerName}
              {order.customerPhone ? ` · ${order.customerPhone}` : ''}
            </dd>
          </>
        )}
      </dl>
      {order.status === 'PENDING' && (
        <p class="deadline" data-testid="payment-deadline" role="timer">
          {msLeft > 0 ? t('payBy', { time: formatTime(lang, order.expiresAt), left: formatCountdown(msLeft) }) : t('paymentExpired')}
        </p>
      )}
      {order.status === 'PAID' && (
        <p class="notice notice-success">
          {!forStaff && t('orderPaid')} {order.paidAt && <span class={forStaff ? undefined : 'muted'}>{t('paidAt', { time: formatTime(lang, order.paidAt) })}</span>}
        </p>
      )}
      {order.status === 'CANCELLED' && (
        <p class="notice">
          {order.cancelReason ? t('cancelledBecause', { reason: t(`reason_${order.cancelReason}` as StringKey) }) : t('CANCELLED')}
          {order.refundDue && (
            <span class="refund" data-testid="refund-explained">
              <strong> {t('refundDue')}.</strong> {t('refundExplain', { amount: formatMoney(lang, order.total, order.currency), code: order.code })}
            </span>
          )}
        </p>
      )}
    </div>
  );
}

/** The buyer's view of the money given back: each refund with its amount, method, status and time (nothing without refunds). */
export function OrderRefunds({ order }: { order: Order }) {
  const { t, lang } = useSession();
  if (order.refunds.length === 0) return null;
  return (
    <section class="order-refunds" aria-labelledby="order-refunds-title" data-testid="order-refunds">
      <h2 id="order-refunds-title">{t('refundsTitle')}</h2>
      <ul class="refund-list">
        {order.refunds.map((r) => (
          <li key={r.id} data-testid="order-refund" data-status={r.status} class={`refund-item refund-${r.status.toLowerCase()}`}>
            <strong>{t('refundLine', { amount: formatMoney(lang, r.amount, r.currency), method: t(r.method) })}</strong>
            <span class="refund-status">
              {t(`refund_${r.status}`)}
              {r.status === 'DONE' && r.completedAt ? ` · ${formatTime(lang, r.completedAt)}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Cancelling asks once more inline (no browser dialog), then calls the API. `reason`: sent with the cancel; with
 * `askReason` (staff) the confirm step has a reason field, `reason` being what is sent when it is left empty.
 */
export function CancelButton({ orderId, onCancelled, reason, askReason = false }: { orderId: string; onCancelled(order: Order): void; reason?: string; askReason?: boolean }) {
  const session = useSession();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [typed, setTyped] = useState('');
  const sent = typed.trim() || reason;
  if (!confirming) {
    return (
      <button type="button" class="danger" data-testid="cancel-order" onClick={() => setConfirming(true)}>
        {session.t('cancelOrder')}
      </button>
    );
  }
  return (
    <div class="confirm" role="group">
      <span>{session.t('confirmCancel')}</span>
      {askReason && (
        <label>
          {session.t('cancelReasonLabel')}
          <input data-testid="cancel-order-reason" maxLength={500} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
        </label>
      )}
      <button
        type="button"
        class="danger"
        data-testid="confirm-cancel"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            onCancelled(await client.cancelOrder(orderId, sent ? { reason: sent } : {}));
          } catch (err) {
            session.toastError(err);
          } finally {
            setBusy(false);
            setConfirming(false);
          }
        }}
      >
        {session.t('cancelOrder')}
      </button>
      <button type="button" class="secondary" onClick={() => setConfirming(false)}>
        {session.t('back')}
      </button>
    </div>
  );
}
