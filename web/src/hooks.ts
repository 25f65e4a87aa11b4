import { useEffect, useRef, useState } from 'preact/hooks';
import { client } from './session.ts';

/** Re-renders every `ms` while `active`, for countdowns; returns the time by the server's clock. */
export function useTick(ms: number, active = true): number {
  const [now, setNow] = useState(() => client.serverNow());
  useEffect(() => {
    if (!active) return;
    setNow(client.serverNow());
    const id = setInterval(() => setNow(client.serverNow()), ms);
    return () => clearInterval(id);
  }, [ms, active]);
  return now;
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** Loads data when `deps` change; `reload()` fetches again and keeps showing the old data meanwhile. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [version, setVersion] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    loadRef.current(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ data, loading: false }),
      (error: unknown) => !controller.signal.aborted && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => controller.abort();
  }, [...deps, version]);
  return { data: state.data, error: state.error, loading: state.loading, reload: () => setVersion((v) => v + 1) };
}
