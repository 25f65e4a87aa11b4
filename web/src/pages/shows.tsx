/** @jsxImportSource preact */
import { client } from '../session.ts';
import { usePublicSession } from '../session.ts';
import { useLoad } from '../hooks.ts';
import { formatShowDate } from '../i18n.ts';
import { href } from '../router.ts';
import { ErrorBox } from '../widgets.tsx';

export function ShowsPage() {
  const { t, lang } = usePublicSession();
  const shows = useLoad((signal) => client.listShows({ signal }), []);

  return (
    <section aria-labelledby="shows-title">
      <h1 id="shows-title">{t('shows')}</h1>
      {shows.error !== undefined && <ErrorBox error={shows.error} onRetry={shows.reload} />}
      {shows.loading && !shows.data && <p class="loading">{t('loading')}</p>}
      {shows.data?.length === 0 && <p class="empty">{t('noShows')}</p>}
      <ul class="show-list">
        {shows.data?.map((show) => (
          <li key={show.showDate}>
            <a class="card show-card" href={href('show', show.showDate)} data-testid="show-card" data-show-date={show.showDate}>
              <span class="show-date">{formatShowDate(lang, show.showDate)}</span>
              <span class="show-title">{show.title}</span>
              <span class={show.salesOpen ? 'show-left' : 'show-closed'}>
                {show.salesOpen ? t('seatsLeft', { n: show.counts.available }) : t('salesClosed')}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
