/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import type { Health, Stats } from '../../../src/client/index.ts';
import { client, useSession } from '../session.ts';
import { formatDuration, formatShortDate, formatShowDate, formatTime } from '../i18n.ts';
import { ErrorBox, TableScroll } from '../widgets.tsx';
import { href } from '../router.ts';

const REFRESH_MS = 3_000;

/** Operations dashboard: health and statistics every few seconds, the expiry sweep, opening shows. */
export function AdminPage() {
  const session = useSession();
  const { t, lang } = session;
  const checkWord = (status: 'ok' | 'down' | 'disabled') => t(status === 'ok' ? 'healthOk' : status === 'down' ? 'healthDown' : 'healthDisabled');
  const [health, setHealth] = useState<Health | undefined>(undefined);
  const [stats, setStats] = useState<Stats | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [refreshes, setRefreshes] = useState(0);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const [h, s] = await Promise.all([client.health(), client.stats()]);
        if (stopped) return;
        setHealth(h);
        setStats(s);
        setError(undefined);
      } catch (err) {
        if (!stopped) setError(err);
      }
      if (!stopped) timer = setTimeout(poll, REFRESH_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [refreshes]);

  return (
    <section class="admin-page" aria-labelledby="admin-title">
      <h1 id="admin-title">{t('admin')}</h1>
      <p>
        <a href={href('admin', 'shows')} data-testid="manage-shows">
          {t('manageShows')}
        </a>
      </p>
      <p>
        <a href={href('admin', 'users')} data-testid="manage-users">
          {t('manageUsers')}
        </a>
      </p>
      {error !== undefined && <ErrorBox error={error} />}
      <div class="dashboard">
        <div class="stack">
          <div class="card" data-testid="health">
            <h2>
              {t('health')}{' '}
              {health && (
                <span class={`badge ${health.status === 'ok' ? 'badge-paid' : 'badge-cancelled'}`} data-testid="health-status">
                  {t(health.status === 'ok' ? 'healthOk' : 'healthDegraded')}
                </span>
              )}
            </h2>
            {health && (
              <dl class="facts">
                <dt>{t('database')}</dt>
                <dd>
                  {checkWord(health.checks.database.status)}
                  {health.checks.database.latencyMs !== undefined && ` · ${health.checks.database.latencyMs.toFixed(1)} ms`}
                </dd>
                {health.checks.redis && (
                  <>
                    <dt>Redis</dt>
                    <dd>{checkWord(health.checks.redis.status)}</dd>
                  </>
                )}
                <dt>{t('realtime')}</dt>
                <dd>
                  {checkWord(health.checks.realtime.status)} · {t('connectionsN', { n: health.checks.realtime.connections })}
                </dd>
                <dt>{t('uptime')}</dt>
                <dd>{formatDuration(lang, health.uptimeS)}</dd>
                <dt>{t('version')}</dt>
                <dd>{health.version}</dd>
              </dl>
            )}
          </div>
          <OpenShowForm onOpened={() => setRefreshes((n) => n + 1)} />
        </div>

        <div class="card" data-testid="stats">
          <h2>{t('stats')}</h2>
          {stats && (
            <>
              <div class="tiles">
                <Tile label={t('PENDING')} value={stats.orders.PENDING} id="orders-pending" />
                <Tile label={t('PAID')} value={stats.orders.PAID} id="orders-paid" />
                <Tile label={t('CANCELLED')} value={stats.orders.CANCELLED} id="orders-cancelled" />
                <Tile label={t('activeLocks')} value={stats.activeLocks} id="active-locks" />
                <Tile label={t('lockConflicts')} value={stats.lockConflicts} id="lock-conflicts" />
                <Tile label={t('locksExpired')} value={stats.locksExpired} id="locks-expired" />
                <Tile label={t('ordersExpired')} value={stats.ordersExpired} id="orders-expired" />
                <Tile label={t('sockets')} value={stats.socketConnections} id="socket-connections" />
              </div>
              <TableScroll label={t('shows')}>
                <table class="stats-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('showDate')}</th>
                      <th scope="col">{t('colAvailable')}</th>
                      <th scope="col">{t('colLocked')}</th>
                      <th scope="col">{t('colBooked')}</th>
                      <th scope="col">{t('colBlocked')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {stats.shows.map((s) => (
                      <tr key={s.showDate}>
                        <th scope="row">{formatShortDate(lang, s.showDate)}</th>
                        <td>{s.counts.available}</td>
                        <td>{s.counts.locked}</td>
                        <td>{s.counts.booked}</td>
                        <td>{s.counts.blocked}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
              <p class="muted small-print" data-testid="stats-updated">
                {t('updatedAt', { time: formatTime(lang, stats.generatedAt) })}
              </p>
            </>
          )}
          <CleanupButton onDone={() => setRefreshes((n) => n + 1)} />
        </div>
      </div>
    </section>
  );
}

function Tile({ label, value, id }: { label: string; value: number; id: string }) {
  return (
    <div class="tile" data-testid={`stat-${id}`}>
      <span class="tile-value">{value}</span>
      <span class="tile-label">{label}</span>
    </div>
  );
}

function CleanupButton({ onDone }: { onDone(): void }) {
  const session = useSession();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      class="secondary"
      data-testid="run-cleanup"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        try {
          const r = await client.cleanup();
          session.toast(session.t('cleanupDone', { locks: r.releasedLocks, orders: r.expiredOrders }), 'success');
          onDone();
        } catch (err) {
          session.toastError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      {session.t('runCleanup')}
    </button>
  );
}

function OpenShowForm({ onOpened }: { onOpened(): void }) {
  const session = useSession();
  const { t } = session;
  const [showDate, setShowDate] = useState('');
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card"
      data-testid="open-show-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          const show = await client.createShow({ showDate, title: title.trim() || undefined });
          session.toast(t('showOpened', { date: formatShowDate(session.lang, show.showDate) }), 'success');
          setShowDate('');
          setTitle('');
          onOpened();
        } catch (err) {
          session.toastError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2>{t('openShow')}</h2>
      <label>
        {t('showDate')}
        <input data-testid="new-show-date" type="date" value={showDate} onInput={(e) => setShowDate(e.currentTarget.value)} required />
      </label>
      <label>
        {t('title')}
        <input data-testid="new-show-title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} maxLength={200} />
      </label>
      <button class="primary" type="submit" disabled={busy} data-testid="open-show">
        {t('open')}
      </button>
    </form>
  );
}

