import type { Queryable } from '../../db/driver.ts';
import { showStartsAt } from '../tickets/service.ts';
import type { MailOrder } from './render.ts';

/** What a mail about an order needs: the order, who gets it, in which language. */
export interface MailRecipientOrder extends MailOrder {
  email: string | null;
  language: 'en' | 'th';
}

export const mailRepository = {
  /**
   * The order as a mail shows it; email: the order's customerEmail, else the account's — except for a counter sale
   * (channel BOX_OFFICE), whose account is the seller's: there only the customer's email, none for a walk-in who gave
   * none (their tickets are printed; issue 17). language: the order's, else the account's.
   */
  async order(q: Queryable, orderId: string, timeZone: string): Promise<MailRecipientOrder | undefined> {
    const { rows } = await q.query<{
      code: string;
      show_date: string;
      starts_at: string | null;
      status: MailOrder['status'];
      total: number;
      currency: string;
      customer_name: string | null;
      user_name: string;
      email: string | null;
      language: 'en' | 'th';
      cancel_reason: string | null;
      refund_due: boolean;
      cancel_note: string | null;
      items: { seatId: string; row: string; zoneEn: string; zoneTh: string; active: boolean }[];
      standing: { type: 'adult' | 'child'; n: number }[];
    }>(
      `SELECT o.code, o.show_date, to_jsonb(sh) ->> 'starts_at' AS starts_at, o.status, o.total, o.currency, o.customer_name,
              u.name AS user_name, CASE WHEN o.channel = 'BOX_OFFICE' THEN o.customer_email ELSE coalesce(o.customer_email, u.email) END AS email, coalesce(o.language, u.language) AS language,
              o.cancel_reason, o.cancel_note, o.refund_due,
              coalesce((SELECT json_agg(json_build_object('type', g.admission, 'n', g.n) ORDER BY g.admission)
                          FROM (SELECT st.admission, count(*)::int AS n FROM order_standing st
                                 WHERE st.order_id = o.id AND st.cancelled_at IS NULL GROUP BY 1) g), '[]'::json) AS standing,
              coalesce((SELECT json_agg(json_build_object('seatId', os.seat_id, 'row', st.row_label, 'zoneEn', z.name_en, 'zoneTh', z.name_th, 'active', os.active)
                                        ORDER BY os.seat_id)
                          FROM order_seats os JOIN seats st ON st.id = os.seat_id JOIN venue_zones z ON z.id = os.zone_id
                         WHERE os.order_id = o.id), '[]'::json) AS items
         FROM orders o JOIN users u ON u.id = o.user_id JOIN shows sh ON sh.show_date = o.show_date
        WHERE o.id = $1`,
      [orderId],
    );
    const r = rows[0];
    if (!r) return undefined;
    const lang = r.language;
    return {
      code: r.code,
      showDate: r.show_date,
      startsAt: showStartsAt(r.show_date, r.starts_at, timeZone),
      status: r.status,
      total: r.total,
      currency: r.currency,
      customerName: r.customer_name ?? r.user_name,
      items: [
        ...r.items.map((i) => (lang === 'th' ? `ที่นั่ง ${i.seatId} · แถว ${i.row} · ${i.zoneTh}` : `Seat ${i.seatId} · Row ${i.row} · ${i.zoneEn}`)),
        ...r.standing.map((s) =>
          lang === 'th' ? `บัตรยืน ${s.type === 'adult' ? 'ผู้ใหญ่' : 'เด็ก'} × ${s.n}` : `Standing, ${s.type === 'adult' ? 'adult' : 'child'} × ${s.n}`,
        ),
      ],
      cancelReason: r.cancel_reason ?? undefined,
      cancelNote: r.cancel_note ?? undefined,
      refundDue: r.refund_due,
      email: r.email,
      language: lang,
    };
  },
};
