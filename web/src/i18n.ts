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
  moreShows: { en: 'More nights', th: 'รอบถัดไปเพิ่มเติม' },
  seatsLeft: { en: '{n} seats left', th: 'เหลือ {n} ที่นั่ง' },
  salesClosed: { en: 'Sales closed', th: 'ปิดการขาย' },
  showCancelled: { en: 'Cancelled', th: 'ยกเลิกการแข่งขัน' },
  legend: { en: 'Legend', th: 'สัญลักษณ์' },
  available: { en: 'Available', th: 'ว่าง' },
  mine: { en: 'Held by you', th: 'คุณกันไว้' },
  pending: { en: 'Sending…', th: 'กำลังส่ง…' },
  selected: { en: 'Picked (sign in to hold)', th: 'เลือกไว้ (เข้าสู่ระบบเพื่อกันที่นั่ง)' },
  locked: { en: 'Held by someone else', th: 'ผู้อื่นกันไว้' },
  booked: { en: 'Sold', th: 'ขายแล้ว' },
  blocked: { en: 'Not for sale', th: 'ไม่เปิดขาย' },
  ring: { en: 'RING', th: 'เวที' },
  seat: { en: 'Seat', th: 'ที่นั่ง' },
  row: { en: 'Row', th: 'แถว' },
  hoverHint: { en: 'Point at a seat to see its zone and price; click to hold it.', th: 'ชี้ที่นั่งเพื่อดูโซนและราคา คลิกเพื่อกันที่นั่ง' },
  tapHint: { en: 'Tap a seat to see its zone and price; tap it again to hold it.', th: 'แตะที่นั่งเพื่อดูโซนและราคา แตะอีกครั้งเพื่อกันที่นั่ง' },
  tapZoneHint: { en: 'Tap a zone to zoom in, then tap a seat.', th: 'แตะโซนเพื่อขยาย แล้วแตะเลือกที่นั่ง' },
  yourSeats: { en: 'Your seats', th: 'ที่นั่งของคุณ' },
  noSeatsYet: { en: 'No seats held. Pick seats on the map.', th: 'ยังไม่ได้เลือกที่นั่ง เลือกจากผังที่นั่ง' },
  heldFor: { en: 'held for {t}', th: 'กันไว้อีก {t}' },
  release: { en: 'Release', th: 'ปล่อยที่นั่ง' },
  releaseSeatLabel: { en: 'Release seat {seat}', th: 'ปล่อยที่นั่ง {seat}' },
  releaseAll: { en: 'Release all', th: 'ปล่อยที่นั่งทั้งหมด' },
  total: { en: 'Total', th: 'รวม' },
  customerName: { en: 'Name on the tickets', th: 'ชื่อผู้ซื้อ' },
  customerPhone: { en: 'Phone', th: 'เบอร์โทรศัพท์' },
  bookSeats: { en: 'Book {n} seats', th: 'ยืนยันการจอง {n} ที่นั่ง' },
  bookSeat: { en: 'Book 1 seat', th: 'ยืนยันการจอง 1 ที่นั่ง' },
  booking: { en: 'Booking…', th: 'กำลังยืนยันการจอง…' },
  maxSeats: { en: 'Holds last 5 minutes. Up to 10 seats and standing places per person.', th: 'กันที่นั่งไว้ได้ 5 นาที สูงสุด 10 ใบต่อคน (ที่นั่งและบัตรยืนรวมกัน)' },
  heldOthers: { en: 'Held the other seats: {seats}.', th: 'กันที่นั่งอื่นไว้ให้แล้ว: {seats}' },
  seatSold: { en: 'Seat {seat} is already sold.', th: 'ที่นั่ง {seat} ขายแล้ว' },
  seatBlocked: { en: 'Seat {seat} is not for sale.', th: 'ที่นั่ง {seat} ไม่เปิดขาย' },
  seatHeldByOther: { en: 'Seat {seat} is held by someone else.', th: 'ที่นั่ง {seat} มีผู้อื่นกันไว้แล้ว' },
  lockExpired: { en: 'Your hold ran out: {seats}.', th: 'หมดเวลากันที่นั่ง {seats}' },
  order: { en: 'Order', th: 'คำสั่งซื้อ' },
  orderId: { en: 'Order number', th: 'หมายเลขคำสั่งซื้อ' },
  status: { en: 'Status', th: 'สถานะ' },
  PENDING: { en: 'Awaiting payment', th: 'รอชำระเงิน' },
  PAID: { en: 'Paid', th: 'ชำระแล้ว' },
  CANCELLED: { en: 'Cancelled', th: 'ยกเลิกแล้ว' },
  payBy: { en: 'Pay by {time} ({left} left).', th: 'กรุณาชำระภายใน {time} (เหลือ {left})' },
  paymentExpired: { en: 'The payment deadline has passed.', th: 'เลยกำหนดชำระเงินแล้ว' },
  paidAt: { en: 'Paid at {time}', th: 'ชำระเมื่อ {time}' },
  cancelledBecause: { en: 'Cancelled: {reason}.', th: 'ยกเลิกแล้ว: {reason}' },
  reason_USER: { en: 'you cancelled it', th: 'คุณยกเลิกเอง' },
  reason_STAFF: { en: 'cancelled by the box office', th: 'ยกเลิกโดยเจ้าหน้าที่' },
  reason_EXPIRED: { en: 'it was not paid in time', th: 'ไม่ได้ชำระเงินภายในเวลาที่กำหนด' },
  reason_SHOW_CANCELLED: { en: 'the show was cancelled', th: 'การแข่งขันรอบนี้ถูกยกเลิก' },
  refundExplain: {
    en: 'You had paid {amount} for this order, so it is owed back to you. The box office refunds it the way you paid; keep the order code {code} for any question.',
    th: 'คุณชำระเงินสำหรับคำสั่งซื้อนี้แล้ว {amount} จึงจะได้รับเงินคืน ทางจุดขายตั๋วจะคืนเงินตามช่องทางที่คุณชำระ โปรดเก็บรหัสคำสั่งซื้อ {code} ไว้หากมีข้อสงสัย',
  },
  cancelOrder: { en: 'Cancel order', th: 'ยกเลิกคำสั่งซื้อ' },
  confirmCancel: { en: 'Cancel this order and free its seats?', th: 'ยกเลิกคำสั่งซื้อนี้และคืนที่นั่ง?' },
  cancelReasonLabel: { en: 'Reason (optional)', th: 'เหตุผล (ไม่บังคับ)' },
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
  refundsTitle: { en: 'Refunds', th: 'การคืนเงิน' },
  refundLine: { en: '{amount} by {method}', th: '{amount} ทาง{method}' },
  refund_PENDING: { en: 'On its way back: waiting for the payment provider to confirm', th: 'กำลังคืนเงิน รอผู้ให้บริการชำระเงินยืนยัน' },
  refund_DONE: { en: 'Refunded', th: 'คืนเงินแล้ว' },
  refund_FAILED: { en: 'The refund failed; the box office will refund you another way', th: 'คืนเงินไม่สำเร็จ จุดขายตั๋วจะคืนเงินให้ด้วยวิธีอื่น' },
  health: { en: 'Health', th: 'สถานะระบบ' },
  database: { en: 'Database', th: 'ฐานข้อมูล' },
  realtime: { en: 'Realtime', th: 'เรียลไทม์' },
  uptime: { en: 'Uptime', th: 'ระยะเวลาทำงาน' },
  version: { en: 'Version', th: 'เวอร์ชัน' },
  stats: { en: 'Statistics', th: 'สถิติ' },
  activeLocks: { en: 'Active holds', th: 'ที่นั่งที่ถูกกันไว้' },
  lockConflicts: { en: 'Hold conflicts', th: 'การกันที่นั่งชนกัน' },
  locksExpired: { en: 'Holds expired', th: 'การกันที่นั่งที่หมดเวลา' },
  ordersExpired: { en: 'Orders expired', th: 'คำสั่งซื้อหมดเวลา' },
  sockets: { en: 'Live connections', th: 'การเชื่อมต่อสด' },
  updatedAt: { en: 'Updated {time}', th: 'อัปเดตเมื่อ {time}' },
  runCleanup: { en: 'Run expiry sweep now', th: 'ปล่อยที่นั่งที่หมดเวลากันทันที' },
  cleanupDone: { en: 'Released {locks} holds, cancelled {orders} orders.', th: 'ปล่อย {locks} ที่นั่ง ยกเลิก {orders} คำสั่งซื้อ' },
  openShow: { en: 'Open a new show', th: 'เปิดรอบใหม่' },
  title: { en: 'Title', th: 'ชื่อรอบ' },
  open: { en: 'Open', th: 'เปิด' },
  showOpened: { en: 'Show {date} is on sale.', th: 'เปิดขายรอบ {date} แล้ว' },
  orders: { en: 'Orders', th: 'คำสั่งซื้อ' },
  // tickets (#/tickets/:orderId)
  yourTickets: { en: 'Your tickets', th: 'บัตรของคุณ' },
  viewTickets: { en: 'Your tickets', th: 'ดูบัตรของคุณ' },
  orderCode: { en: 'Order code', th: 'รหัสคำสั่งซื้อ' },
  orderDetails: { en: 'Order details', th: 'รายละเอียดคำสั่งซื้อ' },
  ticketCount: { en: '{n} tickets', th: '{n} ใบ' },
  ticketCountOne: { en: '1 ticket', th: '1 ใบ' },
  ticketNofM: { en: 'Ticket {n} of {m}', th: 'บัตรใบที่ {n} จาก {m}' },
  downloadPdf: { en: 'Download PDF (to print or keep)', th: 'ดาวน์โหลด PDF (พิมพ์หรือเก็บไว้)' },
  ticketsAfterPayment: { en: 'Your tickets appear here once the order is paid.', th: 'บัตรจะแสดงที่นี่เมื่อชำระเงินแล้ว' },
  ticketsSavedHere: {
    en: 'Saved on this device: this page opens even without internet. Show the QR code at the door; each ticket lets one person in, once.',
    th: 'บันทึกไว้ในเครื่องนี้แล้ว เปิดหน้านี้ได้แม้ไม่มีอินเทอร์เน็ต แสดงคิวอาร์โค้ดที่ทางเข้า บัตรหนึ่งใบเข้าได้หนึ่งคน หนึ่งครั้ง',
  },
  ticketsSavedCopy: {
    en: 'No connection: these are the tickets saved on this device ({time}). They are valid at the door as shown.',
    th: 'ไม่มีการเชื่อมต่อ นี่คือบัตรที่บันทึกไว้ในเครื่องนี้ ({time}) ใช้เข้างานได้ตามที่แสดง',
  },
  ticketQrAlt: { en: 'QR code of the ticket for {place}', th: 'คิวอาร์โค้ดของบัตร {place}' },
  zone: { en: 'Zone', th: 'โซน' },
  standingTicket: { en: 'Standing', th: 'บัตรยืน' },
  ticketAdult: { en: 'Adult', th: 'ผู้ใหญ่' },
  ticketChild: { en: 'Child', th: 'เด็ก' },
  ticketValid: { en: 'Valid: not used yet', th: 'ใช้ได้ ยังไม่ได้ใช้' },
  ticketUsed: { en: 'Used: checked in', th: 'ใช้แล้ว เข้างานแล้ว' },
  ticketUsedAt: { en: 'Used: checked in {time}', th: 'ใช้แล้ว เข้างานเมื่อ {time}' },
  ticketRevoked: { en: 'Not valid: this ticket was cancelled or refunded', th: 'ใช้ไม่ได้ บัตรนี้ถูกยกเลิกหรือคืนเงินแล้ว' },
  manualCode: { en: 'Code for entry by hand', th: 'รหัสสำหรับพิมพ์เข้า' },
  savedTickets: { en: 'Tickets saved on this device', th: 'บัตรที่บันทึกไว้ในเครื่องนี้' },
  // door scanner (#/door)
  door: { en: 'Door', th: 'ประตู' },
  doorTitle: { en: 'Door check-in', th: 'ตรวจบัตรเข้างาน' },
  doorPickShow: { en: 'Pick the show first', th: 'เลือกรอบก่อน' },
  doorGate: { en: 'Gate', th: 'ประตู' },
  doorGateHint: { en: 'e.g. North gate', th: 'เช่น ประตูทิศเหนือ' },
  doorAdmitted: { en: 'admitted', th: 'เข้างานแล้ว' },
  doorCamera: { en: 'Camera', th: 'กล้อง' },
  doorStartCamera: { en: 'Start the camera', th: 'เปิดกล้อง' },
  doorStopCamera: { en: 'Stop the camera', th: 'ปิดกล้อง' },
  doorCameraDenied: { en: 'The camera is not available (no permission or no camera). Type the code below instead.', th: 'ใช้กล้องไม่ได้ (ไม่ได้รับอนุญาตหรือไม่มีกล้อง) พิมพ์รหัสด้านล่างแทน' },
  doorManual: { en: 'Code typed by hand (printed under the QR)', th: 'พิมพ์รหัสเอง (อยู่ใต้คิวอาร์โค้ด)' },
  doorCheck: { en: 'Check', th: 'ตรวจ' },
  doorReady: { en: 'Ready: show a ticket to the camera', th: 'พร้อม: ยื่นบัตรให้กล้องสแกน' },
  door_ADMITTED: { en: 'Admitted', th: 'เข้างานได้' },
  door_ALREADY_ADMITTED: { en: 'Already admitted', th: 'เข้างานไปแล้ว' },
  door_INVALID: { en: 'Not a ticket', th: 'ไม่ใช่บัตร' },
  door_WRONG_SHOW: { en: 'Wrong show', th: 'ผิดรอบ' },
  door_REVOKED: { en: 'Ticket cancelled', th: 'บัตรถูกยกเลิก' },
  door_UNPAID: { en: 'Not paid', th: 'ยังไม่ชำระเงิน' },
  doorFirstCheckin: { en: 'First in at {time}, {gate}.', th: 'เข้างานครั้งแรกเมื่อ {time} {gate}' },
  doorNoGate: { en: 'no gate named', th: 'ไม่ระบุประตู' },
  doorUsedBefore: { en: 'It was used before this scanner lost its connection.', th: 'บัตรนี้ถูกใช้ก่อนที่เครื่องนี้จะขาดการเชื่อมต่อ' },
  doorWrongShow: { en: 'This ticket is for {date}.', th: 'บัตรนี้สำหรับรอบ {date}' },
  doorRevoked: { en: 'Its order was cancelled or refunded: send the holder to the box office.', th: 'คำสั่งซื้อถูกยกเลิกหรือคืนเงินแล้ว ให้ผู้ถือบัตรไปที่จุดขายตั๋ว' },
  doorUnpaid: { en: 'Its order is not paid: send the holder to the box office.', th: 'คำสั่งซื้อยังไม่ชำระเงิน ให้ผู้ถือบัตรไปที่จุดขายตั๋ว' },
  doorInvalid: { en: 'The code is not one of our tickets (or it was issued after this list was saved).', th: 'รหัสนี้ไม่ใช่บัตรของเรา (หรือออกหลังจากบันทึกรายการนี้)' },
  doorDecidedOffline: { en: 'Decided on this device (no connection): it will be uploaded.', th: 'ตัดสินบนเครื่องนี้ (ไม่มีการเชื่อมต่อ) จะอัปโหลดภายหลัง' },
  doorForce: { en: 'Admit anyway (staff)', th: 'ให้เข้างาน (เจ้าหน้าที่)' },
  doorManifest: { en: 'Ticket list for working offline: {n} tickets, updated {time}.', th: 'รายการบัตรสำหรับใช้งานออฟไลน์: {n} ใบ อัปเดตเมื่อ {time}' },
  doorNoManifest: { en: 'The ticket list could not be downloaded: without it, scans need the network.', th: 'ดาวน์โหลดรายการบัตรไม่ได้ หากไม่มีรายการ การสแกนต้องใช้เครือข่าย' },
  doorNothingWaiting: { en: 'All scans uploaded.', th: 'อัปโหลดการสแกนครบแล้ว' },
  doorWaiting: { en: '{n} scans waiting to upload. ', th: 'รออัปโหลด {n} รายการ ' },
  doorUploadNow: { en: 'Upload now', th: 'อัปโหลดตอนนี้' },
  doorConflicts: { en: 'Conflicts found on upload ({n})', th: 'พบรายการขัดแย้งเมื่ออัปโหลด ({n})' },
  doorConflictLine: { en: 'let in here offline at {time}, but the server says: {result}.', th: 'ให้เข้าที่นี่ขณะออฟไลน์เมื่อ {time} แต่เซิร์ฟเวอร์แจ้งว่า: {result}' },
  doorClearConflicts: { en: 'Clear the list', th: 'ล้างรายการ' },
  // users (#/admin/users)
  users: { en: 'Users', th: 'ผู้ใช้' },
  manageUsers: { en: 'Users: create staff and door accounts', th: 'ผู้ใช้: สร้างบัญชีพนักงานและเจ้าหน้าที่ประตู' },
  createAccount: { en: 'Create an account', th: 'สร้างบัญชี' },
  role: { en: 'Role', th: 'บทบาท' },
  roleCustomer: { en: 'Customer', th: 'ลูกค้า' },
  roleStaff: { en: 'Staff', th: 'พนักงาน' },
  roleDoor: { en: 'Door', th: 'เจ้าหน้าที่ประตู' },
  roleAdmin: { en: 'Admin', th: 'ผู้ดูแลระบบ' },
  roleDoorHint: { en: 'checks tickets in at the door, nothing else', th: 'ตรวจบัตรที่ประตูเท่านั้น' },
  roleStaffHint: { en: 'box office: sells, takes payments, cancels, refunds, checks in', th: 'จุดขายตั๋ว: ขาย รับชำระ ยกเลิก คืนเงิน ตรวจบัตร' },
  roleAdminHint: { en: 'everything, including shows and accounts', th: 'ทุกอย่าง รวมถึงรอบการแข่งขันและบัญชีผู้ใช้' },
  mailLanguage: { en: 'Language of their mails', th: 'ภาษาของอีเมล' },
  nameRequired: { en: 'Enter the person’s name.', th: 'กรุณากรอกชื่อ' },
  emailInvalid: { en: 'Enter an email address like name@example.com.', th: 'กรุณากรอกอีเมลให้ถูกต้อง เช่น name@example.com' },
  passwordShort: { en: 'The password needs at least 8 characters.', th: 'รหัสผ่านต้องมีอย่างน้อย 8 ตัวอักษร' },
  passwordLong: { en: 'The password can have at most 128 characters.', th: 'รหัสผ่านยาวได้ไม่เกิน 128 ตัวอักษร' },
  userCreated: { en: 'Account created for {name}.', th: 'สร้างบัญชีให้ {name} แล้ว' },
  userCreatedHint: { en: '{name} ({role}) can now sign in as {email} with the password you chose.', th: '{name} ({role}) เข้าสู่ระบบได้ด้วย {email} และรหัสผ่านที่คุณตั้งไว้' },
  allRoles: { en: 'All roles', th: 'ทุกบทบาท' },
  usersTotal: { en: '{n} accounts', th: '{n} บัญชี' },
  noUsers: { en: 'No accounts with this role.', th: 'ไม่มีบัญชีในบทบาทนี้' },
  since: { en: 'Since', th: 'ตั้งแต่' },
  pages: { en: 'Pages', th: 'หน้า' },
  previous: { en: 'Previous', th: 'ก่อนหน้า' },
  next: { en: 'Next', th: 'ถัดไป' },
  pageOf: { en: 'Page {n} of {m}', th: 'หน้า {n} จาก {m}' },
  notFound: { en: 'Page not found', th: 'ไม่พบหน้านี้' },
  notFoundText: { en: 'There is nothing at this address. It may have been mistyped or removed.', th: 'ไม่มีหน้านี้ อาจพิมพ์ที่อยู่ผิดหรือถูกลบไปแล้ว' },
  needStaff: { en: 'You need a staff account for this page', th: 'หน้านี้สำหรับบัญชีพนักงานเท่านั้น' },
  needAdmin: { en: 'You need an admin account for this page', th: 'หน้านี้สำหรับบัญชีผู้ดูแลระบบเท่านั้น' },
  needAccountText: { en: 'You are signed in as {email} ({role}). Sign in with another account to open it, or go back.', th: 'คุณเข้าสู่ระบบในชื่อ {email} ({role}) โปรดเข้าสู่ระบบด้วยบัญชีอื่นเพื่อเปิดหน้านี้ หรือกลับไป' },
  signInAsOther: { en: 'Sign in as another user', th: 'เข้าสู่ระบบด้วยบัญชีอื่น' },
  role_customer: { en: 'customer', th: 'ลูกค้า' },
  role_staff: { en: 'staff', th: 'พนักงาน' },
  role_admin: { en: 'admin', th: 'ผู้ดูแลระบบ' },
  role_door: { en: 'door', th: 'ประตู' },
  showNotFound: { en: 'Show not found', th: 'ไม่พบรอบการแข่งขัน' },
  showNotFoundText: { en: 'There is no show on {date}. Pick one from the list.', th: 'ไม่มีรอบการแข่งขันวันที่ {date} โปรดเลือกจากรายการ' },
  showLinkBroken: { en: 'This link does not name a show date. Pick a show from the list.', th: 'ลิงก์นี้ไม่ใช่วันที่ของรอบการแข่งขัน โปรดเลือกจากรายการ' },
  pageFailed: { en: 'Something went wrong on this page', th: 'หน้านี้เกิดข้อผิดพลาด' },
  pageFailedText: { en: 'Go back to the shows, or reload the page.', th: 'กลับไปหน้ารอบการแข่งขัน หรือโหลดหน้านี้ใหม่' },
  reload: { en: 'Reload', th: 'โหลดใหม่' },
  orderNotFound: { en: 'Order not found', th: 'ไม่พบคำสั่งซื้อ' },
  orderNotFoundText: {
    en: 'There is no order of yours at this address. Your orders are listed under My orders.',
    th: 'ไม่มีคำสั่งซื้อของคุณที่ที่อยู่นี้ ดูคำสั่งซื้อทั้งหมดได้ที่ คำสั่งซื้อของฉัน',
  },
  backToShows: { en: 'Back to the shows', th: 'กลับไปหน้ารอบการแข่งขัน' },
  back: { en: 'Back', th: 'กลับ' },
  close: { en: 'Close', th: 'ปิด' },
  language: { en: 'ภาษาไทย', th: 'English' },
  languageShort: { en: 'TH', th: 'EN' },
  zoomIn: { en: 'Zoom in', th: 'ขยาย' },
  swipeHint: { en: '← Swipe sideways for more seats →', th: '← เลื่อนซ้าย-ขวาเพื่อดูที่นั่งเพิ่มเติม →' },
  zoomOut: { en: 'Zoom out', th: 'ย่อ' },
  zoomFit: { en: 'Whole venue', th: 'ทั้งสนาม' },
  zoomControls: { en: 'Map zoom', th: 'การย่อขยายผัง' },
  zoomTo: { en: 'Zoom to', th: 'ขยายไปที่' },
  chooseZone: { en: 'a zone…', th: 'เลือกโซน…' },
  prices: { en: 'Prices', th: 'ราคา' },
  fromPrice: { en: 'from {price}', th: 'เริ่มต้น {price}' },
  standing: { en: 'Standing (general admission)', th: 'บัตรยืน (ไม่ระบุที่นั่ง)' },
  standingAdult: { en: 'adult {price}', th: 'ผู้ใหญ่ {price}' },
  standingChild: { en: 'child {price}', th: 'เด็ก {price}' },
  standingLeft: { en: '{n} places left', th: 'เหลือ {n} ที่' },
  standingSoldOut: { en: 'Sold out', th: 'เต็มแล้ว' },
  standingAdultLabel: { en: 'Adult', th: 'ผู้ใหญ่' },
  standingChildLabel: { en: 'Child', th: 'เด็ก' },
  standingEach: { en: '{price} each', th: 'ใบละ {price}' },
  standingFewer: { en: 'One {type} place fewer', th: 'ลดบัตร{type} 1 ใบ' },
  standingMore: { en: 'One {type} place more', th: 'เพิ่มบัตร{type} 1 ใบ' },
  standingCount: { en: '{type} standing places', th: 'จำนวนบัตรยืน{type}' },
  standingLine: { en: 'Standing, {type} × {n}', th: 'บัตรยืน {type} × {n}' },
  standingNotEnough: {
    en: 'Only {n} standing places are left, so your places were not changed.',
    th: 'บัตรยืนเหลือเพียง {n} ที่ จำนวนบัตรยืนของคุณจึงไม่เปลี่ยน',
  },
  standingLimit: {
    en: 'You can hold up to {max} seats and standing places at a time.',
    th: 'กันที่นั่งและบัตรยืนรวมกันได้สูงสุด {max} ใบต่อครั้ง',
  },
  bookItems: { en: 'Book {n} tickets', th: 'ยืนยันการจอง {n} ใบ' },
  mapLabel: { en: 'Seat map, {venue}', th: 'ผังที่นั่ง {venue}' },
  mapHint: {
    en: 'Arrow keys move between seats and zones, Page Up and Page Down jump between zones, Enter or Space holds or releases the seat, Escape leaves the map.',
    th: 'ใช้ปุ่มลูกศรเลื่อนระหว่างที่นั่งและโซน Page Up/Page Down ข้ามโซน Enter หรือ Space เพื่อกันหรือปล่อยที่นั่ง Esc เพื่อออกจากผัง',
  },
  startsAt: { en: 'Starts {time}', th: 'เริ่ม {time}' },
  venueTime: { en: 'Thailand time', th: 'เวลาประเทศไทย' },
  defaultShowTitle: { en: 'Muay Thai Night', th: 'ศึกมวยไทย' },
  holdSeat: { en: 'Hold seat {seat}', th: 'กันที่นั่ง {seat}' },
  tapAgain: { en: 'Tap again or press Hold', th: 'แตะอีกครั้งหรือกด กันที่นั่ง' },
  limitReached: {
    en: 'You can hold up to {max} seats at a time, so seat {seats} was not picked. Release a seat to pick another.',
    th: 'กันที่นั่งได้สูงสุด {max} ที่นั่งต่อครั้ง ที่นั่ง {seats} จึงไม่ถูกเลือก ปล่อยที่นั่งก่อนเพื่อเลือกที่นั่งอื่น',
  },
  seatsTaken: { en: 'Someone else was faster: {seats}.', th: 'มีผู้อื่นกันไปก่อน: {seats}' },
  expiringSoon: { en: 'Your hold ends in {t}. Book now to keep your seats.', th: 'ที่นั่งที่กันไว้จะหมดเวลาใน {t} ยืนยันการจองเลยเพื่อเก็บที่นั่งไว้' },
  offlineSeat: { en: 'You are offline: seats can be picked again when the connection is back.', th: 'ขาดการเชื่อมต่อ เลือกที่นั่งได้อีกครั้งเมื่อกลับมาออนไลน์' },
  signInToHoldText: { en: 'Your picks stay on the map: once you are signed in they are held for you.', th: 'ที่นั่งที่เลือกไว้ยังอยู่ในผัง เมื่อเข้าสู่ระบบแล้วจะถูกกันไว้ให้ทันที' },
  signInToHoldN: { en: 'Sign in to hold {n} seats', th: 'เข้าสู่ระบบเพื่อกัน {n} ที่นั่ง' },
  signInToHoldOne: { en: 'Sign in to hold 1 seat', th: 'เข้าสู่ระบบเพื่อกัน 1 ที่นั่ง' },
  pickedToHold: { en: '{n} picked, not held yet', th: 'เลือกไว้ {n} ที่นั่ง ยังไม่ได้กันไว้' },
  seatCount: { en: '{n} seats', th: '{n} ที่นั่ง' },
  seatCountOne: { en: '1 seat', th: '1 ที่นั่ง' },
  book: { en: 'Book', th: 'ยืนยันการจอง' },
  rateLimited: { en: 'Too many requests. Try again in {n} s.', th: 'มีคำขอมากเกินไป ลองใหม่ในอีก {n} วินาที' },
  sessionExpired: { en: 'Your session has ended. Please sign in again.', th: 'เซสชันหมดอายุแล้ว โปรดเข้าสู่ระบบอีกครั้ง' },
  healthOk: { en: 'OK', th: 'ปกติ' },
  healthDegraded: { en: 'Degraded', th: 'มีปัญหาบางส่วน' },
  healthDown: { en: 'Down', th: 'ใช้งานไม่ได้' },
  healthDisabled: { en: 'Not used', th: 'ไม่ได้ใช้งาน' },
  connectionsN: { en: '{n} connections', th: '{n} การเชื่อมต่อ' },
  manageShows: { en: 'Manage shows: times, prices, close/reopen sales, cancel, blocked seats', th: 'จัดการรอบการแข่งขัน: เวลา ราคา ปิด/เปิดการขาย ยกเลิก ที่นั่งที่ปิดขาย' },
  mainNav: { en: 'Main', th: 'เมนูหลัก' },
  skipToContent: { en: 'Skip to content', th: 'ข้ามไปยังเนื้อหา' },
  showInfo: { en: 'Show details', th: 'รายละเอียดรอบ' },
  colAvailable: { en: 'Free', th: 'ว่าง' },
  colLocked: { en: 'Held', th: 'กันไว้' },
  colBooked: { en: 'Sold', th: 'ขายแล้ว' },
  colBlocked: { en: 'Blocked', th: 'ปิด' },
  seatLabel: { en: '{zone}, row {row}, seat {seat}, {price}, {status}', th: '{zone} แถว {row} ที่นั่ง {seat} {price} {status}' },
} as const;

export type StringKey = keyof typeof STRINGS;

export function translate(lang: Lang, key: StringKey, params: Record<string, string | number> = {}): string {
  const text: string = STRINGS[key][lang];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export type T = (key: StringKey, params?: Record<string, string | number>) => string;

/** An order's standing places in words ("Standing, Adult × 2 · Standing, Child × 1"); '' without any. */
export function formatStanding(t: T, lines: { type: 'adult' | 'child'; quantity: number }[] | undefined): string {
  return (lines ?? []).map((l) => t('standingLine', { type: t(l.type === 'adult' ? 'standingAdultLabel' : 'standingChildLabel'), n: l.quantity })).join(' · ');
}

export const locale = (lang: Lang) => (lang === 'th' ? 'th-TH' : 'en-GB');

/** A count with the language's grouping ("20,000"). */
export function formatCount(lang: Lang, n: number): string {
  return new Intl.NumberFormat(locale(lang)).format(n);
}

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

/**
 * The venue's time zone (the server's TZ_VENUE; the demo venue is in Phuket). Every date and time a person
 * sees is in this zone and says so ("Thailand time"), whatever zone the browser is in.
 */
export const VENUE_TZ = 'Asia/Bangkok';

/** A moment (ISO) in the venue's zone, labelled: "30 Nov, 13:50:10 (Thailand time)". */
export function formatTime(lang: Lang, iso: string): string {
  const time = new Intl.DateTimeFormat(locale(lang), { hour: '2-digit', minute: '2-digit', second: '2-digit', day: 'numeric', month: 'short', timeZone: VENUE_TZ }).format(new Date(iso));
  return `${time} (${translate(lang, 'venueTime')})`;
}

/** A time in the venue's zone, e.g. "Tue 1 Dec 2026, 21:00" (Buddhist era in Thai). */
export function formatVenueTime(lang: Lang, iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale(lang), { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone }).format(
    new Date(iso),
  );
}

/** "15 min 15 s" / "15 นาที 15 วินาที": a duration in words of the language. */
export function formatDuration(lang: Lang, seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const parts: [number, Intl.NumberFormatOptions['unit']][] = [
    [Math.floor(s / 86400), 'day'],
    [Math.floor((s % 86400) / 3600), 'hour'],
    [Math.floor((s % 3600) / 60), 'minute'],
    [s % 60, 'second'],
  ];
  const shown = parts.filter(([n], i) => n > 0 || i === 3).slice(0, 2);
  return shown.map(([n, unit]) => new Intl.NumberFormat(locale(lang), { style: 'unit', unit, unitDisplay: 'short' }).format(n)).join(' ');
}

/**
 * A show's title in the user's language. The server's default title ("Muay Thai Night 2026-12-01", catalog
 * defaultTitle) repeats the ISO date in English, which pages show beside it in the user's words: use the
 * translated name alone then. `titles` (per language) wins when the server sends it.
 */
export function showTitle(lang: Lang, show: { title: string; titles?: { en?: string; th?: string } } | undefined, t: T): string {
  const own = show?.titles?.[lang];
  if (own) return own;
  if (!show || /^Muay Thai Night \d{4}-\d{2}-\d{2}$/.test(show.title)) return t('defaultShowTitle');
  return show.title;
}

/** The venue's name in the page's language: its Thai name where the venue file gives one (`venue.names`), else its one name. */
export function venueName(lang: Lang, venue: { name: string; names?: { en: string; th: string } }): string {
  return venue.names?.[lang] ?? venue.name;
}

/** 4:05 */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
