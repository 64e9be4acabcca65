import { performance } from 'node:perf_hooks';
import type { PreparedModule } from '../config/prepare.js';
import { SampleList, type Sample, type SampleSink } from '../format/sample-sink.js';
import {
  SETTLE_GRACE_MS,
  type Cancellable,
  type ProbeContext,
  type ProbeLog,
  type ProbeOutcome,
} from '../prober/types.js';
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

const TIMED_OUT: ProbeOutcome = Object.freeze({ success: false, reason: 'timeout' });
const INTERNAL: ProbeOutcome = Object.freeze({ success: false, reason: 'internal' });

/**
 * One probe in flight, and the context its prober gets: its log, its deadline, the sink for
 * its series, in one object. The AbortController is made only when a prober reads `signal`
 * (the http prober cancels through `onDeadline` instead): it costs a few µs per probe.
 */
class Attempt implements ProbeContext<unknown>, ProbeLog, Expiring {
  readonly lines: string[] = [];
  readonly at: number;
  readonly log: ProbeLog = this;
  settled = false;
  expired = false;
  /** Set by `race`: settles the probe as a timeout when the prober does not settle. */
  private resolve: ((outcome: ProbeOutcome) => void) | undefined;
  private controller: AbortController | undefined;
  private io: Cancellable | undefined;

  constructor(
    readonly target: string,
    readonly settings: unknown,
    readonly metrics: SampleSink,
    readonly started: number,
    readonly timeoutMs: number,
    readonly debugging: boolean,
  ) {
    this.at = started + timeoutMs;
  }

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.expired && !this.controller.signal.aborted) this.controller.abort(this.reason());
    return this.controller.signal;
  }

  onDeadline(io: Cancellable): void {
    this.io = io;
  }

  private reason(): Error {
    return new Error(`probe timed out after ${this.timeoutMs} ms`);
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
    this.expired = true;
    const reason = this.reason();
    this.controller?.abort(reason);
    this.io?.cancel(reason);
    const { resolve } = this;
    if (!resolve) return;
    setTimeout(() => {
      if (this.settled) return;
      this.info(
        `probe did not settle ${SETTLE_GRACE_MS} ms after its ${this.timeoutMs} ms deadline`,
      );
      resolve(TIMED_OUT);
    }, SETTLE_GRACE_MS).unref();
  }

  /** The probe, or a timeout once it ignored its deadline for SETTLE_GRACE_MS. */
  race(probing: Promise<ProbeOutcome>): Promise<ProbeOutcome> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      probing.then(resolve, (error: unknown) => resolve(this.threw(error)));
    });
  }

  /** A prober that throws is a bug: logged with its stack, failed as `internal`. */
  threw(error: unknown): ProbeOutcome {
    this.info(
      `prober threw (a bug): ${error instanceof Error && error.stack ? error.stack : errorMessage(error)}`,
    );
    return INTERNAL;
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
  const attempt = new Attempt(
    target,
    module.settings,
    metrics,
    performance.now(),
    timeoutMs,
    debug,
  );
  if (debug) {
    attempt.debug(
      `beginning probe: module ${module.name} (${module.prober}), target ${target}, timeout ${timeoutMs} ms`,
    );
  }
  addDeadline(attempt, timeoutMs);
  let outcome: ProbeOutcome;
  try {
    const probing = module.probe(attempt);
    outcome = await (module.settlesAtDeadline ? probing : attempt.race(probing));
  } catch (error) {
    outcome = attempt.threw(error);
  }
  settleDeadline(attempt, timeoutMs);
  const durationSeconds = (performance.now() - attempt.started) / 1000;
  if (debug) {
    attempt.debug(
      `probe ${outcome.success ? 'succeeded' : `failed (${outcome.reason})`} in ${durationSeconds.toFixed(6)}s`,
    );
  }
  return { outcome, durationSeconds, samples: metrics.samples, log: attempt.lines };
}
