import { performance } from 'node:perf_hooks';
import type { PreparedModule } from '../config/prepare.js';
import { SampleList, type Sample } from '../format/sample-sink.js';
import type { ProbeLog, ProbeOutcome } from '../prober/types.js';
import { errorMessage } from '../util/errors.js';

export interface ProbeRun {
  readonly outcome: ProbeOutcome;
  readonly durationSeconds: number;
  /** The prober's own series; the caller adds `probe_success` and `probe_duration_seconds`. */
  readonly samples: readonly Sample[];
  /** Info lines always (why it failed); debug lines only when asked for. */
  readonly log: readonly string[];
}

/** Grace past the deadline for a prober to settle on its own before we stop waiting. */
const SETTLE_GRACE_MS = 50;

/**
 * Runs one probe under its deadline. Never throws and never outlives the deadline: a prober
 * that throws is an `internal` failure, one that ignores its signal is a `timeout`.
 */
export async function runProbe(
  module: PreparedModule,
  target: string,
  timeoutMs: number,
  debug: boolean,
): Promise<ProbeRun> {
  const started = performance.now();
  const lines: string[] = [];
  const stamp = (): string => `${((performance.now() - started) / 1000).toFixed(6)}s`;
  const log: ProbeLog = {
    debug: debug ? (message) => lines.push(`${stamp()} debug ${message}`) : () => undefined,
    info: (message) => lines.push(`${stamp()} info ${message}`),
  };
  const metrics = new SampleList();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<ProbeOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`probe timed out after ${timeoutMs} ms`));
      setTimeout(() => {
        log.info(`probe did not settle ${SETTLE_GRACE_MS} ms after its ${timeoutMs} ms deadline`);
        resolve({ success: false, reason: 'timeout' });
      }, SETTLE_GRACE_MS).unref();
    }, timeoutMs);
  });
  log.debug(
    `beginning probe: module ${module.name} (${module.prober}), target ${target}, timeout ${timeoutMs} ms`,
  );
  const probe = module
    .run({ target, timeoutMs, signal: controller.signal, metrics, log })
    .catch((error: unknown): ProbeOutcome => {
      log.info(
        `prober threw (a bug): ${error instanceof Error && error.stack ? error.stack : errorMessage(error)}`,
      );
      return { success: false, reason: 'internal' };
    });
  const outcome = await Promise.race([probe, deadline]);
  clearTimeout(timer);
  const durationSeconds = (performance.now() - started) / 1000;
  log.debug(
    `probe ${outcome.success ? 'succeeded' : `failed (${outcome.reason})`} in ${durationSeconds.toFixed(6)}s`,
  );
  return { outcome, durationSeconds, samples: metrics.samples, log: lines };
}
