/**
 * `work`'s result, or `onAbort()`'s as soon as `signal` aborts: a client library that is
 * slow to notice a closed socket cannot hold a probe past its deadline.
 */
export function raceAbort<T>(signal: AbortSignal, work: Promise<T>, onAbort: () => T): Promise<T> {
  if (signal.aborted) return Promise.resolve(onAbort());
  let listener: (() => void) | undefined;
  const aborted = new Promise<T>((resolve) => {
    listener = () => resolve(onAbort());
    signal.addEventListener('abort', listener, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => {
    if (listener) signal.removeEventListener('abort', listener);
  });
}
