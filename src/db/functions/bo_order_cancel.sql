-- A whole order cancelled by its buyer or by staff, in ONE statement (the HTTP path's cancel without items):
-- locks the order row (the global lock order, step 2), checks it, and cancels it through bo_orders_cancel (seats
-- and standing places freed, tickets revoked, the mail queued, open payments expired, events numbered last).
--   p_owner   the caller when they may only see their own orders (a customer), NULL for staff (who see every order)
--   p_staff   staff may also cancel a PAID order (it becomes due a refund); reason STAFF when the order is not
--             their own, else USER
--   p_actor   the caller
--   p_async_commit  commit asynchronously (only when this statement is its own transaction; the caller then MUST
--             await Db.durable() before answering or publishing: docs/ARCHITECTURE.md "Holds commit asynchronously")
-- Errors (raised, so nothing is written; SQLSTATE BO001, message = the error code, detail = its JSON details):
--   ORDER_NOT_FOUND {orderId}: no such order, or not the caller's (p_owner)
--   ORDER_NOT_CANCELLABLE {orderId, status}: already CANCELLED, or PAID and the caller is not staff
-- Returns bo_orders_cancel's answer (with the order's JSON) plus "before": the order before, for staff's audit.
CREATE OR REPLACE FUNCTION bo_order_cancel(p_order uuid, p_owner uuid, p_staff boolean, p_actor uuid, p_note text, p_now timestamptz, p_async_commit boolean DEFAULT false)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_user uuid;
  v_status text;
  v_before jsonb;
BEGIN
  IF p_async_commit THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  SELECT o.user_id, o.status INTO v_user, v_status FROM orders o WHERE o.id = p_order FOR UPDATE;
  IF NOT FOUND OR v_user <> coalesce(p_owner, v_user) THEN
    RAISE EXCEPTION USING ERRCODE = 'BO001', MESSAGE = 'ORDER_NOT_FOUND', DETAIL = jsonb_build_object('orderId', p_order)::text;
  END IF;
  IF v_status = 'CANCELLED' OR (v_status = 'PAID' AND NOT p_staff) THEN
    RAISE EXCEPTION USING ERRCODE = 'BO001', MESSAGE = 'ORDER_NOT_CANCELLABLE', DETAIL = jsonb_build_object('orderId', p_order, 'status', v_status)::text;
  END IF;
  IF p_staff THEN v_before := bo_order_json(p_order); END IF;
  RETURN bo_orders_cancel(ARRAY[p_order], CASE WHEN p_staff AND v_user <> p_actor THEN 'STAFF' ELSE 'USER' END, p_note, p_now, true)
         || jsonb_build_object('before', v_before);
END;
$$;
