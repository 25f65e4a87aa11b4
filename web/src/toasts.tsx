/** @jsxImportSource preact */
import type { ToastKind } from './session.ts';

export interface Toast {
  id: number;
  message: string;
  kind: ToastKind;
  key?: string;
}

export function Toasts({ toasts, onClose, closeLabel }: { toasts: Toast[]; onClose(id: number): void; closeLabel: string }) {
  return (
    <div class="toasts" aria-live="polite" aria-atomic="false">
      {toasts.map((toast) => (
        <div key={toast.id} class={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'} data-testid="toast" data-kind={toast.kind}>
          <span>{toast.message}</span>
          <button type="button" class="toast-close" aria-label={closeLabel} onClick={() => onClose(toast.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
