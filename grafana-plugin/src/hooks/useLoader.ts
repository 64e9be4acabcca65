import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data?: T;
  error?: Error;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads on mount, on `key` change and every `refreshMs` (if given). A refresh keeps the last
 * data on screen; an error replaces nothing but is shown. A new load (Refresh, a new key)
 * aborts the one in flight, and so does unmounting, so a hung backend holds no connection for
 * a page no longer shown. The interval skips a tick while a load is in flight: else a refresh
 * shorter than the request deadline would restart a hung load forever, never showing why.
 */
export function useLoader<T>(
  load: (signal: AbortSignal) => Promise<T>,
  key: string,
  refreshMs?: number,
): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({
    loading: true,
  });
  const current = useRef<AbortController>();
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(() => {
    current.current?.abort();
    const mine = new AbortController();
    current.current = mine;
    const settle = (next: (s: typeof state) => typeof state) => {
      if (current.current !== mine) return; // a newer load, or unmounted
      current.current = undefined;
      setState(next);
    };
    setState((s) => ({ ...s, loading: true }));
    loadRef.current(mine.signal).then(
      (data) => settle(() => ({ data, loading: false })),
      (error: unknown) => {
        const e = error instanceof Error ? error : new Error(String(error));
        settle((s) => ({ ...s, error: e, loading: false }));
      },
    );
  }, []);

  useEffect(() => {
    run();
    const timer = refreshMs
      ? setInterval(() => {
          if (!current.current) run();
        }, refreshMs)
      : undefined;
    return () => {
      clearInterval(timer);
      current.current?.abort();
      current.current = undefined;
    };
  }, [run, key, refreshMs]);

  return { ...state, reload: run };
}
