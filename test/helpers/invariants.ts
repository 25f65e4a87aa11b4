import assert from 'node:assert/strict';
import type { Queryable } from '../../src/db/driver.ts';

/**
 * The booking invariants, checked straight in the database:
 * - a seat is in at most one active order per show;
 * - a BOOKED seat belongs to a PENDING or PAID order that lists it; a seat of an active order is BOOKED by it;
 * - LOCKED seats have a holder and an expiry, AVAILABLE ones have neither;
 * - an order's total is the sum of its seat prices, and its seats' active flag matches its status;
 * - money: a PAID order's succeeded payments add up to its total (so none is PAID without one), a PENDING or
 *   CANCELLED order has no succeeded payment (money for it is either booked or REFUND_DUE / REFUNDED).
 * - seats taken out by a partial cancel (cancelled_at) are inactive and no longer count in the order.
 * - standing: a show's counter equals its rows (places in holds + active order places), held + booked places never
 *   exceed the capacity, and an order's standing places are active exactly while it is PENDING or PAID.
 */
export async function checkInvariants(q: Queryable): Promise<void> {
  const doubles = await q.query(`SELECT show_date, seat_id, count(*) FROM order_seats WHERE active GROUP BY 1, 2 HAVING count(*) > 1`);
  assert.deepEqual(doubles.rows, [], 'a seat is in two active orders');

  const orphanBooked = await q.query(
    `SELECT i.show_date, i.seat_id, o.status FROM seat_inventory i LEFT JOIN orders o ON o.id = i.order_id
      WHERE i.state = 'BOOKED' AND (o.id IS NULL OR o.status NOT IN ('PENDING', 'PAID')
        OR NOT EXISTS (SELECT 1 FROM order_seats os WHERE os.order_id = o.id AND os.seat_id = i.seat_id AND os.active))`,
  );
  assert.deepEqual(orphanBooked.rows, [], 'a BOOKED seat without an active order');

  const unbooked = await q.query(
    `SELECT os.order_id, os.seat_id, i.state FROM order_seats os JOIN orders o ON o.id = os.order_id
       JOIN seat_inventory i ON i.show_date = os.show_date AND i.seat_id = os.seat_id
      WHERE o.status IN ('PENDING', 'PAID') AND os.cancelled_at IS NULL AND (i.state <> 'BOOKED' OR i.order_id <> o.id)`,
  );
  assert.deepEqual(unbooked.rows, [], 'a seat of an active order is not BOOKED by it');

  const flags = await q.query(
    `SELECT os.order_id FROM order_seats os JOIN orders o ON o.id = os.order_id
      WHERE os.active <> (o.status IN ('PENDING', 'PAID') AND os.cancelled_at IS NULL)`,
  );
  assert.deepEqual(flags.rows, [], 'order_seats.active out of step with the order status');

  const totals = await q.query(
    `SELECT o.id, o.total FROM orders o
      WHERE o.total <> (SELECT coalesce(sum(os.price), 0) FROM order_seats os WHERE os.order_id = o.id AND os.cancelled_at IS NULL)
                     + (SELECT coalesce(sum(st.price), 0) FROM order_standing st WHERE st.order_id = o.id AND st.cancelled_at IS NULL)`,
  );
  assert.deepEqual(totals.rows, [], 'an order total differs from the sum of its seat and standing prices');

  const counters = await q.query(
    `SELECT ss.show_date, ss.capacity, ss.taken,
            (SELECT coalesce(sum(h.quantity), 0) FROM standing_holds h WHERE h.show_date = ss.show_date)::int AS held,
            (SELECT count(*) FROM order_standing st WHERE st.show_date = ss.show_date AND st.active)::int AS booked
       FROM show_standing ss`,
  );
  for (const r of counters.rows as { show_date: string; capacity: number; taken: number; held: number; booked: number }[]) {
    assert.equal(r.taken, r.held + r.booked, `standing counter of ${r.show_date} differs from its rows (held ${r.held} + booked ${r.booked})`);
    assert.ok(r.held + r.booked <= r.capacity, `standing of ${r.show_date} oversold: held ${r.held} + booked ${r.booked} > ${r.capacity}`);
  }
  const orphanHolds = await q.query(`SELECT h.id FROM standing_holds h WHERE NOT EXISTS (SELECT 1 FROM show_standing ss WHERE ss.show_date = h.show_date)`);
  assert.deepEqual(orphanHolds.rows, [], 'a standing hold on a show without a standing area');

  const standingFlags = await q.query(
    `SELECT st.order_id FROM order_standing st JOIN orders o ON o.id = st.order_id
      WHERE st.active <> (o.status IN ('PENDING', 'PAID') AND st.cancelled_at IS NULL) OR st.show_date <> o.show_date`,
  );
  assert.deepEqual(standingFlags.rows, [], 'order_standing.active out of step with the order status');

  const badLocks = await q.query(
    `SELECT show_date, seat_id FROM seat_inventory
      WHERE (state = 'LOCKED') <> (holder_id IS NOT NULL AND hold_expires_at IS NOT NULL)
         OR (state = 'AVAILABLE' AND order_id IS NOT NULL)`,
  );
  assert.deepEqual(badLocks.rows, [], 'lock columns out of step with the seat state');

  const paidTotals = await q.query(
    `SELECT o.id, o.status, o.total, coalesce(sum(p.amount) FILTER (WHERE p.status = 'SUCCEEDED'), 0) AS paid
       FROM orders o LEFT JOIN payments p ON p.order_id = o.id
      GROUP BY o.id
     HAVING (o.status = 'PAID' AND coalesce(sum(p.amount) FILTER (WHERE p.status = 'SUCCEEDED'), 0) <> o.total
               -- seats taken out of a PAID order stay paid for (refund due) until refunded
               + coalesce((SELECT sum(x.price) FROM order_seats x WHERE x.order_id = o.id AND x.cancelled_at >= o.paid_at), 0)
               + coalesce((SELECT sum(x.price) FROM order_standing x WHERE x.order_id = o.id AND x.cancelled_at >= o.paid_at), 0))
         OR (o.status <> 'PAID' AND o.refund_due = false AND coalesce(sum(p.amount) FILTER (WHERE p.status = 'SUCCEEDED'), 0) <> 0)`,
  );
  assert.deepEqual(paidTotals.rows, [], 'an order whose succeeded payments do not match its status and total');
}
