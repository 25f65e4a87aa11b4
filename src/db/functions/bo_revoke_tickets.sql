-- Revokes the tickets of an order's items that are no longer sold: all of them when the order is no longer PAID,
-- otherwise those whose seat or standing place left the order (partial cancel). Returns how many were revoked.
CREATE OR REPLACE FUNCTION bo_revoke_tickets(p_order uuid, p_now timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_n integer;
BEGIN
  UPDATE tickets t SET status = 'REVOKED', revoked_at = p_now
   WHERE t.order_id = p_order AND t.status = 'VALID'
     AND (NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = p_order AND o.status = 'PAID')
          OR (t.admission = 'seat' AND NOT EXISTS (SELECT 1 FROM order_seats os WHERE os.order_id = p_order AND os.seat_id = t.seat_id AND os.active))
          OR (t.admission <> 'seat' AND NOT EXISTS (SELECT 1 FROM order_standing st WHERE st.order_id = p_order
                                                       AND 'standing-' || st.admission = t.admission AND st.place_no = t.place_no AND st.active)));
  GET DIAGNOSTICS v_n = ROW_COUNT;
  RETURN v_n;
END;
$$;
