import { DestroyRef, inject, signal, type Signal } from '@angular/core';
import { client } from './boxoffice.ts';

/** A counter that goes up every `ms` (for countdowns); stops with the component that made it. */
export function tick(ms = 1000): Signal<number> {
  const value = signal(0);
  const timer = setInterval(() => value.update((t) => t + 1), ms);
  inject(DestroyRef).onDestroy(() => clearInterval(timer));
  return value;
}

// #region offline
/** False while the browser says it has no network. The socket (ShowLive.online) tells whether live updates flow. */
export function browserOnline(): Signal<boolean> {
  const online = signal(navigator.onLine);
  const update = () => online.set(navigator.onLine);
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  inject(DestroyRef).onDestroy(() => {
    window.removeEventListener('online', update);
    window.removeEventListener('offline', update);
  });
  return online;
}
// #endregion

// #region health
export type HealthState = 'checking' | 'ok' | 'degraded' | 'unreachable';

/** Polls the public health check. A 503 answers `degraded` (the SDK returns that body); no answer at all is `unreachable`. */
export function healthPolling(intervalMs = 15_000): Signal<HealthState> {
  const state = signal<HealthState>('checking');
  const ctrl = new AbortController();
  const check = () =>
    client.health({ signal: ctrl.signal }).then(
      (health) => state.set(health.status),
      () => ctrl.signal.aborted || state.set('unreachable'),
    );
  void check();
  const timer = setInterval(check, intervalMs);
  inject(DestroyRef).onDestroy(() => {
    clearInterval(timer);
    ctrl.abort();
  });
  return state;
}
// #endregion
