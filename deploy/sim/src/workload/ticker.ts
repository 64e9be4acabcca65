import type { Clock } from '../clock.js';
import type { Workload } from './types.js';

export interface Ticking {
  stop(): void;
}

/** A pause longer than this (a suspended laptop) is not replayed as one burst of work. */
export const MAX_TICK_SECONDS = 10;

/**
 * Ticks the workloads every `everyMs` on the simulator's clock: each tick passes the time
 * since the last one, read from `clock`, so a fake clock drives them in tests. The first
 * tick runs at once. A workload that throws is reported and ticked again next time; the
 * timer is unref'd and stops with `stopped`.
 */
export function startTicking(
  workloads: readonly Workload[],
  {
    clock,
    everyMs,
    stopped,
    log,
  }: {
    clock: Clock;
    everyMs: number;
    stopped: AbortSignal;
    log: (line: string) => void;
  },
): Ticking {
  let last = clock.now();
  const tick = (): void => {
    if (stopped.aborted) return;
    const now = clock.now();
    const seconds = Math.min(MAX_TICK_SECONDS, Math.max(0, (now - last) / 1000));
    last = now;
    for (const workload of workloads) {
      try {
        workload.tick(seconds);
      } catch (error) {
        log(`workload: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  const stop = (): void => clearInterval(timer);
  stopped.addEventListener('abort', stop, { once: true });
  return { stop };
}
