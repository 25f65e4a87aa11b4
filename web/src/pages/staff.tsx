/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import type { Order } from '../../../src/client/index.ts';
import type { PaymentBody } from '../../../src/contract/index.ts';
import { client, socket, useSession } from '../session.ts';
import { useLoad } from '../hooks.ts';
import { formatMoney, formatShowDate } from '../i18n.ts';
import { href, navigate } from '../router.ts';
import { ErrorBox, StatusBadge } from '../widgets.tsx';
import { CancelButton, OrderDetails } from './order.tsx';

type Method = PaymentBody['method'];
const METHODS: Method[] = ['cash', 'card', 'transfer', 'promptpay'];

/** Box-office counter: find an order by number, take the payment, or cancel it. */
export function StaffPage({ initialOrderId }: { initialOrderId?: string }) {
  const session = useSession();
  const { t, lang } = session;
  const [query, setQuery] = useState(initialOrderId ?? '');
  const [order, setOrder] = useState<Order | undefined>(undefined);
  const [findError, setFindError] = useState<unknown>(undefined);
  const pending = useLoad((signal) => client.listOrders({ status: 'PENDING', limit: 20 }, { signal }), []);

  const find = async (id: string) => {
    setFindError(undefined);
    try {
      setOrder(await client.getOrder(id.trim()));
    } catch (err) {
      setOrder(undefined);
      setFindError(err);
    }
  };

  useEffect(() => {
    if (initialOrderId) void find(initialOrderId);
  }, [initialOrderId]);

  // Staff sockets get every order's status changes: keep the list and the open order current.
  useEffect(() => {
    const onStatus = (e: { orderId: string }) => {
      pending.reload();
      setOrder((o) => {
        if (o && o.id === e.orderId) void client.getOrder(o.id).then(setOrder, () => undefined);
        return o;
      });
    };
    socket.on('order-status-changed', onStatus);
    return () => socket.off('order-status-changed', onStatus);
  }, []);

  return (
    <section class="staff-page" aria-labelledby="staff-title">
      <h1 id="staff-title">{t('staff')}</h1>
      <p>
        <a href={href('payments')} data-testid="nav-staff-payments">{lang === 'th' ? 'สลิปและการคืนเงิน →' : 'Slips and refunds →'}</a>
      </p>
      <div class="staff-layout">
        <div class="card">
          <h2>{t('findOrder')}</h2>
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              const id = query.trim();
              // The order number goes into the address (shareable, survives a reload); that change loads it.
              if (id === initialOrderId) void find(id);
              else navigate('staff', id);
            }}
          >
            <label class="grow">
              {t('orderId')}
              <input data-testid="staff-order-id" value={query} onInput={(e) => setQuery(e.currentTarget.value)} required spellcheck={false} />
            </label>
            <button class="primary" type="submit" data-testid="staff-find">
              {t('find')}
            </button>
          </form>
          {findError !== undefined && <ErrorBox error={findError} />}
          {order && (
            <div class="staff-order">
              <OrderDetails order={order} />
              {order.status === 'PENDING' && <PaymentForm order={order} onPaid={setOrder} />}
              {order.status !== 'CANCELLED' && (
                <CancelButton
                  orderId={order.id}
                  reason="Cancelled at the box office"
                  onCancelled={(o) => {
                    setOrder(o);
                    session.toast(t('orderCancelled'), 'success');
                  }}
                />
              )}
            </div>
          )}
        </div>

        <div class="card">
          <h2>{t('pendingOrders')}</h2>
          {pending.error !== undefined && <ErrorBox error={pending.error} onRetry={pending.reload} />}
          {pending.data?.items.length === 0 && <p class="muted">{t('noOrders')}</p>}
          <ul class="pending-list">
            {pending.data?.items.map((o) => (
              <li key={o.id}>
                <button
                  type="button"
                  class="list-button"
                  data-testid="pending-order"
                  onClick={() => {
                    setQuery(o.id);
                    setOrder(o);
                  }}
                >
                  <span>{formatShowDate(lang, o.showDate)}</span>
                  <span>{o.customerName ?? '—'}</span>
                  <span>{o.seats.map((s) => s.seatId).join(', ')}</span>
                  <span>{formatMoney(lang, o.total, o.currency)}</span>
                  <StatusBadge status={o.status} />
                </button>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}

function PaymentForm({ order, onPaid }: { order: Order; onPaid(order: Order): void }) {
  const session = useSession();
  const { t } = session;
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
          const paid = await client.recordPayment(order.id, { method, amount: Number(amount), reference: reference.trim() });
          onPaid(paid);
          session.toast(t('paymentRecorded'), 'success');
        } catch (err) {
          session.toastError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2>{t('recordPayment')}</h2>
      <label>
        {t('method')}
        <select data-testid="payment-method" value={method} onChange={(e) => setMethod(e.currentTarget.value as Method)}>
          {METHODS.map((m) => (
            <option key={m} value={m}>
              {t(m)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('amount')} ({order.currency})
        <input data-testid="payment-amount" type="number" min={0} step={1} value={amount} onInput={(e) => setAmount(e.currentTarget.value)} required />
      </label>
      <label>
        {t('reference')}
        <input data-testid="payment-reference" value={reference} onInput={(e) => setReference(e.currentTarget.value)} required maxLength={100} />
      </label>
      <button class="primary" type="submit" disabled={busy} data-testid="payment-submit">
        {t('recordPayment')}
      </button>
    </form>
  );
}
