import { useEffect, useState } from 'react';
import { connectSocket, SeatPicker, ShowLive, type Show } from 'boxoffice/client';
import { client } from './boxoffice.ts';

/** The first show still on sale (this example sells one show). */
export function useShowOnSale(): { show: Show | undefined; error: unknown } {
  const [show, setShow] = useState<Show>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const ctrl = new AbortController();
    client.listShows({ signal: ctrl.signal }).then(
      (shows) => setShow(shows.find((s) => s.salesOpen)),
      (err) => ctrl.signal.aborted || setError(err),
    );
    return () => ctrl.abort();
  }, []);
  return { show, error };
}

// #region live-map
/**
 * A live seat map and its picker. ShowLive loads the snapshot and applies seat-locked / seat-released /
 * seat-booked events in order (reloading after a gap or a reconnection); SeatPicker turns clicks into lock and
 * release requests (batched, shown at once, rolled back on failure). Every change of either bumps `version`,
 * which re-renders.
 */
export function useShowLive(showDate: string | undefined) {
  const [state, setState] = useState<{ live: ShowLive; picker: SeatPicker }>();
  const [error, setError] = useState<unknown>();
  const [, setVersion] = useState(0);
  useEffect(() => {
    if (!showDate) return;
    const socket = connectSocket(client); // authenticated with the client's token: order events reach us too
    const show = new ShowLive({ client, socket, showDate });
    const picker = new SeatPicker({ client, live: show });
    const rerender = () => setVersion((v) => v + 1);
    const off = show.onChange(rerender);
    picker.onChange(rerender);
    setState({ live: show, picker });
    // If the first snapshot fails, ShowLive keeps trying by itself; `live.ready` turns true when one arrives.
    show.start().then(() => setError(undefined), setError);
    // The browser notices a lost network sooner than a socket heartbeat: close the socket at once and open it
    // again when the network is back; on reconnection ShowLive rejoins the show and reloads the snapshot.
    const offline = () => socket.disconnect();
    const online = () => socket.connect();
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      off();
      picker.stop();
      show.stop();
      socket.disconnect();
      setState(undefined);
    };
  }, [showDate]);
  return { live: state?.live, picker: state?.picker, error };
}
// #endregion

/** Re-renders every `ms` (for countdowns). */
export function useTick(ms = 1000): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}

// #region offline
/** False while the browser says it has no network. The socket (ShowLive.online) tells whether live updates flow. */
export function useBrowserOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}
// #endregion

// #region health
export type HealthState = 'checking' | 'ok' | 'degraded' | 'unreachable';

/** Polls the public health check. A 503 answers `degraded` (the SDK returns that body); no answer at all is `unreachable`. */
export function useHealth(intervalMs = 15_000): HealthState {
  const [state, setState] = useState<HealthState>('checking');
  useEffect(() => {
    const ctrl = new AbortController();
    const check = () =>
      client.health({ signal: ctrl.signal }).then(
        (health) => setState(health.status),
        () => ctrl.signal.aborted || setState('unreachable'),
      );
    void check();
    const timer = setInterval(check, intervalMs);
    return () => {
      clearInterval(timer);
      ctrl.abort();
    };
  }, [intervalMs]);
  return state;
}
// #endregion
