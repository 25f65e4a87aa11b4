/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import type { Lang, Order, Payment, Slip } from '../../../src/client/index.ts';
import { client, errorText, socket, useSession } from '../session.ts';
import { useLoad, useTick } from '../hooks.ts';
import { formatCountdown, formatMoney, formatTime } from '../i18n.ts';
import { href } from '../router.ts';
import { ErrorBox, StatusBadge, isNotFound } from '../widgets.tsx';
import { OrderNotFound } from './order.tsx';

/** This page's words, in both languages (kept here so the shared dictionary stays as it is). */
const WORDS = {
  title: { en: 'Pay for your order', th: 'ชำระเงินสำหรับคำสั่งซื้อ' },
  amount: { en: 'Amount to pay', th: 'ยอดที่ต้องชำระ' },
  scan: {
    en: 'Scan this PromptPay QR with any Thai banking app (on another phone), or save it and open it in your banking app. The amount is filled in.',
    th: 'สแกน QR พร้อมเพย์นี้ด้วยแอปธนาคารใดก็ได้ (จากโทรศัพท์อีกเครื่อง) หรือบันทึกรูปแล้วเปิดในแอปธนาคาร ยอดเงินถูกกรอกไว้แล้ว',
  },
  save: { en: 'Save QR image (open in banking app)', th: 'บันทึกรูป QR (เปิดในแอปธนาคาร)' },
  left: { en: 'Pay by {time}: {left} left. Your seats are held until then.', th: 'ชำระภายใน {time} เหลือ {left} ที่นั่งของคุณถูกกันไว้ถึงเวลานั้น' },
  over: { en: 'The time to pay has run out.', th: 'หมดเวลาชำระเงินแล้ว' },
  waiting: { en: 'Waiting for your payment… this page changes by itself when it arrives.', th: 'กำลังรอการชำระเงิน… หน้านี้จะเปลี่ยนเองเมื่อได้รับเงิน' },
  paid: { en: 'Paid. Thank you!', th: 'ชำระเงินแล้ว ขอบคุณ!' },
  viewOrder: { en: 'View order and tickets', th: 'ดูคำสั่งซื้อและบัตร' },
  slipTitle: { en: 'Paid by transfer? Upload the slip', th: 'โอนเงินแล้ว? อัปโหลดสลิป' },
  slipHelp: { en: 'A PNG or JPEG picture of the slip, at most 2 MB. Staff check it and confirm your order.', th: 'รูปสลิป PNG หรือ JPEG ไม่เกิน 2 MB เจ้าหน้าที่จะตรวจสอบและยืนยันคำสั่งซื้อ' },
  upload: { en: 'Upload slip', th: 'อัปโหลดสลิป' },
  uploaded: { en: 'Slip sent. Staff will check it soon.', th: 'ส่งสลิปแล้ว เจ้าหน้าที่จะตรวจสอบเร็วๆ นี้' },
  SUBMITTED: { en: 'Slip waiting for staff', th: 'สลิปรอเจ้าหน้าที่ตรวจสอบ' },
  APPROVED: { en: 'Slip approved', th: 'สลิปได้รับการอนุมัติ' },
  REJECTED: { en: 'Slip rejected: {reason}', th: 'สลิปถูกปฏิเสธ: {reason}' },
  card: { en: 'Pay by card', th: 'ชำระด้วยบัตร' },
  cardHelp: { en: 'Card payment secret ready; the card form of the payment provider completes it.', th: 'พร้อมชำระด้วยบัตรผ่านผู้ให้บริการชำระเงิน' },
  notPayable: { en: 'This order cannot be paid any more.', th: 'คำสั่งซื้อนี้ไม่สามารถชำระเงินได้แล้ว' },
  lateRefund: { en: 'A payment arrived after the order ended and will be refunded.', th: 'มีการชำระเงินหลังคำสั่งซื้อสิ้นสุด และจะได้รับเงินคืน' },
} as const;

export const payWords = (lang: Lang) => (key: keyof typeof WORDS, params: Record<string, string> = {}) =>
  WORDS[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');

/** Renders an SVG QR to a PNG data URL (banking apps read pictures from the photo gallery, not SVG). */
async function svgToPng(svg: string, size = 600): Promise<string> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, size, size);
  ctx.drawImage(img, 0, 0, size, size);
  return canvas.toDataURL('image/png');
}

/**
 * #/pay/:orderId — the buyer pays a PENDING order: the PromptPay QR for the exact amount (or Stripe's), one
 * countdown (the order's deadline, which the payment extended), slip upload, and a live switch to PAID when the
 * server says so (payment-status-changed / order-status-changed, refetched after a reconnection).
 */
export function PayPage({ orderId }: { orderId: string }) {
  const session = useSession();
  const { lang, t } = session;
  const w = payWords(lang);
  const loaded = useLoad((signal) => client.getOrder(orderId, { signal }), [orderId]);
  const [order, setOrder] = useState<Order | undefined>(undefined);
  const [payment, setPayment] = useState<Payment | undefined>(undefined);
  const [payError, setPayError] = useState<unknown>(undefined);
  const [slips, setSlips] = useState<Slip[]>([]);
  const [busy, setBusy] = useState(false);
  const [png, setPng] = useState<string | undefined>(undefined);
  const current = order ?? loaded.data;
  const pending = current?.status === 'PENDING';
  const now = useTick(1000, pending);

  const refresh = async () => {
    const [o, s] = await Promise.all([client.getOrder(orderId), client.orderSlips(orderId)]);
    setOrder(o);
    setSlips(s);
  };

  useEffect(() => {
    void client.orderSlips(orderId).then(setSlips, () => undefined);
    const onEvent = (e: { orderId: string }) => {
      if (e.orderId === orderId) void refresh().catch(() => undefined);
    };
    const onConnect = () => void refresh().catch(() => undefined);
    socket.on('payment-status-changed', onEvent);
    socket.on('order-status-changed', onEvent);
    socket.on('connect', onConnect);
    return () => {
      socket.off('payment-status-changed', onEvent);
      socket.off('order-status-changed', onEvent);
      socket.off('connect', onConnect);
    };
  }, [orderId]);

  // starting the payment moves the order's deadline: fetch the order again for the one honest countdown
  useEffect(() => {
    if (!pending || payment) return;
    client.startPayment(orderId, 'promptpay').then(
      (p) => {
        setPayment(p);
        void refresh().catch(() => undefined);
      },
      setPayError,
    );
  }, [orderId, pending, payment]);

  useEffect(() => {
    if (payment?.promptpay) void svgToPng(payment.promptpay.qrSvg).then(setPng, () => undefined);
  }, [payment?.id]);

  if (!current && isNotFound(loaded.error)) return <OrderNotFound />;
  if (!current) return loaded.error !== undefined ? <ErrorBox error={loaded.error} onRetry={loaded.reload} /> : <p class="loading">{t('loading')}</p>;
  const msLeft = Date.parse(current.expiresAt) - now;
  const owed = current.total - current.amountPaid;
  const lateRefund = current.payments.some((p) => p.status === 'REFUND_DUE' || p.status === 'REFUNDED');

  const uploadSlip = async (file: File) => {
    setBusy(true);
    try {
      await client.uploadSlip(orderId, file);
      session.toast(w('uploaded'), 'success');
      await refresh();
    } catch (err) {
      session.toastError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card pay-page" aria-labelledby="pay-title" data-testid="pay-page">
      <h1 id="pay-title">
        {w('title')} <StatusBadge status={current.status} />
      </h1>
      <p class="amount">
        {w('amount')}: <strong data-testid="pay-amount">{formatMoney(lang, pending ? owed : current.total, current.currency)}</strong>
      </p>
      {current.status === 'PAID' && (
        <div class="notice notice-success" role="status" data-testid="pay-paid">
          <p>{w('paid')}</p>
          <a href={href('order', current.id)}>{w('viewOrder')}</a>
        </div>
      )}
      {current.status === 'CANCELLED' && <p class="notice">{w('notPayable')}</p>}
      {lateRefund && <p class="notice">{w('lateRefund')}</p>}
      {pending && (
        <>
          <p class="deadline" role="timer" data-testid="pay-countdown">
            {msLeft > 0 ? w('left', { time: formatTime(lang, current.expiresAt), left: formatCountdown(msLeft) }) : w('over')}
          </p>
          {payError !== undefined && <ErrorBox error={payError} onRetry={() => setPayError(undefined)} />}
          {payment?.promptpay && (
            <figure class="promptpay-qr">
              <div class="qr" role="img" aria-label="PromptPay QR" data-testid="promptpay-qr" data-payload={payment.promptpay.payload}
                dangerouslySetInnerHTML={{ __html: payment.promptpay.qrSvg }} />
              <figcaption>{w('scan')}</figcaption>
              {png && (
                <a class="button-link" href={png} download={`promptpay-${current.id.slice(0, 8)}.png`} data-testid="save-qr">
                  {w('save')}
                </a>
              )}
            </figure>
          )}
          <p class="muted" aria-live="polite">{w('waiting')}</p>
          <div class="slip-upload">
            <h2>{w('slipTitle')}</h2>
            <p class="muted">{w('slipHelp')}</p>
            <label>
              {w('upload')}{' '}
              <input
                type="file"
                accept="image/png,image/jpeg"
                data-testid="slip-input"
                disabled={busy}
                onChange={(e) => {
                  const file = (e.currentTarget as HTMLInputElement).files?.[0];
                  if (file) void uploadSlip(file);
                  (e.currentTarget as HTMLInputElement).value = '';
                }}
              />
            </label>
          </div>
        </>
      )}
      {slips.length > 0 && (
        <ul class="slips" data-testid="my-slips">
          {slips.map((s) => (
            <li key={s.id} data-status={s.status}>
              {w(s.status, { reason: s.rejectReason ?? '' })} · <span class="muted">{formatTime(lang, s.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
      {payError !== undefined && !pending && <p class="muted">{errorText(payError, lang)}</p>}
      <p>
        <a href={href('order', current.id)}>← {t('order')}</a>
      </p>
    </section>
  );
}
