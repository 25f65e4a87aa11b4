import type { MailKind } from './outbox.ts';

export interface MailOrder {
  code: string;
  showDate: string;
  /** the show's start (venue time zone applied by the formatter) */
  startsAt: Date;
  status: 'PENDING' | 'PAID' | 'CANCELLED';
  total: number;
  currency: string;
  customerName: string;
  /** one line per item: "Seat 343 · Row B · Left stand" */
  items: string[];
  cancelReason?: string;
  /** why it was cancelled, in staff's words (a cancelled show's reason) */
  cancelNote?: string;
  refundDue: boolean;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const money = (amount: number, currency: string, lang: 'en' | 'th') =>
  new Intl.NumberFormat(lang === 'th' ? 'th-TH' : 'en-GB', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);

const when = (at: Date, timeZone: string, lang: 'en' | 'th') =>
  new Intl.DateTimeFormat(lang === 'th' ? 'th-TH' : 'en-GB', { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(at);

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const TEXT = {
  en: {
    hello: (name: string) => `Hello ${name},`,
    paidSubject: (code: string) => `Your tickets: order ${code}`,
    paid: 'Your payment was received. Your tickets are attached as a PDF, one per page: show the QR code at the door (on your phone or printed). Each ticket lets one person in, once.',
    cancelledSubject: (code: string) => `Order ${code} cancelled`,
    cancelled: 'Your order has been cancelled and its tickets no longer get in.',
    expired: 'Your order was cancelled because the payment did not arrive in time. The seats are on sale again.',
    showCancelledSubject: (code: string) => `Show cancelled: order ${code}`,
    showCancelled: 'We are sorry: this show has been cancelled, so your order is cancelled and its tickets no longer get in.',
    showCancelledWhy: (note: string) => `Reason: ${note}`,
    refundDue: 'You paid for this order: the money will be refunded to you.',
    refundedSubject: (code: string) => `Refund for order ${code}`,
    refunded: (amount: string) => `We have refunded ${amount} for this order.`,
    order: 'Order code',
    show: 'Show',
    items: 'Tickets',
    total: 'Total',
    bye: 'See you at the fights!',
    questions: 'Questions? Ask at the box office and give your order code.',
  },
  th: {
    hello: (name: string) => `เรียน คุณ${name}`,
    paidSubject: (code: string) => `บัตรของคุณ: คำสั่งซื้อ ${code}`,
    paid: 'เราได้รับการชำระเงินแล้ว บัตรของคุณแนบมาเป็นไฟล์ PDF หน้าละหนึ่งใบ กรุณาแสดงคิวอาร์โค้ดที่ทางเข้า (บนโทรศัพท์หรือพิมพ์ออกมา) บัตรหนึ่งใบเข้าได้หนึ่งคน หนึ่งครั้ง',
    cancelledSubject: (code: string) => `ยกเลิกคำสั่งซื้อ ${code} แล้ว`,
    cancelled: 'คำสั่งซื้อของคุณถูกยกเลิกแล้ว บัตรของคำสั่งซื้อนี้ใช้เข้างานไม่ได้อีก',
    expired: 'คำสั่งซื้อของคุณถูกยกเลิกเพราะไม่ได้ชำระเงินภายในเวลาที่กำหนด ที่นั่งถูกเปิดขายอีกครั้ง',
    showCancelledSubject: (code: string) => `ยกเลิกการแข่งขัน: คำสั่งซื้อ ${code}`,
    showCancelled: 'ขออภัย การแข่งขันรอบนี้ถูกยกเลิก คำสั่งซื้อของคุณจึงถูกยกเลิก และบัตรใช้เข้างานไม่ได้อีก',
    showCancelledWhy: (note: string) => `สาเหตุ: ${note}`,
    refundDue: 'คุณได้ชำระเงินสำหรับคำสั่งซื้อนี้แล้ว เราจะคืนเงินให้คุณ',
    refundedSubject: (code: string) => `คืนเงินคำสั่งซื้อ ${code}`,
    refunded: (amount: string) => `เราได้คืนเงิน ${amount} สำหรับคำสั่งซื้อนี้แล้ว`,
    order: 'รหัสคำสั่งซื้อ',
    show: 'รอบการแข่งขัน',
    items: 'บัตร',
    total: 'ยอดรวม',
    bye: 'แล้วพบกันที่สนาม',
    questions: 'มีคำถาม? ติดต่อช่องขายบัตรพร้อมแจ้งรหัสคำสั่งซื้อ',
  },
} as const;

/**
 * The mail of one outbox row, in the buyer's language: subject, plain text and the same as simple HTML.
 * `payload.amount` is the refunded amount of an order-refunded mail.
 */
export function renderMail(kind: MailKind, o: MailOrder, lang: 'en' | 'th', venue: string, timeZone: string, payload: Record<string, unknown>): RenderedMail {
  const t = TEXT[lang];
  let subject: string;
  const lead: string[] = [];
  if (kind === 'order-paid') {
    subject = t.paidSubject(o.code);
    lead.push(t.paid);
  } else if (kind === 'order-cancelled' && o.cancelReason === 'SHOW_CANCELLED') {
    subject = t.showCancelledSubject(o.code);
    lead.push(t.showCancelled);
    if (o.cancelNote) lead.push(t.showCancelledWhy(o.cancelNote));
    if (o.refundDue) lead.push(t.refundDue);
  } else if (kind === 'order-cancelled') {
    subject = t.cancelledSubject(o.code);
    lead.push(o.cancelReason === 'EXPIRED' ? t.expired : t.cancelled);
    if (o.refundDue) lead.push(t.refundDue);
  } else {
    subject = t.refundedSubject(o.code);
    lead.push(t.refunded(money(Number(payload.amount ?? o.total), o.currency, lang)));
  }
  const facts: [string, string][] = [
    [t.order, o.code],
    [t.show, `${venue}, ${when(o.startsAt, timeZone, lang)}`],
    [t.items, o.items.join('\n')],
    [t.total, money(o.total, o.currency, lang)],
  ];
  // only a buyer with tickets is seen at the fights; a cancel or refund notice closes with where to ask
  const closing = kind === 'order-paid' ? t.bye : t.questions;
  const text = [t.hello(o.customerName), '', ...lead, '', ...facts.map(([k, v]) => `${k}: ${v.replace(/\n/g, '\n  ')}`), '', closing, ''].join('\n');
  const html = [
    `<p>${escape(t.hello(o.customerName))}</p>`,
    ...lead.map((l) => `<p>${escape(l)}</p>`),
    '<table cellpadding="4">',
    ...facts.map(([k, v]) => `<tr><th align="left" valign="top">${escape(k)}</th><td>${escape(v).replace(/\n/g, '<br>')}</td></tr>`),
    '</table>',
    `<p>${escape(closing)}</p>`,
  ].join('\n');
  return { subject, text, html };
}
