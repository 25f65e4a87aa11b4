/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import type { RefundQueue, Slip } from '../../../src/client/index.ts';
import { client, socket, useSession } from '../session.ts';
import { useLoad } from '../hooks.ts';
import { formatMoney, formatShowDate, formatTime } from '../i18n.ts';
import { href } from '../router.ts';
import { ErrorBox } from '../widgets.tsx';
import { StaffNav } from '../staff-nav.tsx';

const WORDS = {
  title: { en: 'Payments to check', th: 'การชำระเงินที่ต้องตรวจสอบ' },
  slips: { en: 'Transfer slips waiting', th: 'สลิปโอนเงินที่รอตรวจสอบ' },
  noSlips: { en: 'No slips are waiting.', th: 'ไม่มีสลิปที่รอตรวจสอบ' },
  due: { en: 'Amount due', th: 'ยอดที่ต้องชำระ' },
  approve: { en: 'Approve: money received', th: 'อนุมัติ: ได้รับเงินแล้ว' },
  reject: { en: 'Reject', th: 'ปฏิเสธ' },
  reason: { en: 'Reason (the buyer reads it)', th: 'เหตุผล (ผู้ซื้อจะเห็น)' },
  refunds: { en: 'Late payments to refund', th: 'การชำระเงินล่าช้าที่ต้องคืนเงิน' },
  noRefunds: { en: 'Nothing to refund.', th: 'ไม่มีรายการที่ต้องคืนเงิน' },
  refund: { en: 'Refund', th: 'คืนเงิน' },
  refundRef: { en: 'Reference of your transfer back', th: 'เลขอ้างอิงการโอนคืน' },
  refunded: { en: 'Refunded', th: 'คืนเงินแล้ว' },
  approved: { en: 'Slip approved.', th: 'อนุมัติสลิปแล้ว' },
  rejected: { en: 'Slip rejected.', th: 'ปฏิเสธสลิปแล้ว' },
  order: { en: 'Order', th: 'คำสั่งซื้อ' },
  sent: { en: 'Sent', th: 'ส่งเมื่อ' },
} as const;

/**
 * A slip image: fetched with the staff's token (an <img src> cannot send it) and shown as a data: URL (the
 * page's Content-Security-Policy allows images from 'self' and data: only).
 */
function SlipImage({ slip }: { slip: Slip }) {
  const [url, setUrl] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    const token = client.getToken();
    void fetch(`/api/v1/slips/${slip.id}/image`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
      .then((r) => (r.ok ? r.blob() : undefined))
      .then((b) => {
        if (!b) return;
        const reader = new FileReader();
        reader.onload = () => live && setUrl(String(reader.result));
        reader.readAsDataURL(b);
      });
    return () => {
      live = false;
    };
  }, [slip.id]);
  return url ? <img class="slip-image" src={url} alt={`slip ${slip.id.slice(0, 8)}`} style="max-width:260px;max-height:360px" data-testid="slip-image" /> : <span class="muted">…</span>;
}

/**
 * #/payments (staff, admin): slips waiting for a decision (with the image, approve or reject with a reason) and
 * late payments whose order could not be booked again (REFUND_DUE), to refund through the provider or by hand.
 */
export function StaffPaymentsPage() {
  const session = useSession();
  const { lang } = session;
  const w = (k: keyof typeof WORDS) => WORDS[k][lang];
  const slips = useLoad((signal) => client.listSlips('SUBMITTED', { signal }), []);
  const refunds = useLoad<RefundQueue>((signal) => client.refundQueue({ signal }), []);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | undefined>(undefined);

  useEffect(() => {
    const reload = () => {
      slips.reload();
      refunds.reload();
    };
    socket.on('payment-status-changed', reload);
    socket.on('order-status-changed', reload);
    const poll = setInterval(() => slips.reload(), 15_000); // new slips have no event: look again now and then
    return () => {
      socket.off('payment-status-changed', reload);
      socket.off('order-status-changed', reload);
      clearInterval(poll);
    };
  }, []);

  const act = async (id: string, fn: () => Promise<unknown>, done: string) => {
    setBusy(id);
    try {
      await fn();
      session.toast(done, 'success');
      slips.reload();
      refunds.reload();
    } catch (err) {
      session.toastError(err);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section class="staff-payments" aria-labelledby="payments-title" data-testid="staff-payments">
      <StaffNav />
      <h1 id="payments-title">{w('title')}</h1>
      <div class="card">
        <h2>{w('slips')}</h2>
        {slips.error !== undefined && <ErrorBox error={slips.error} onRetry={slips.reload} />}
        {slips.data && slips.data.length === 0 && <p class="muted">{w('noSlips')}</p>}
        <ul class="slip-list">
          {slips.data?.map((s) => (
            <li key={s.id} class="slip" data-testid="slip" data-slip-id={s.id} data-order-id={s.orderId}>
              <SlipImage slip={s} />
              <dl class="facts">
                <dt>{w('order')}</dt>
                <dd><a href={href('staff', s.orderId)}>{s.orderId.slice(0, 8)}</a> {s.customerName ?? ''} · {s.showDate ? formatShowDate(lang, s.showDate) : ''} · {s.orderStatus}</dd>
                <dt>{w('due')}</dt>
                <dd data-testid="slip-due">{formatMoney(lang, s.amountDue ?? 0, s.currency)}</dd>
                <dt>{w('sent')}</dt>
                <dd>{formatTime(lang, s.createdAt)}</dd>
              </dl>
              <div class="actions">
                <button type="button" data-testid="approve-slip" disabled={busy === s.id} onClick={() => act(s.id, () => client.approveSlip(s.id), w('approved'))}>
                  {w('approve')}
                </button>
                <label>
                  {w('reason')}{' '}
                  <input value={reasons[s.id] ?? ''} maxLength={500} onInput={(e) => setReasons({ ...reasons, [s.id]: (e.currentTarget as HTMLInputElement).value })} />
                </label>
                <button type="button" class="danger" disabled={busy === s.id || !(reasons[s.id] ?? '').trim()} onClick={() => act(s.id, () => client.rejectSlip(s.id, reasons[s.id]!.trim()), w('rejected'))}>
                  {w('reject')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      </div>
      <div class="card">
        <h2>{w('refunds')}</h2>
        {refunds.error !== undefined && <ErrorBox error={refunds.error} onRetry={refunds.reload} />}
        {refunds.data && refunds.data.items.length === 0 && <p class="muted">{w('noRefunds')}</p>}
        <ul class="refund-list">
          {refunds.data?.items.map(({ payment: p, order }) => (
            <li key={p.id} data-testid="refund-item" data-status={p.status}>
              <strong>{formatMoney(lang, p.amount, p.currency)}</strong> · {p.method} ({p.provider}) · <a href={href('staff', order.id)}>{order.id.slice(0, 8)}</a> {order.customerName ?? ''} · {order.status}
              {p.failureReason && <span class="muted"> · {p.failureReason}</span>}
              {p.status === 'REFUNDED' ? (
                <span class="badge"> {w('refunded')}</span>
              ) : (
                <span class="actions">
                  {p.provider !== 'stripe' && (
                    <input placeholder={w('refundRef')} aria-label={w('refundRef')} value={reasons[p.id] ?? ''} onInput={(e) => setReasons({ ...reasons, [p.id]: (e.currentTarget as HTMLInputElement).value })} />
                  )}
                  <button type="button" disabled={busy === p.id || (p.provider !== 'stripe' && !(reasons[p.id] ?? '').trim())} onClick={() => act(p.id, () => client.refundPayment(p.id, reasons[p.id]?.trim() || undefined), w('refunded'))}>
                    {w('refund')}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
