/** @jsxImportSource preact */
import type { OrderStatus } from '../../src/client/index.ts';
import type { ComponentChildren } from 'preact';
import { errorText, usePublicSession } from './session.ts';
import { formatShowDate } from './i18n.ts';
import { href, isShowDate } from './router.ts';

/**
 * A wide table's box: it scrolls sideways on a phone, so it is one Tab stop (keyboard users scroll it with the
 * arrow keys) and a region named `label` (axe's scrollable-region-focusable, WCAG 2.1.1).
 */
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, lang } = usePublicSession();
  return (
    <div class="error-box" role="alert" data-testid="error-box">
      <span>{errorText(error, lang)}</span>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

export function StatusBadge({ status }: { status: OrderStatus }) {
  const { t } = usePublicSession();
  return (
    <span class={`badge badge-${status.toLowerCase()}`} data-testid="order-status" data-status={status}>
      {t(status)}
    </span>
  );
}

/** A show link that names no show (no such night, or not a date at all), with the way back to the list. */
export function ShowNotFound({ showDate }: { showDate: string }) {
  const { t, lang } = usePublicSession();
  return (
    <section class="card not-found" aria-labelledby="show-title" data-testid="not-found">
      <h1 id="show-title">{t('showNotFound')}</h1>
      <p>{isShowDate(showDate) ? t('showNotFoundText', { date: formatShowDate(lang, showDate) }) : t('showLinkBroken')}</p>
      <p>
        <a class="button-link" href={href()} data-testid="back-to-shows">← {t('backToShows')}</a>
      </p>
    </section>
  );
}


/**
 * A 404 of one thing (an order, a payment page): says what was not found and offers the ways back, never a
 * "Try again" that cannot help. `children` are the extra links (e.g. My orders).
 */
export function NotFoundCard({ title, text, children }: { title: string; text: string; children?: ComponentChildren }) {
  const { t } = usePublicSession();
  return (
    <section class="card not-found" aria-labelledby="not-found-title" data-testid="not-found">
      <h1 id="not-found-title">{title}</h1>
      <p>{text}</p>
      <p class="actions">
        {children}
        <a class="button-link" href={href()} data-testid="back-to-shows">← {t('backToShows')}</a>
      </p>
    </section>
  );
}

/** Whether a load failed because the thing is not there (404): then retrying cannot help. */
export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404;
}
