import type { Cancellable, ProbeContext, ProbeLog } from '../../src/prober/types.js';
import type { SampleSink } from '../../src/format/sample-sink.js';

/**
 * A prober's context for tests that call a prober directly (no runProbe): the deadline is
 * `signal`, and `onDeadline` cancels through a listener on it.
 */
export function probeContext<Settings>(options: {
  readonly target: string;
  readonly settings: Settings;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly metrics: SampleSink;
  readonly log: Omit<ProbeLog, 'debugging'>;
}): ProbeContext<Settings> {
  const { signal } = options;
  let io: Cancellable | undefined;
  signal.addEventListener('abort', () => io?.cancel(new Error('probe timed out')), { once: true });
  return {
    ...options,
    log: { debugging: true, debug: options.log.debug, info: options.log.info },
    onDeadline: (next) => (io = next),
    get expired() {
      return signal.aborted;
    },
  };
}
