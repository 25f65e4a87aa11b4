-- Scale (issue 13): shows lists and per-show counts that do not read every inventory row.

-- How many seats the show was opened with (its inventory rows); fixed when the show is opened. Counts derive
-- `available` from it and the rows that are NOT available, so a fresh show costs nothing to count.
ALTER TABLE shows ADD COLUMN seat_count integer NOT NULL DEFAULT 0 CHECK (seat_count >= 0);
UPDATE shows s SET seat_count = (SELECT count(*) FROM seat_inventory i WHERE i.show_date = s.show_date);

-- The seats of a show that are not AVAILABLE: counts, the shows list, stats and a show's state
-- (GET /api/v1/shows/:showDate/state) read only these. A release drops a seat out of it (no insert).
CREATE INDEX seat_inventory_taken ON seat_inventory (show_date, state, hold_expires_at) WHERE state <> 'AVAILABLE';

-- Nights still selling after their date (sales run past midnight): the upcoming list starts at the earliest one.
CREATE INDEX shows_sales_close ON shows (sales_close_at, show_date);

-- A layout loaded from VENUE_FILE replaces the one before: zones and seats it no longer has are retired
-- (kept for the shows and orders that use them), and a new show is opened with the venue's current seats only.
ALTER TABLE venue_zones ADD COLUMN retired boolean NOT NULL DEFAULT false;
ALTER TABLE seats ADD COLUMN retired boolean NOT NULL DEFAULT false;
