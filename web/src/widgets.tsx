/** @jsxImportSource preact */
import type { OrderStatus } from '../../src/client/index.ts';
import { errorText, usePublicSession } from './session.ts';

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
