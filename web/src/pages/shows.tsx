/** @jsxImportSource preact */
import type { Show } from '../../../src/client/index.ts';
import { usePublicSession } from '../session.ts';
import { usePagedShows, useTick } from '../hooks.ts';
import { VENUE_TZ, formatCount, formatMoney, formatShowDate, formatVenueTime, showTitle } from '../i18n.ts';
import { href } from '../router.ts';
import { ErrorBox } from '../widgets.tsx';

/** The venue's time zone: show times are told in it, labelled (the demo venue is in Phuket). */
export { VENUE_TZ };

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
function dayIn(timeZone: string, at: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * A night is over once its date is past (venue time) and its sales have closed: the server leaves such nights
 * out, and a page left open past midnight stops offering them too.
 */
export function nightIsOver(show: Show, now: number): boolean {
  return show.showDate < dayIn(VENUE_TZ, now) && Date.parse(show.salesCloseAt) <= now;
}

/** The nights on sale, upcoming first, a page at a time ("More nights" loads the next page). */
export function ShowsPage() {
  const { t, lang } = usePublicSession();
  const paged = usePagedShows();
  const now = useTick(60_000);
  const shows = { data: paged.items?.filter((show) => !nightIsOver(show, now)), error: paged.error, loading: paged.loading, reload: paged.reload };

  return (
    <section aria-labelledby="shows-title">
      <h1 id="shows-title">{t('shows')}</h1>
      {shows.error !== undefined && <ErrorBox error={shows.error} onRetry={paged.items ? paged.more : shows.reload} />}
      {shows.loading && !shows.data && (
        <ul class="show-list" aria-hidden="true" data-testid="shows-skeleton">
          {[0, 1, 2].map((i) => (
            <li key={i} class="skeleton skeleton-card" />
          ))}
        </ul>
      )}
      {shows.data?.length === 0 && !paged.hasMore && <p class="empty">{t('noShows')}</p>}
      <ul class="show-list">
        {shows.data?.map((show) => (
          <li key={show.showDate}>
            <a class="card show-card" href={href('show', show.showDate)} data-testid="show-card" data-show-date={show.showDate}>
              <span class="show-date">{formatShowDate(lang, show.showDate)}</span>
              <span class="show-title">{showTitle(lang, show, t)}</span>
              <span class="muted">
                {t('startsAt', { time: formatVenueTime(lang, show.startsAt, VENUE_TZ) })} ({t('venueTime')})
              </span>
              {Object.keys(show.prices ?? {}).length > 0 && (
                <span class="show-from">{t('fromPrice', { price: formatMoney(lang, fromPrice(show.prices)) })}</span>
              )}
              <span class={show.salesOpen ? 'show-left' : 'show-closed'}>
                {show.status === 'CANCELLED' ? t('showCancelled') : show.salesOpen ? t('seatsLeft', { n: formatCount(lang, show.counts.available) }) : t('salesClosed')}
              </span>
            </a>
          </li>
        ))}
      </ul>
      {paged.hasMore && (
        <p class="more">
          <button type="button" class="secondary" onClick={paged.more} disabled={paged.loading} aria-busy={paged.loading} data-testid="more-shows">
            {paged.loading ? t('loading') : t('moreShows')}
          </button>
        </p>
      )}
    </section>
  );
}

/**
 * The "from ฿…" of a show: the cheapest ticket a buyer can buy on its page, a seat or a standing place
 * (the show's prices: zone ids and `standing-adult` / `standing-child`, THB).
 */
export function fromPrice(prices: Record<string, number>): number {
  return Math.min(...Object.values(prices));
}
