import type { LoadedConfig, ScheduledTarget } from '../config/prepare.js';
import { runProbe, type ProbeRun } from '../probe-run/run-probe.js';
import type { LeanSampleList } from './results.js';

/**
 * Where the scheduler's probes run: on this thread, or in worker threads. `index` is the
 * target's place in the config's `targets`, which is how a worker (with its own copy of the
 * config) finds it. `samples` is the target's own list, reused probe after probe.
 */
export interface ProbeRunner {
  run(target: ScheduledTarget, index: number, samples: LeanSampleList): Promise<ProbeRun>;
  close(): Promise<void>;
}

/** Probes on the calling thread. */
export function inThreadRunner(): ProbeRunner {
  return {
    run: (target, _index, samples) =>
      runProbe(target.module, target.target, target.module.timeoutMs, false, samples),
    close: () => Promise.resolve(),
  };
}

/** What a probe worker is started with: the config as the main thread validated it. */
export interface ProbeWorkerData {
  readonly file: string;
  readonly config: LoadedConfig['config'];
}

/**
 * Main → worker: probes to run, as pairs `[sequence, targetIndex, …]`. Worker → main:
 * results, as sextuples `[sequence, success, reason, durationSeconds, samples, lastLog, …]`
 * (`reason` and `lastLog` null on success). Flat arrays, batched per event-loop turn: one
 * message carries many probes, and a flat array clones cheaper than objects.
 */
export type ProbeRequests = number[];
export type ProbeResults = unknown[];
export const RESULT_FIELDS = 6;
