-- THE transition to CANCELLED, its one home, set-based for any number of orders (one order cancelled by its
-- buyer or staff through bo_order_cancel, an expiry batch through bo_orders_expire, a show's orders through the
-- orders service's markCancelled). The caller holds the orders' row locks (the global lock order, step 2:
-- bo_take_locks); orders already CANCELLED are left alone. For the others, in this order:
--   1. status CANCELLED (reason p_reason, note p_note, at p_now; a PAID order becomes due a refund), their seat
--      items and standing places inactive;
--   2. their seats AVAILABLE, the seat rows locked by (show_date, seat_id) first (step 3);
--   3. their standing places back to each show's counter, the counters locked by show_date after the seats (step
--      3b), the show's expired standing holds purged first (bo_standing_expire, lazy expiry);
--   4. their tickets revoked (bo_revoke_tickets), the 'order-cancelled' mail queued in the outbox (cancelled ⇔
--      revoked ⇔ told, in one transaction), their open (PENDING) payments EXPIRED (money arriving later is a
--      late payment for the payments module);
--   5. LAST, the events numbered: one bo_next_seq call per show, shows in date order (step 4).
-- Events (API.md seat events, ready to publish): per show, one seat-released per order (reason 'expired' when
-- p_reason is EXPIRED, else 'cancelled'; lockedBy and expiresAt null), by order id, then one standing-changed
-- with the places available after, when standing places came free.
-- Returns {"orders": [{id, userId, showDate, code[, order: bo_order_json when p_json]}], "events": [...],
--          "payments": [{orderId, paymentId, status}]} (the expired payments).
CREATE OR REPLACE FUNCTION bo_orders_cancel(p_ids uuid[], p_reason text, p_note text, p_now timestamptz, p_json boolean)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_ids uuid[];
  v_orders jsonb;
  v_events jsonb;
  v_payments jsonb;
  v_show date;
  v_places integer;
  v_standing jsonb := '[]';
  v_first jsonb := '{}';
  v_day text;
  v_n integer;
BEGIN
  WITH done AS (
    UPDATE orders o
       SET status = 'CANCELLED', cancelled_at = p_now, cancel_reason = p_reason, cancel_note = p_note, refund_due = (o.status = 'PAID')
     WHERE o.id = ANY (p_ids) AND o.status <> 'CANCELLED'
    RETURNING o.id, o.user_id, o.show_date, o.code
  )
  SELECT array_agg(d.id ORDER BY d.id),
         jsonb_agg(jsonb_build_object('id', d.id, 'userId', d.user_id, 'showDate', d.show_date, 'code', d.code) ORDER BY d.id)
    INTO v_ids, v_orders
    FROM done d;
  IF v_ids IS NULL THEN
    RETURN jsonb_build_object('orders', '[]'::jsonb, 'events', '[]'::jsonb, 'payments', '[]'::jsonb);
  END IF;

  UPDATE order_seats SET active = false WHERE order_id = ANY (v_ids) AND active;
  PERFORM 1 FROM seat_inventory inv WHERE inv.order_id = ANY (v_ids) ORDER BY inv.show_date, inv.seat_id FOR UPDATE;
  WITH freed AS (
    UPDATE seat_inventory inv SET state = 'AVAILABLE', order_id = NULL
      FROM unnest(v_ids) x(id)
     WHERE inv.order_id = x.id
    RETURNING x.id, inv.show_date, inv.seat_id
  )
  SELECT coalesce(jsonb_agg(jsonb_build_object('type', 'seat-released', 'seatIds', g.seats, 'lockedBy', NULL, 'expiresAt', NULL,
                                               'showDate', g.show_date, 'reason', CASE WHEN p_reason = 'EXPIRED' THEN 'expired' ELSE 'cancelled' END)
                            ORDER BY g.show_date, g.id), '[]')
    INTO v_events
    FROM (SELECT f.id, f.show_date, array_agg(f.seat_id ORDER BY f.seat_id) AS seats FROM freed f GROUP BY 1, 2) g;

  FOR v_show IN SELECT DISTINCT st.show_date FROM order_standing st WHERE st.order_id = ANY (v_ids) AND st.active ORDER BY 1 LOOP
    PERFORM 1 FROM show_standing ss WHERE ss.show_date = v_show FOR UPDATE;
    PERFORM bo_standing_expire(v_show, p_now);
    WITH gone AS (
      UPDATE order_standing SET active = false WHERE order_id = ANY (v_ids) AND show_date = v_show AND active RETURNING 1
    )
    SELECT count(*) INTO v_places FROM gone;
    UPDATE show_standing SET taken = taken - v_places WHERE show_date = v_show;
    v_standing := v_standing || jsonb_build_array(jsonb_build_object('type', 'standing-changed', 'showDate', v_show,
                                                                     'available', bo_standing_available(v_show, p_now)));
  END LOOP;
  v_events := v_events || v_standing;

  PERFORM bo_revoke_tickets(x.id, p_now) FROM unnest(v_ids) x(id);
  INSERT INTO outbox (kind, order_id, payload)
  SELECT 'order-cancelled', (o->>'id')::uuid, jsonb_build_object('code', o->>'code', 'reason', p_reason)
    FROM jsonb_array_elements(v_orders) o;
  WITH expired AS (
    UPDATE payments p SET status = 'EXPIRED', updated_at = p_now
     WHERE p.order_id = ANY (v_ids) AND p.status = 'PENDING'
    RETURNING p.order_id, p.id, p.status, p.created_at
  )
  SELECT coalesce(jsonb_agg(jsonb_build_object('orderId', e.order_id, 'paymentId', e.id, 'status', e.status) ORDER BY e.order_id, e.created_at, e.id), '[]')
    INTO v_payments
    FROM expired e;

  IF p_json THEN
    SELECT jsonb_agg(o || jsonb_build_object('order', bo_order_json((o->>'id')::uuid)) ORDER BY t.ord)
      INTO v_orders
      FROM jsonb_array_elements(v_orders) WITH ORDINALITY t(o, ord);
  END IF;

  -- last: the events' numbers, one call per show, shows in date order (the lock order's last step)
  FOR v_day, v_n IN SELECT e->>'showDate', count(*)::integer FROM jsonb_array_elements(v_events) e GROUP BY 1 ORDER BY 1 LOOP
    v_first := v_first || jsonb_build_object(v_day, bo_next_seq(v_day::date, v_n));
  END LOOP;
  SELECT coalesce(jsonb_agg(x.e ORDER BY x.day, x.ord), '[]')
    INTO v_events
    FROM (SELECT t.e || jsonb_build_object('seq', (v_first->>(t.e->>'showDate'))::bigint - 1
                                                 + row_number() OVER (PARTITION BY t.e->>'showDate' ORDER BY t.ord)) AS e,
                 t.e->>'showDate' AS day, t.ord
            FROM jsonb_array_elements(v_events) WITH ORDINALITY t(e, ord)) x;

  RETURN jsonb_build_object('orders', v_orders, 'events', v_events, 'payments', v_payments);
END;
$$;
