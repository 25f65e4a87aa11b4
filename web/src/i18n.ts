import type { Lang } from '../../src/client/index.ts';

/** Every UI string in both languages. Server error messages arrive already translated (Accept-Language). */
const STRINGS = {
  appName: { en: 'boxoffice', th: 'boxoffice' },
  shows: { en: 'Shows', th: 'รอบการแข่งขัน' },
  myOrders: { en: 'My orders', th: 'คำสั่งซื้อของฉัน' },
  staff: { en: 'Staff', th: 'พนักงาน' },
  admin: { en: 'Admin', th: 'ผู้ดูแลระบบ' },
  signOut: { en: 'Sign out', th: 'ออกจากระบบ' },
  signIn: { en: 'Sign in', th: 'เข้าสู่ระบบ' },
  register: { en: 'Create account', th: 'สมัครสมาชิก' },
  email: { en: 'Email', th: 'อีเมล' },
  password: { en: 'Password', th: 'รหัสผ่าน' },
  name: { en: 'Name', th: 'ชื่อ' },
  haveAccount: { en: 'Already have an account? Sign in', th: 'มีบัญชีแล้ว? เข้าสู่ระบบ' },
  noAccount: { en: 'New here? Create an account', th: 'ยังไม่มีบัญชี? สมัครสมาชิก' },
  passwordHint: { en: 'At least 8 characters', th: 'อย่างน้อย 8 ตัวอักษร' },
  offline: { en: 'You are offline. Seat changes will appear when the connection returns.', th: 'ขาดการเชื่อมต่อ ที่นั่งจะอัปเดตเมื่อกลับมาออนไลน์' },
  loading: { en: 'Loading…', th: 'กำลังโหลด…' },
  retry: { en: 'Try again', th: 'ลองอีกครั้ง' },
  noShows: { en: 'No shows on sale yet.', th: 'ยังไม่มีรอบที่เปิดขาย' },
  seatsLeft: { en: '{n} seats left', th: 'เหลือ {n} ที่นั่ง' },
  salesClosed: { en: 'Sales closed', th: 'ปิดการขาย' },
  legend: { en: 'Legend', th: 'สัญลักษณ์' },
  available: { en: 'Available', th: 'ว่าง' },
  mine: { en: 'Your hold', th: 'ที่นั่งที่คุณจอง' },
  pending: { en: 'Selecting…', th: 'กำลังเลือก…' },
  locked: { en: 'Held by someone else', th: 'มีผู้อื่นกำลังจอง' },
  booked: { en: 'Sold', th: 'ขายแล้ว' },
  blocked: { en: 'Not for sale', th: 'ไม่เปิดขาย' },
  ring: { en: 'RING', th: 'เวที' },
  seat: { en: 'Seat', th: 'ที่นั่ง' },
  row: { en: 'Row', th: 'แถว' },
  hoverHint: { en: 'Tap or hover a seat to see its zone and price. Click to hold it.', th: 'แตะหรือชี้ที่นั่งเพื่อดูโซนและราคา คลิกเพื่อจอง' },
  yourSeats: { en: 'Your seats', th: 'ที่นั่งของคุณ' },
  noSeatsYet: { en: 'No seats held. Pick seats on the map.', th: 'ยังไม่ได้เลือกที่นั่ง เลือกจากผังด้านซ้าย' },
  heldFor: { en: 'held for {t}', th: 'จองไว้อีก {t}' },
  release: { en: 'Release', th: 'ยกเลิก' },
  releaseAll: { en: 'Release all', th: 'ยกเลิกทั้งหมด' },
  total: { en: 'Total', th: 'รวม' },
  customerName: { en: 'Name on the tickets', th: 'ชื่อผู้ซื้อ' },
  customerPhone: { en: 'Phone', th: 'เบอร์โทรศัพท์' },
  bookSeats: { en: 'Book {n} seats', th: 'ยืนยันการจอง {n} ที่นั่ง' },
  bookSeat: { en: 'Book 1 seat', th: 'ยืนยันการจอง 1 ที่นั่ง' },
  booking: { en: 'Booking…', th: 'กำลังจอง…' },
  maxSeats: { en: 'Holds last 5 minutes. Up to 10 seats per person.', th: 'การจองค้างไว้ได้ 5 นาที สูงสุด 10 ที่นั่งต่อคน' },
  heldOthers: { en: 'Held the other seats: {seats}.', th: 'จองที่นั่งอื่นไว้ให้แล้ว: {seats}' },
  seatSold: { en: 'Seat {seat} is already sold.', th: 'ที่นั่ง {seat} ขายแล้ว' },
  seatBlocked: { en: 'Seat {seat} is not for sale.', th: 'ที่นั่ง {seat} ไม่เปิดขาย' },
  lockExpired: { en: 'Your hold on seat(s) {seats} ran out.', th: 'หมดเวลาจองที่นั่ง {seats}' },
  order: { en: 'Order', th: 'คำสั่งซื้อ' },
  orderId: { en: 'Order number', th: 'หมายเลขคำสั่งซื้อ' },
  status: { en: 'Status', th: 'สถานะ' },
  PENDING: { en: 'Awaiting payment', th: 'รอชำระเงิน' },
  PAID: { en: 'Paid', th: 'ชำระแล้ว' },
  CANCELLED: { en: 'Cancelled', th: 'ยกเลิกแล้ว' },
  payBy: { en: 'Pay by {time} ({left} left) at the box office or by transfer.', th: 'กรุณาชำระภายใน {time} (เหลือ {left}) ที่จุดขายตั๋วหรือโอนเงิน' },
  paymentExpired: { en: 'The payment deadline has passed.', th: 'เลยกำหนดชำระเงินแล้ว' },
  paidAt: { en: 'Paid at {time}', th: 'ชำระเมื่อ {time}' },
  cancelledBecause: { en: 'Cancelled ({reason})', th: 'ยกเลิก ({reason})' },
  cancelOrder: { en: 'Cancel order', th: 'ยกเลิกคำสั่งซื้อ' },
  confirmCancel: { en: 'Cancel this order and free its seats?', th: 'ยกเลิกคำสั่งซื้อนี้และคืนที่นั่ง?' },
  orderCancelled: { en: 'Order cancelled.', th: 'ยกเลิกคำสั่งซื้อแล้ว' },
  orderPaid: { en: 'Payment received. Enjoy the fights!', th: 'ได้รับการชำระเงินแล้ว ขอให้สนุกกับการชม!' },
  showDate: { en: 'Show', th: 'รอบ' },
  seats: { en: 'Seats', th: 'ที่นั่ง' },
  noOrders: { en: 'No orders yet.', th: 'ยังไม่มีคำสั่งซื้อ' },
  findOrder: { en: 'Find an order', th: 'ค้นหาคำสั่งซื้อ' },
  find: { en: 'Find', th: 'ค้นหา' },
  recordPayment: { en: 'Record payment', th: 'บันทึกการชำระเงิน' },
  method: { en: 'Method', th: 'วิธีชำระ' },
  cash: { en: 'Cash', th: 'เงินสด' },
  card: { en: 'Card', th: 'บัตร' },
  transfer: { en: 'Bank transfer', th: 'โอนเงิน' },
  promptpay: { en: 'PromptPay', th: 'พร้อมเพย์' },
  amount: { en: 'Amount', th: 'จำนวนเงิน' },
  reference: { en: 'Reference', th: 'เลขอ้างอิง' },
  paymentRecorded: { en: 'Payment recorded.', th: 'บันทึกการชำระเงินแล้ว' },
  pendingOrders: { en: 'Orders awaiting payment', th: 'คำสั่งซื้อที่รอชำระ' },
  customer: { en: 'Customer', th: 'ลูกค้า' },
  refundDue: { en: 'Refund due', th: 'ต้องคืนเงิน' },
  health: { en: 'Health', th: 'สถานะระบบ' },
  database: { en: 'Database', th: 'ฐานข้อมูล' },
  realtime: { en: 'Realtime', th: 'เรียลไทม์' },
  uptime: { en: 'Uptime', th: 'ระยะเวลาทำงาน' },
  version: { en: 'Version', th: 'เวอร์ชัน' },
  stats: { en: 'Statistics', th: 'สถิติ' },
  activeLocks: { en: 'Active holds', th: 'การจองที่ค้างอยู่' },
  lockConflicts: { en: 'Hold conflicts', th: 'การจองชนกัน' },
  locksExpired: { en: 'Holds expired', th: 'การจองหมดเวลา' },
  ordersExpired: { en: 'Orders expired', th: 'คำสั่งซื้อหมดเวลา' },
  sockets: { en: 'Live connections', th: 'การเชื่อมต่อสด' },
  updatedAt: { en: 'Updated {time}', th: 'อัปเดตเมื่อ {time}' },
  runCleanup: { en: 'Run expiry sweep now', th: 'ล้างการจองที่หมดเวลาทันที' },
  cleanupDone: { en: 'Released {locks} holds, cancelled {orders} orders.', th: 'ปล่อย {locks} ที่นั่ง ยกเลิก {orders} คำสั่งซื้อ' },
  openShow: { en: 'Open a new show', th: 'เปิดรอบใหม่' },
  title: { en: 'Title', th: 'ชื่อรอบ' },
  open: { en: 'Open', th: 'เปิด' },
  showOpened: { en: 'Show {date} is on sale.', th: 'เปิดขายรอบ {date} แล้ว' },
  orders: { en: 'Orders', th: 'คำสั่งซื้อ' },
  notFound: { en: 'Page not found.', th: 'ไม่พบหน้านี้' },
  back: { en: 'Back', th: 'กลับ' },
  close: { en: 'Close', th: 'ปิด' },
  language: { en: 'ภาษาไทย', th: 'English' },
  languageShort: { en: 'TH', th: 'EN' },
  zoomIn: { en: 'Zoom in', th: 'ขยาย' },
  swipeHint: { en: '← Swipe sideways for more seats →', th: '← เลื่อนซ้าย-ขวาเพื่อดูที่นั่งเพิ่มเติม →' },
  zoomOut: { en: 'Zoom out', th: 'ย่อ' },
  colAvailable: { en: 'Free', th: 'ว่าง' },
  colLocked: { en: 'Held', th: 'จองค้าง' },
  colBooked: { en: 'Sold', th: 'ขายแล้ว' },
  colBlocked: { en: 'Blocked', th: 'ปิด' },
  seatLabel: { en: 'Seat {seat}, row {row}, {zone}, {price}, {status}', th: 'ที่นั่ง {seat} แถว {row} {zone} {price} {status}' },
} as const;

export type StringKey = keyof typeof STRINGS;

export function translate(lang: Lang, key: StringKey, params: Record<string, string | number> = {}): string {
  const text: string = STRINGS[key][lang];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export type T = (key: StringKey, params?: Record<string, string | number>) => string;

export const locale = (lang: Lang) => (lang === 'th' ? 'th-TH' : 'en-GB');

export function formatMoney(lang: Lang, amount: number, currency = 'THB'): string {
  return new Intl.NumberFormat(locale(lang), { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
}

/** 29 Nov 2026 */
export function formatShortDate(lang: Lang, showDate: string): string {
  return new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${showDate}T00:00:00Z`));
}

/** A show date (YYYY-MM-DD, venue time) as words; formatted in UTC so no time zone shifts the day. */
export function formatShowDate(lang: Lang, showDate: string): string {
  return new Intl.DateTimeFormat(locale(lang), { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${showDate}T00:00:00Z`),
  );
}

export function formatTime(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(locale(lang), { hour: '2-digit', minute: '2-digit', second: '2-digit', day: 'numeric', month: 'short' }).format(new Date(iso));
}

/** 4:05 */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
