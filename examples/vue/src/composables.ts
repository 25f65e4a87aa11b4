import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import { connectSocket, SeatPicker, ShowLive, type Show } from 'boxoffice/client';
import { client } from './boxoffice.ts';

/** The first show still on sale (this example sells one show). */
export function useShowOnSale() {
  const show = shallowRef<Show>();
  const error = shallowRef<unknown>();
  const ctrl = new AbortController();
  client.listShows({ signal: ctrl.signal }).then(
    (shows) => (show.value = shows.find((s) => s.salesOpen)),
    (err) => ctrl.signal.aborted || (error.value = err),
  );
  onScopeDispose(() => ctrl.abort());
  return { show, error };
}

// #region live-map
/**
 * A live seat map and its picker. ShowLive loads the snapshot and applies seat-locked / seat-released /
 * seat-booked events in order (reloading after a gap or a reconnection); SeatPicker turns clicks into lock and
 * release requests (batched, shown at once, rolled back on failure). Neither is reactive itself: each change
 * bumps `version`, and computed values that read it follow.
 */
export function useShowLive(showDate: Ref<string | undefined>) {
  const live = shallowRef<ShowLive>();
  const picker = shallowRef<SeatPicker>();
  const version = ref(0);
  const error = shallowRef<unknown>();
  watch(
    showDate,
    (date, _old, onCleanup) => {
      if (!date) return;
      const socket = connectSocket(client); // authenticated with the client's token: order events reach us too
      const show = new ShowLive({ client, socket, showDate: date });
      const seats = new SeatPicker({ client, live: show });
      const off = show.onChange(() => version.value++);
      seats.onChange(() => version.value++);
      live.value = show;
      picker.value = seats;
      // If the first snapshot fails, ShowLive keeps trying by itself; `ready` turns true when one arrives.
      show.start().then(() => (error.value = undefined), (err) => (error.value = err));
      // The browser notices a lost network sooner than a socket heartbeat: close the socket at once and open it
      // again when the network is back; on reconnection ShowLive rejoins the show and reloads the snapshot.
      const offline = () => socket.disconnect();
      const online = () => socket.connect();
      window.addEventListener('offline', offline);
      window.addEventListener('online', online);
      onCleanup(() => {
        window.removeEventListener('offline', offline);
        window.removeEventListener('online', online);
        off();
        seats.stop();
        show.stop();
        socket.disconnect();
        live.value = undefined;
        picker.value = undefined;
      });
    },
    { immediate: true },
  );
  return { live, picker, version, error };
}
// #endregion

/** A counter that goes up every `ms` (for countdowns). */
export function useTick(ms = 1000): Ref<number> {
  const tick = ref(0);
  const timer = setInterval(() => tick.value++, ms);
  onScopeDispose(() => clearInterval(timer));
  return tick;
}

// #region offline
/** False while the browser says it has no network. The socket (ShowLive.online) tells whether live updates flow. */
export function useBrowserOnline(): Ref<boolean> {
  const online = ref(navigator.onLine);
  const update = () => (online.value = navigator.onLine);
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  onScopeDispose(() => {
    window.removeEventListener('online', update);
    window.removeEventListener('offline', update);
  });
  return online;
}
// #endregion

// #region health
export type HealthState = 'checking' | 'ok' | 'degraded' | 'unreachable';

/** Polls the public health check. A 503 answers `degraded` (the SDK returns that body); no answer at all is `unreachable`. */
export function useHealth(intervalMs = 15_000): Ref<HealthState> {
  const state = ref<HealthState>('checking');
  const ctrl = new AbortController();
  const check = () =>
    client.health({ signal: ctrl.signal }).then(
      (health) => (state.value = health.status),
      () => ctrl.signal.aborted || (state.value = 'unreachable'),
    );
  void check();
  const timer = setInterval(check, intervalMs);
  onScopeDispose(() => {
    clearInterval(timer);
    ctrl.abort();
  });
  return state;
}
// #endregion
