-- An order as the service reads it, its one home (OrdersRepository's ORDER_SELECT reads every order through it,
-- and bo_order_create / bo_order_cancel answer with it, so an order made or cancelled in one call comes back in
-- the same shape as one read later): the orders row (every column) plus
--   seats               the items the order holds (or held, once cancelled whole), by seat_id [{seatId, zoneId, price}]
--   standing            its standing places per type and price [{type, quantity, price}]
--   cancelled_items     seats a partial cancel took out [{seatId, zoneId, price, cancelledAt}]
--   cancelled_standing  standing places a partial cancel took out [{type, quantity, price, cancelledAt}]
--   payments            every payment row, oldest first
--   refunds             staff refunds, oldest first; refunds_total: those not FAILED
--   sold_by_name        the seller's name (counter sales), for receipts printed later
-- Timestamps are JSON text. NULL for an unknown id.
CREATE OR REPLACE FUNCTION bo_order_json(p_id uuid)
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT to_jsonb(o) || jsonb_build_object(
      'seats', coalesce((SELECT jsonb_agg(jsonb_build_object('seatId', os.seat_id, 'zoneId', os.zone_id, 'price', os.price) ORDER BY os.seat_id)
                           FROM order_seats os WHERE os.order_id = o.id AND os.cancelled_at IS NULL), '[]'),
      'standing', coalesce((SELECT jsonb_agg(jsonb_build_object('type', g.admission, 'quantity', g.n, 'price', g.price) ORDER BY g.admission, g.price)
                              FROM (SELECT st.admission, st.price, count(*)::int AS n FROM order_standing st
                                     WHERE st.order_id = o.id AND st.cancelled_at IS NULL GROUP BY 1, 2) g), '[]'),
      'cancelled_standing', coalesce((SELECT jsonb_agg(jsonb_build_object('type', g.admission, 'quantity', g.n, 'price', g.price, 'cancelledAt', g.cancelled_at)
                                                       ORDER BY g.cancelled_at, g.admission, g.price)
                                        FROM (SELECT st.admission, st.price, st.cancelled_at, count(*)::int AS n FROM order_standing st
                                               WHERE st.order_id = o.id AND st.cancelled_at IS NOT NULL GROUP BY 1, 2, 3) g), '[]'),
      'payments', coalesce((SELECT jsonb_agg(to_jsonb(p) ORDER BY p.created_at, p.id) FROM payments p WHERE p.order_id = o.id), '[]'),
      'cancelled_items', coalesce((SELECT jsonb_agg(jsonb_build_object('seatId', os.seat_id, 'zoneId', os.zone_id, 'price', os.price, 'cancelledAt', os.cancelled_at)
                                                    ORDER BY os.cancelled_at, os.seat_id)
                                     FROM order_seats os WHERE os.order_id = o.id AND os.cancelled_at IS NOT NULL), '[]'),
      'refunds', coalesce((SELECT jsonb_agg(jsonb_build_object('id', r.id, 'orderId', r.order_id, 'amount', r.amount, 'currency', r.currency,
                                                               'method', r.method, 'reference', r.reference, 'status', r.status, 'reason', r.reason,
                                                               'createdAt', r.created_at, 'createdBy', r.created_by, 'completedAt', r.completed_at)
                                            ORDER BY r.created_at, r.id)
                             FROM refunds r WHERE r.order_id = o.id), '[]'),
      'refunds_total', coalesce((SELECT sum(r.amount) FROM refunds r WHERE r.order_id = o.id AND r.status <> 'FAILED'), 0)::int,
      'sold_by_name', (SELECT u.name FROM users u WHERE u.id = o.sold_by))
      FROM orders o WHERE o.id = p_id);
END;
$$;
