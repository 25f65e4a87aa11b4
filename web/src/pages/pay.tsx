/** @jsxImportSource preact */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Stripe, StripeCardElement, StripeElements } from '@stripe/stripe-js';
import type { Lang, OnlineMethod, Order, Payment, PaymentMethods, Slip } from '../../../src/client/index.ts';
import { client, errorText, socket, useSession } from '../session.ts';
import { loadStripeJs } from '../stripe.ts';
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
  choose: { en: 'How would you like to pay?', th: 'ต้องการชำระเงินด้วยวิธีใด' },
  promptpay: { en: 'PromptPay QR (any Thai banking app)', th: 'QR พร้อมเพย์ (แอปธนาคารไทยใดก็ได้)' },
  card: { en: 'Credit or debit card', th: 'บัตรเครดิตหรือบัตรเดบิต' },
  cardHelp: {
    en: 'Your card details go straight to our payment provider, Stripe; we never see them.',
    th: 'ข้อมูลบัตรของคุณส่งตรงไปยัง Stripe ผู้ให้บริการชำระเงิน เราไม่เห็นข้อมูลบัตรของคุณ',
  },
  cardLabel: { en: 'Card number, expiry date and security code (CVC)', th: 'หมายเลขบัตร วันหมดอายุ และรหัสความปลอดภัย (CVC)' },
  cardLoading: { en: 'Loading the secure card form…', th: 'กำลังโหลดแบบฟอร์มบัตรที่ปลอดภัย…' },
  cardLoadFailed: {
    en: 'The card form could not be loaded. Check your connection and try again, or pay by PromptPay.',
    th: 'โหลดแบบฟอร์มบัตรไม่สำเร็จ ตรวจสอบการเชื่อมต่อแล้วลองอีกครั้ง หรือชำระด้วยพร้อมเพย์',
  },
  payAmount: { en: 'Pay {amount}', th: 'ชำระ {amount}' },
  paying: { en: 'Paying…', th: 'กำลังชำระเงิน…' },
  declined: { en: 'Your card was not charged.', th: 'ยังไม่มีการตัดเงินจากบัตรของคุณ' },
  declinedWhy: { en: 'The card could not be charged.', th: 'ไม่สามารถตัดเงินจากบัตรได้' },
  tryAgain: { en: 'Check the details and try again, or use another card.', th: 'ตรวจสอบข้อมูลแล้วลองอีกครั้ง หรือใช้บัตรใบอื่น' },
  cardSent: {
    en: 'Your bank accepted the card. Confirming your payment… this page changes by itself.',
    th: 'ธนาคารรับบัตรของคุณแล้ว กำลังยืนยันการชำระเงิน… หน้านี้จะเปลี่ยนเองเมื่อยืนยันแล้ว',
  },
  demoQr: {
    en: 'Demo QR: this server has no PromptPay account set up, so this code pays no one and moves no money. To try the rest, upload any PNG or JPEG as a slip below: staff approve it on their Slips page.',
    th: 'QR ตัวอย่าง: เซิร์ฟเวอร์นี้ยังไม่ได้ตั้งค่าบัญชีพร้อมเพย์ QR นี้จึงไม่โอนเงินไปที่ใด หากต้องการทดลองขั้นตอนถัดไป อัปโหลดรูป PNG หรือ JPEG ใดก็ได้เป็นสลิปด้านล่าง แล้วเจ้าหน้าที่อนุมัติในหน้าสลิป',
  },
  noOnline: {
    en: 'Online payment is not available. Please pay at the box office before the time runs out.',
    th: 'ยังไม่เปิดให้ชำระเงินออนไลน์ กรุณาชำระที่ช่องขายบัตรก่อนหมดเวลา',
  },
  notPayable: { en: 'This order cannot be paid any more.', th: 'คำสั่งซื้อนี้ไม่สามารถชำระเงินได้แล้ว' },
  lateRefund: { en: 'A payment arrived after the order ended and will be refunded.', th: 'มีการชำระเงินหลังคำสั่งซื้อสิ้นสุด และจะได้รับเงินคืน' },
} as const;

export const payWords = (lang: Lang) => (key: keyof typeof WORDS, params: Record<string, string> = {}) =>
  WORDS[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');

/** PAYMENT_METHOD_UNAVAILABLE: no online payment can ever work on this server, so retrying is pointless. */
function isUnavailable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'PAYMENT_METHOD_UNAVAILABLE';
}

/**
 * Whether a PromptPay payload pays the server's demo id (DEMO_PROMPTPAY_ID, all zeros: outside production
 * without PROMPTPAY_ID), i.e. EMVCo tag 29's tax-id field "0213" + thirteen zeros: such a QR moves no money.
 */
export function isDemoPromptPay(payload: string): boolean {
  return payload.includes('02130000000000000');
}

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

/** Stripe.js's look for the card Element (it draws in its own frame and cannot read the page's styles). */
const CARD_STYLE = {
  base: { fontSize: '16px', color: '#1b1f29', fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans Thai", sans-serif', '::placeholder': { color: '#5d6475' } },
  invalid: { color: '#b3261e', iconColor: '#b3261e' },
};

interface StripeParts {
  stripe: Stripe;
  elements: StripeElements;
  card: StripeCardElement;
}

/**
 * Card payment through Stripe's embedded flow: starts (or takes up again) the order's card payment for its client
 * secret, loads Stripe.js from the server's STRIPE_JS_URL, mounts a card Element, and on "Pay" calls
 * `confirmCardPayment(clientSecret, {payment_method: {card}})`. A decline shows Stripe's message and the form stays
 * usable; a success only says the bank accepted the card: the order turns PAID when the webhook has reached the
 * server (the parent page switches live), never because the browser says so.
 */
function CardPay({ orderId, amount, stripeConfig }: { orderId: string; amount: string; stripeConfig: NonNullable<PaymentMethods['stripe']> }) {
  const { lang, t } = useSession();
  const w = payWords(lang);
  const host = useRef<HTMLDivElement>(null);
  const parts = useRef<StripeParts | undefined>(undefined);
  const [payment, setPayment] = useState<Payment | undefined>(undefined);
  const [startError, setStartError] = useState<unknown>(undefined);
  const [stage, setStage] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [attempt, setAttempt] = useState(0);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [decline, setDecline] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  useEffect(() => {
    let gone = false;
    setStage('loading');
    setStartError(undefined);
    client.startPayment(orderId, 'card').then(
      (p) => !gone && setPayment(p),
      (err: unknown) => !gone && setStartError(err),
    );
    loadStripeJs(stripeConfig.jsUrl).then(
      (StripeJs) => {
        if (gone || !host.current) return;
        const stripe = StripeJs(stripeConfig.publishableKey, { locale: lang });
        const elements = stripe.elements({ locale: lang });
        const card = elements.create('card', { hidePostalCode: true, style: CARD_STYLE });
        card.on('change', (e) => setFieldError(e.error?.message));
        card.mount(host.current);
        parts.current = { stripe, elements, card };
        setStage('ready');
      },
      () => !gone && setStage('failed'),
    );
    return () => {
      gone = true;
      parts.current?.card.destroy();
      parts.current = undefined;
    };
  }, [orderId, stripeConfig.jsUrl, stripeConfig.publishableKey, attempt]);

  // Stripe's own words (placeholders, its messages) follow the page's language
  useEffect(() => {
    void parts.current?.elements.update({ locale: lang });
  }, [lang]);

  const pay = async (e: Event) => {
    e.preventDefault();
    const p = parts.current;
    if (!p || !payment?.clientSecret || busy) return;
    setBusy(true);
    setDecline(undefined);
    p.card.update({ disabled: true });
    try {
      const result = await p.stripe.confirmCardPayment(payment.clientSecret, { payment_method: { card: p.card } });
      if (result.error) setDecline(result.error.message ?? w('declinedWhy'));
      else setSent(true);
    } catch {
      // Stripe.js answers problems as {error}; anything thrown is just as much "not charged"
      setDecline(w('declinedWhy'));
    } finally {
      p.card.update({ disabled: false });
      setBusy(false);
    }
  };

  if (startError !== undefined) return <ErrorBox error={startError} onRetry={() => setAttempt((n) => n + 1)} />;
  if (sent) {
    return (
      <p class="notice" role="status" data-testid="card-sent">
        {w('cardSent')}
      </p>
    );
  }
  return (
    <form class="card-pay" onSubmit={pay} data-testid="card-pay" aria-busy={busy}>
      <p class="muted">{w('cardHelp')}</p>
      {stage === 'failed' && (
        <div class="error-box" role="alert">
          <span>{w('cardLoadFailed')}</span>
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            {t('retry')}
          </button>
        </div>
      )}
      {stage === 'loading' && <p class="loading">{w('cardLoading')}</p>}
      <div role="group" aria-label={w('cardLabel')} hidden={stage === 'failed'}>
        <div class="card-element" ref={host} data-testid="card-element" />
      </div>
      {fieldError && (
        <p class="form-error" aria-live="polite">
          {fieldError}
        </p>
      )}
      {decline && (
        <div class="error-box card-declined" role="alert" data-testid="card-error">
          <span>
            <strong>{w('declined')}</strong> {decline} {w('tryAgain')}
          </span>
        </div>
      )}
      <button type="submit" class="primary pay-button" aria-disabled={busy || stage !== 'ready' || !payment} data-testid="card-pay-button">
        {busy ? w('paying') : w('payAmount', { amount })}
      </button>
    </form>
  );
}

/**
 * #/pay/:orderId — the buyer pays a PENDING order: by PromptPay QR for the exact amount (the default; Stripe's QR
 * with a provider) or, when the server offers it, by card in Stripe's embedded form; one countdown (the order's
 * deadline, which a payment extends), slip upload for transfers, and a live switch to PAID when the server says so
 * (payment-status-changed / order-status-changed, refetched after a reconnection).
 */
export function PayPage({ orderId }: { orderId: string }) {
  const session = useSession();
  const { lang, t } = session;
  const w = payWords(lang);
  const loaded = useLoad((signal) => client.getOrder(orderId, { signal }), [orderId]);
  const offer = useLoad((signal) => client.paymentMethods({ signal }), []);
  const [order, setOrder] = useState<Order | undefined>(undefined);
  const [choice, setChoice] = useState<OnlineMethod | undefined>(undefined);
  const [payment, setPayment] = useState<Payment | undefined>(undefined);
  const [payError, setPayError] = useState<unknown>(undefined);
  const [slips, setSlips] = useState<Slip[]>([]);
  const [busy, setBusy] = useState(false);
  const [png, setPng] = useState<string | undefined>(undefined);
  const current = order ?? loaded.data;
  const pending = current?.status === 'PENDING';
  const now = useTick(1000, pending);
  // what this server offers; if that cannot be read, PromptPay is tried as before (its own answer then tells)
  const methods: OnlineMethod[] | undefined = offer.data ? offer.data.methods.filter((m) => m === 'promptpay' || offer.data?.stripe) : offer.error !== undefined ? ['promptpay'] : undefined;
  const method = choice && methods?.includes(choice) ? choice : methods?.[0];

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
    if (!pending || payment || method !== 'promptpay') return;
    client.startPayment(orderId, 'promptpay').then(
      (p) => {
        setPayment(p);
        void refresh().catch(() => undefined);
      },
      setPayError,
    );
  }, [orderId, pending, payment, method]);

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
      <p>
        {t('orderCode')}: <strong class="order-code" data-testid="order-code">{current.code}</strong>
      </p>
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
          {!methods && <p class="loading">{t('loading')}</p>}
          {methods?.length === 0 && <p class="notice">{w('noOnline')}</p>}
          {methods && methods.length > 1 && (
            <fieldset class="pay-methods" data-testid="pay-methods">
              <legend>{w('choose')}</legend>
              {methods.map((m) => (
                <label key={m} class={`pay-method${m === method ? ' selected' : ''}`}>
                  <input type="radio" name="pay-method" value={m} checked={m === method} onChange={() => setChoice(m)} data-testid={`method-${m}`} />
                  <span>{w(m)}</span>
                </label>
              ))}
            </fieldset>
          )}
          {method === 'card' && offer.data?.stripe && (
            <CardPay orderId={orderId} amount={formatMoney(lang, owed, current.currency)} stripeConfig={offer.data.stripe} />
          )}
          {method === 'promptpay' && (
            <>
              {payError !== undefined &&
                (isUnavailable(payError) ? (
                  <p class="notice" data-testid="no-online-pay">{w('noOnline')}</p>
                ) : (
                  <ErrorBox error={payError} onRetry={() => setPayError(undefined)} />
                ))}
              {payment?.promptpay && isDemoPromptPay(payment.promptpay.payload) && (
                <p class="notice notice-warning" data-testid="demo-qr">{w('demoQr')}</p>
              )}
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
              {payment?.promptpay && <p class="muted" aria-live="polite">{w('waiting')}</p>}
              {payment?.promptpay && <div class="slip-upload">
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
              </div>}
            </>
          )}
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
