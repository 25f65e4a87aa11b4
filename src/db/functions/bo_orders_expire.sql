-- One batch of the order expiry sweep, in ONE statement and one short transaction: claims up to p_limit PENDING
-- orders whose payment deadline passed by p_now, oldest deadline first, row-locked with SKIP LOCKED (an order
-- another sweeper, a payment or a cancel is working on is skipped now and found by a later batch, so two
-- instances sweeping at once never both cancel one order and never wait on each other), and cancels them all
-- set-based through bo_orders_cancel (reason EXPIRED, seat-released events with reason 'expired', numbered
-- last, once per show). The order rows are locked first, then seats, standing counters and show rows: the
-- global lock order (bo_take_locks). Returns bo_orders_cancel's answer; fewer orders than p_limit means none
-- was left that no one else holds.
CREATE OR REPLACE FUNCTION bo_orders_expire(p_now timestamptz, p_limit integer)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_ids uuid[];
BEGIN
  SELECT array_agg(c.id) INTO v_ids
    FROM (SELECT o.id FROM orders o
           WHERE o.status = 'PENDING' AND o.expires_at <= p_now
           ORDER BY o.expires_at
           LIMIT p_limit
             FOR UPDATE SKIP LOCKED) c;
  RETURN bo_orders_cancel(coalesce(v_ids, '{}'), 'EXPIRED', NULL, p_now, false);
END;
$$;
