-- Issue 13: the per-user cap (bo_user_holds) counts a user's PENDING orders on one show for every hold; without
-- this index the planner walks every PENDING order (orders_pending_expiry) on a busy on-sale night.
CREATE INDEX orders_user_show_pending ON orders (user_id, show_date) WHERE status = 'PENDING';
