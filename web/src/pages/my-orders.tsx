/** @jsxImportSource preact */
import { client, useSession } from '../session.ts';
import { useLoad } from '../hooks.ts';
import { formatMoney, formatShowDate, formatStanding } from '../i18n.ts';
import { href } from '../router.ts';
import { ErrorBox, StatusBadge } from '../widgets.tsx';
import { savedTicketOrders } from '../ticket-store.ts';

export function MyOrdersPage() {
  const { t, lang, user } = useSession();
  // this page is about one's own orders, also for staff (who otherwise see everyone's)
  const orders = useLoad((signal) => client.listOrders({ limit: 50, mine: true }, { signal }), []);
  const mine = orders.data?.items;
  // without a network the list cannot load: the tickets saved on this device still open
  const saved = orders.error !== undefined && !mine ? savedTicketOrders(user.id) : [];
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">{t('myOrders')}</h1>
      {orders.error !== undefined && <ErrorBox error={orders.error} onRetry={orders.reload} />}
      {saved.length > 0 && (
        <div class="card saved-tickets" data-testid="saved-tickets">
          <h2>{t('savedTickets')}</h2>
          <ul class="order-list">
            {saved.map((s) => (
              <li key={s.orderId}>
                <a href={href('tickets', s.orderId)} data-testid="saved-ticket-link">
                  {formatShowDate(lang, s.showDate)} · {s.orderCode} · {s.tickets.length === 1 ? t('ticketCountOne') : t('ticketCount', { n: s.tickets.length })}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {mine?.length === 0 && <p class="empty">{t('noOrders')}</p>}
      <ul class="order-list">
        {mine?.map((o) => (
          <li key={o.id} class="order-item">
            <a class="card order-row" href={href('order', o.id)} data-testid="order-row">
              <span>{formatShowDate(lang, o.showDate)}</span>
              <span class="order-code">{o.code}</span>
              <span>
                {t('seats')}: {[o.seats.map((s) => s.seatId).join(', '), formatStanding(t, o.standing)].filter(Boolean).join(' · ')}
              </span>
              <span>{formatMoney(lang, o.total, o.currency)}</span>
              <StatusBadge status={o.status} />
            </a>
            {o.status === 'PAID' && (
              <a class="button-link order-tickets" href={href('tickets', o.id)} data-testid="order-tickets" aria-label={`${t('viewTickets')}: ${o.code}`}>
                {t('viewTickets')}
              </a>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
