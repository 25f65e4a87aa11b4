/** @jsxImportSource preact */
import { client, useSession } from '../session.ts';
import { useLoad } from '../hooks.ts';
import { formatMoney, formatShowDate } from '../i18n.ts';
import { href } from '../router.ts';
import { ErrorBox, StatusBadge } from '../widgets.tsx';

export function MyOrdersPage() {
  const { t, lang } = useSession();
  // this page is about one's own orders, also for staff (who otherwise see everyone's)
  const orders = useLoad((signal) => client.listOrders({ limit: 50, mine: true }, { signal }), []);
  const mine = orders.data?.items;
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">{t('myOrders')}</h1>
      {orders.error !== undefined && <ErrorBox error={orders.error} onRetry={orders.reload} />}
      {mine?.length === 0 && <p class="empty">{t('noOrders')}</p>}
      <ul class="order-list">
        {mine?.map((o) => (
          <li key={o.id}>
            <a class="card order-row" href={href('order', o.id)} data-testid="order-row">
              <span>{formatShowDate(lang, o.showDate)}</span>
              <span>
                {t('seats')}: {o.seats.map((s) => s.seatId).join(', ')}
              </span>
              <span>{formatMoney(lang, o.total, o.currency)}</span>
              <StatusBadge status={o.status} />
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
