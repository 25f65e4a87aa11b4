-- Standing places anyone may take now on the show: the capacity less the counter, where holds that expired but
-- are not purged yet count as free (lazy expiry, bo_standing_expire). NULL when the show has no standing area.
CREATE OR REPLACE FUNCTION bo_standing_available(p_show date, p_now timestamptz)
RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT ss.capacity - ss.taken
         + coalesce((SELECT sum(h.quantity) FROM standing_holds h WHERE h.show_date = p_show AND h.hold_expires_at <= p_now), 0)::integer
    FROM show_standing ss WHERE ss.show_date = p_show
$$;
