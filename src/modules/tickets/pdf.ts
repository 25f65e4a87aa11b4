import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import type { Admission } from '../../contract/tickets.ts';

const require = createRequire(import.meta.url);
/** Sarabun (SIL OFL) from @fontsource: its Latin and Thai subsets are separate files, embedded as subsets. */
const FONTS = {
  latin: require.resolve('@fontsource/sarabun/files/sarabun-latin-400-normal.woff'),
  latinBold: require.resolve('@fontsource/sarabun/files/sarabun-latin-700-normal.woff'),
  thai: require.resolve('@fontsource/sarabun/files/sarabun-thai-400-normal.woff'),
  thaiBold: require.resolve('@fontsource/sarabun/files/sarabun-thai-700-normal.woff'),
};

export interface PdfTicket {
  secret: string;
  orderCode: string;
  startsAt: Date;
  admission: Admission;
  seatId?: string;
  row?: string;
  zone?: { en: string; th: string };
}

const LABELS = {
  en: {
    date: 'Date and time',
    zone: 'Zone',
    row: 'Row',
    seat: 'Seat',
    admission: 'Admission',
    'standing-adult': 'Standing, adult',
    'standing-child': 'Standing, child',
    order: 'Order code',
    ticket: (i: number, n: number) => `Ticket ${i} of ${n}`,
    note: 'Show this QR code at the door. It lets one person in, once. Do not share it.',
  },
  th: {
    date: 'วันและเวลา',
    zone: 'โซน',
    row: 'แถว',
    seat: 'ที่นั่ง',
    admission: 'ประเภท',
    'standing-adult': 'บัตรยืน ผู้ใหญ่',
    'standing-child': 'บัตรยืน เด็ก',
    order: 'รหัสคำสั่งซื้อ',
    ticket: (i: number, n: number) => `บัตรใบที่ ${i} จาก ${n}`,
    note: 'แสดงคิวอาร์โค้ดนี้ที่ทางเข้า ใช้เข้าได้หนึ่งคน หนึ่งครั้ง โปรดอย่าส่งต่อให้ผู้อื่น',
  },
} as const;

/** Thai letters, vowels, tone marks and digits: these runs take the Thai font, everything else the Latin one. */
const THAI = /[\u0E00-\u0E7F]+/g;

function runs(text: string): { text: string; thai: boolean }[] {
  const out: { text: string; thai: boolean }[] = [];
  let last = 0;
  for (const m of text.matchAll(THAI)) {
    if (m.index! > last) out.push({ text: text.slice(last, m.index), thai: false });
    out.push({ text: m[0], thai: true });
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), thai: false });
  return out;
}

/** Writes a line mixing Thai and Latin text, switching fonts per run (pdfkit `continued` keeps one line). */
function line(doc: PDFKit.PDFDocument, text: string, x: number, y: number, o: { size: number; bold?: boolean; color?: string; width: number; align?: 'left' | 'center' }): void {
  const parts = runs(text);
  doc.fillColor(o.color ?? '#111111').fontSize(o.size);
  parts.forEach((p, i) => {
    doc.font(p.thai ? (o.bold ? 'thai-bold' : 'thai') : o.bold ? 'latin-bold' : 'latin');
    const opts = { continued: i < parts.length - 1, width: o.width, align: o.align ?? 'left', lineBreak: true };
    if (i === 0) doc.text(p.text, x, y, opts);
    else doc.text(p.text, opts);
  });
}

function when(at: Date, timeZone: string, lang: 'en' | 'th'): string {
  return new Intl.DateTimeFormat(lang === 'th' ? 'th-TH' : 'en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

/**
 * tickets.pdf: one A5 page per ticket with the venue, show date and time (venue time zone), zone, row, seat or
 * standing type, order code and the QR code of the ticket's secret (a PNG image), in `lang` with the other
 * language's zone name beside it. Thai is set in Sarabun, embedded.
 */
export async function renderTicketsPdf(input: { venue: string; timeZone: string; lang: 'en' | 'th'; tickets: PdfTicket[] }): Promise<Buffer> {
  const { lang, tickets } = input;
  const L = LABELS[lang];
  // loaded on the first PDF, not at start-up: pdfkit and its font code cost every start-up ~0.4 s of CPU otherwise
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A5', margin: 36, autoFirstPage: false, info: { Title: `Tickets ${tickets[0]?.orderCode ?? ''}`, Creator: 'boxoffice' } });
  doc.registerFont('latin', FONTS.latin);
  doc.registerFont('latin-bold', FONTS.latinBold);
  doc.registerFont('thai', FONTS.thai);
  doc.registerFont('thai-bold', FONTS.thaiBold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const qrs = await Promise.all(tickets.map((t) => QRCode.toBuffer(t.secret, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 8 })));
  tickets.forEach((t, i) => {
    doc.addPage();
    const x = 36;
    const w = doc.page.width - 72;
    let y = 36;
    line(doc, input.venue, x, y, { size: 18, bold: true, width: w });
    y += 28;
    line(doc, L.ticket(i + 1, tickets.length), x, y, { size: 10, color: '#555555', width: w });
    y += 22;
    const rows: [string, string][] = [[L.date, when(t.startsAt, input.timeZone, lang)]];
    if (t.zone) rows.push([L.zone, lang === 'th' ? `${t.zone.th} (${t.zone.en})` : `${t.zone.en} (${t.zone.th})`]);
    if (t.admission === 'seat') {
      if (t.row) rows.push([L.row, t.row]);
      rows.push([L.seat, t.seatId ?? '']);
    } else {
      rows.push([L.admission, L[t.admission]]);
    }
    rows.push([L.order, t.orderCode]);
    for (const [label, value] of rows) {
      line(doc, label, x, y, { size: 9, color: '#555555', width: w });
      y += 13;
      line(doc, value, x, y, { size: 14, bold: true, width: w });
      y += 24;
    }
    const size = Math.min(w, doc.page.height - y - 80);
    doc.image(qrs[i], x + (w - size) / 2, y, { width: size, height: size });
    y += size + 8;
    line(doc, L.note, x, y, { size: 9, color: '#333333', width: w });
  });
  doc.end();
  return done;
}
