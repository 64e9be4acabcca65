import { performance } from 'node:perf_hooks';
import type { PreparedModule } from '../config/prepare.js';
import { SampleList, type Sample, type SampleSink } from '../format/sample-sink.js';
import type { ProbeLog, ProbeOutcome } from '../prober/types.js';
import { errorMessage } from '../util/errors.js';
import { addDeadline, settleDeadline, type Expiring } from './deadlines.js';

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

const TIMED_OUT: ProbeOutcome = Object.freeze({ success: false, reason: 'timeout' });

/** One probe in flight: its log, its abort signal and its deadline, in one object. */
class Attempt implements ProbeLog, Expiring {
  readonly lines: string[] = [];
  readonly controller = new AbortController();
  readonly at: number;
  settled = false;
  resolve: (outcome: ProbeOutcome) => void = () => undefined;

  constructor(
    readonly started: number,
    readonly timeoutMs: number,
    private readonly debugging: boolean,
  ) {
    this.at = started + timeoutMs;
  }

  private stamp(): string {
    return `${((performance.now() - this.started) / 1000).toFixed(6)}s`;
  }

  debug(message: string): void {
    if (this.debugging) this.lines.push(`${this.stamp()} debug ${message}`);
  }

  info(message: string): void {
    this.lines.push(`${this.stamp()} info ${message}`);
  }

  expire(): void {
    this.controller.abort(new Error(`probe timed out after ${this.timeoutMs} ms`));
    setTimeout(() => {
      this.info(
        `probe did not settle ${SETTLE_GRACE_MS} ms after its ${this.timeoutMs} ms deadline`,
      );
      this.resolve(TIMED_OUT);
    }, SETTLE_GRACE_MS).unref();
  }
}

/**
 * Runs one probe under its deadline. Never throws and never outlives the deadline: a prober
 * that throws is an `internal` failure, one that ignores its signal is a `timeout`. The
 * deadline shares one timer with every probe of the same timeout. `metrics` is where the
 * prober writes its series (a fresh list by default).
 */
export async function runProbe(
  module: PreparedModule,
  target: string,
  timeoutMs: number,
  debug: boolean,
  metrics: SampleSink & { readonly samples: readonly Sample[] } = new SampleList(),
): Promise<ProbeRun> {
  const attempt = new Attempt(performance.now(), timeoutMs, debug);
  if (debug) {
    attempt.debug(
      `beginning probe: module ${module.name} (${module.prober}), target ${target}, timeout ${timeoutMs} ms`,
    );
  }
  addDeadline(attempt, timeoutMs);
  const outcome = await new Promise<ProbeOutcome>((resolve) => {
    attempt.resolve = resolve;
    module
      .run({ target, timeoutMs, signal: attempt.controller.signal, metrics, log: attempt })
      .then(resolve, (error: unknown) => {
        attempt.info(
          `prober threw (a bug): ${error instanceof Error && error.stack ? error.stack : errorMessage(error)}`,
        );
        resolve({ success: false, reason: 'internal' });
      });
  });
  settleDeadline(attempt, timeoutMs);
  const durationSeconds = (performance.now() - attempt.started) / 1000;
  if (debug) {
    attempt.debug(
      `probe ${outcome.success ? 'succeeded' : `failed (${outcome.reason})`} in ${durationSeconds.toFixed(6)}s`,
    );
  }
  return { outcome, durationSeconds, samples: metrics.samples, log: attempt.lines };
}
