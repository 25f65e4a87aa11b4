/** @jsxImportSource preact */
import { client } from '../session.ts';
import { usePublicSession } from '../session.ts';
import { useLoad } from '../hooks.ts';
import { formatMoney, formatShowDate, formatVenueTime, showTitle } from '../i18n.ts';
import { href } from '../router.ts';
import { ErrorBox } from '../widgets.tsx';

/** The venue's time zone: show times are told in it, labelled (the demo venue is in Phuket). */
export const VENUE_TZ = 'Asia/Bangkok';

export function ShowsPage() {
  const { t, lang } = usePublicSession();
  const shows = useLoad((signal) => client.listShows({ signal }), []);

  return (
    <section aria-labelledby="shows-title">
      <h1 id="shows-title">{t('shows')}</h1>
      {shows.error !== undefined && <ErrorBox error={shows.error} onRetry={shows.reload} />}
      {shows.loading && !shows.data && (
        <ul class="show-list" aria-hidden="true" data-testid="shows-skeleton">
          {[0, 1, 2].map((i) => (
            <li key={i} class="skeleton skeleton-card" />
          ))}
        </ul>
      )}
      {shows.data?.length === 0 && <p class="empty">{t('noShows')}</p>}
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
                <span class="show-from">{t('fromPrice', { price: formatMoney(lang, Math.min(...Object.values(show.prices))) })}</span>
              )}
              <span class={show.salesOpen ? 'show-left' : 'show-closed'}>
                {show.status === 'CANCELLED' ? t('showCancelled') : show.salesOpen ? t('seatsLeft', { n: show.counts.available }) : t('salesClosed')}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
