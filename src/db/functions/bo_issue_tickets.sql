-- Issues the tickets of a PAID order: one per active seat and one per active standing place (admission
-- standing-adult / standing-child, numbered by the place). Idempotent: items that already have a ticket get none
-- (the unique indexes tickets_one_per_seat and tickets_one_per_place). Returns how many were created.
CREATE OR REPLACE FUNCTION bo_issue_tickets(p_order uuid) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_n integer;
BEGIN
  WITH fresh AS (
    SELECT os.order_id, os.show_date, 'seat' AS admission, os.seat_id, os.zone_id, 1 AS place_no, bo_ticket_secret() AS secret
      FROM order_seats os
      JOIN orders o ON o.id = os.order_id AND o.status = 'PAID'
     WHERE os.order_id = p_order AND os.active
    UNION ALL
    SELECT st.order_id, st.show_date, 'standing-' || st.admission, NULL, NULL, st.place_no, bo_ticket_secret()
      FROM order_standing st
      JOIN orders o ON o.id = st.order_id AND o.status = 'PAID'
     WHERE st.order_id = p_order AND st.active
  ), ins AS (
    INSERT INTO tickets (order_id, show_date, admission, seat_id, zone_id, place_no, secret, secret_hash)
    SELECT f.order_id, f.show_date, f.admission, f.seat_id, f.zone_id, f.place_no, f.secret, encode(sha256(convert_to(f.secret, 'UTF8')), 'hex')
      FROM fresh f
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT count(*) INTO v_n FROM ins;
  RETURN v_n;
END;
$$;
