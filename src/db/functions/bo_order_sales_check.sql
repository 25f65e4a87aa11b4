-- Whether an order may be made for the show now (bo_order_create calls it before and again under the row locks):
-- raises SHOW_NOT_FOUND {showDate} when there is no such show, and SALES_CLOSED {showDate, status, salesCloseAt}
-- when sales are not open (status not ON_SALE, or p_now at or past sales_close_at: sales close by themselves,
-- API.md v2 "Shows", the same test as salesOpen in src/modules/catalog/service.ts and bo_take_seats), unless
-- p_closed_ok (an admin selling at the counter after sales closed) and the show is not CANCELLED. SQLSTATE BO001,
-- message = the error code, detail = the details as JSON (salesCloseAt as JavaScript's toISOString writes it).
CREATE OR REPLACE FUNCTION bo_order_sales_check(p_show date, p_now timestamptz, p_closed_ok boolean)
RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_status text;
  v_close timestamptz;
BEGIN
  SELECT sh.status, sh.sales_close_at INTO v_status, v_close FROM shows sh WHERE sh.show_date = p_show;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'BO001', MESSAGE = 'SHOW_NOT_FOUND', DETAIL = jsonb_build_object('showDate', p_show)::text;
  END IF;
  IF NOT (v_status = 'ON_SALE' AND p_now < v_close) AND NOT (p_closed_ok AND v_status <> 'CANCELLED') THEN
    RAISE EXCEPTION USING ERRCODE = 'BO001', MESSAGE = 'SALES_CLOSED',
      DETAIL = jsonb_build_object('showDate', p_show, 'status', v_status,
                                  'salesCloseAt', to_char(v_close AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text;
  END IF;
END;
$$;
