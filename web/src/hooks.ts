import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Show } from '../../src/client/index.ts';
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

/**
 * A callback ref that keeps the element's height (whole px) in the CSS variable `name` on the page while the element
 * is drawn, and removes it after; the styles use it to leave that much room below the content and to scroll focused
 * or revealed elements clear of what is fixed there: the phone's sticky bar (`--sticky-bar-space`) and the dock of
 * offline banner and toasts (`--dock-space`). A callback ref, as such elements may appear after the first render.
 */
export function useHeightVar(name: string): (el: HTMLElement | null) => void {
  const observer = useRef<ResizeObserver | undefined>(undefined);
  useEffect(() => () => {
    observer.current?.disconnect();
    document.documentElement.style.removeProperty(name);
  }, [name]);
  return useCallback((el: HTMLElement | null) => {
    observer.current?.disconnect();
    if (!el) return;
    const root = document.documentElement;
    observer.current = new ResizeObserver(() => root.style.setProperty(name, `${Math.ceil(el.getBoundingClientRect().height)}px`));
    observer.current.observe(el);
  }, [name]);
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

export interface PagedShows {
  items: Show[] | undefined;
  error: unknown;
  loading: boolean;
  /** More shows follow the ones loaded: `more()` fetches the next page. */
  hasMore: boolean;
  more(): void;
  /** Starts again from the first page. */
  reload(): void;
}

/**
 * The shows list a page at a time (GET /api/v1/shows with its cursor): the first page on mount and when
 * `includePast` changes or on `reload()`, the next page appended on `more()`. A failed page keeps what was loaded.
 */
export function usePagedShows(opts: { includePast?: boolean; limit?: number } = {}): PagedShows {
  const [state, setState] = useState<{ items?: Show[]; cursor?: string; error?: unknown; loading: boolean }>({ loading: true });
  const [version, setVersion] = useState(0);
  const inFlight = useRef<AbortController | undefined>(undefined);
  const load = (cursor?: string) => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setState((s) => ({ ...s, error: undefined, loading: true }));
    client.listShowsPage({ includePast: opts.includePast, limit: opts.limit, cursor, signal: controller.signal }).then(
      (page) =>
        !controller.signal.aborted &&
        setState((s) => ({ items: cursor === undefined ? page.items : [...(s.items ?? []), ...page.items], cursor: page.nextCursor, loading: false })),
      (error: unknown) => !controller.signal.aborted && setState((s) => ({ ...s, error, loading: false })),
    );
  };
  useEffect(() => {
    load();
    return () => inFlight.current?.abort();
  }, [opts.includePast, opts.limit, version]);
  return {
    items: state.items,
    error: state.error,
    loading: state.loading,
    hasMore: state.cursor !== undefined,
    more: () => {
      if (state.cursor !== undefined && !state.loading) load(state.cursor);
    },
    reload: () => setVersion((v) => v + 1),
  };
}
