import type { FailureReason } from './failure-reason.js';
import type { SampleSink } from '../format/sample-sink.js';

/** The probe's own log: returned by `/probe?debug=true`, never shared between probes. */
export interface ProbeLog {
  /** Whether `debug` keeps its lines: check it before formatting a costly message. */
  readonly debugging: boolean;
  debug(message: string): void;
  info(message: string): void;
}

/** Everything a prober gets for one probe. The handler owns the deadline and the shared series. */
export interface ProbeContext<Settings> {
  /** The target as configured or given in `?target=` (URL, host:port, …). */
  readonly target: string;
  /** The prober's validated settings, defaults applied (e.g. the module's `http:` block). */
  readonly settings: Settings;
  /** Aborted at the deadline; probers pass it to every I/O call. */
  readonly signal: AbortSignal;
  /**
   * Also cancels `io` at the deadline (one at a time: a later call replaces it). For I/O that
   * has its own cancel, this costs less than a listener on `signal`.
   */
  onDeadline(io: Cancellable): void;
  /** True once the deadline has passed. */
  readonly expired: boolean;
  /** Milliseconds from the start of the probe to its deadline. */
  readonly timeoutMs: number;
  /** Where the prober writes its series (`probe_http_status_code`, …). */
  readonly metrics: SampleSink;
  readonly log: ProbeLog;
}

/**
 * How long past its deadline a probe may take to settle: runProbe waits this long for a
 * prober that ignores its signal, and a cancelled HTTP exchange settles itself after it.
 */
export const SETTLE_GRACE_MS = 50;

/** Something a deadline can cancel. */
export interface Cancellable {
  cancel(reason: Error): void;
}

export type ProbeOutcome =
  { readonly success: true } | { readonly success: false; readonly reason: FailureReason };

/**
 * One contract for every protocol. A prober logs why it failed and resolves to an outcome;
 * it never throws and never outlives `signal` (the handler also guards both).
 */
export type ProbeFn<Settings> = (ctx: ProbeContext<Settings>) => Promise<ProbeOutcome>;

export const succeeded: ProbeOutcome = Object.freeze({ success: true });

/** Logs the reason and returns the failed outcome, so probers can `return fail(...)`. */
export function fail(log: ProbeLog, reason: FailureReason, message: string): ProbeOutcome {
  log.info(`probe failed (${reason}): ${message}`);
  return { success: false, reason };
}

/**
 * A protocol: its settings schema (the module's `http:`/`tcp:`/… block), a `prepare` step
 * run once at config load (compile regexps, read TLS files, build connection pools), and
 * the probe itself. `prepare` throws `SettingsError` naming the field; the config loader
 * turns that into `file:line`.
 */
export interface Prober<Settings, Prepared = Settings> {
  readonly name: string;
  prepare(settings: Settings): Prepared;
  readonly probe: ProbeFn<Prepared>;
  /**
   * Its probe settles by itself soon after the deadline (its I/O, cancelled through
   * `onDeadline`, settles within a grace of its own), so the handler need not race it
   * against the deadline: one promise less per probe.
   */
  readonly settlesAtDeadline?: boolean;
  /** Releases what `prepare` built (pooled connections), when a reload replaces it. */
  close?(prepared: Prepared): Promise<void>;
}

/** A problem in a prober's settings found by `prepare`; `path` is relative to the block. */
export class SettingsError extends Error {
  constructor(
    readonly path: readonly (string | number)[],
    message: string,
  ) {
    super(message);
    this.name = 'SettingsError';
  }
}
