import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data?: T;
  error?: Error;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads on mount, on `key` change and every `refreshMs` (if given). A refresh keeps the last
 * data on screen; an error replaces nothing but is shown. Late answers of an older load are
 * dropped.
 */
export function useLoader<T>(load: () => Promise<T>, key: string, refreshMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({
    loading: true,
  });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => {
        if (mine === generation.current) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (mine !== generation.current) return;
        const e = error instanceof Error ? error : new Error(String(error));
        setState((s) => ({ ...s, error: e, loading: false }));
      },
    );
  }, []);

  useEffect(() => {
    run();
    if (!refreshMs) return undefined;
    const timer = setInterval(run, refreshMs);
    return () => clearInterval(timer);
  }, [run, key, refreshMs]);

  return { ...state, reload: run };
}
