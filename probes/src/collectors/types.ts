import type { SampleList } from '../format/sample-sink.js';

/**
 * A collector gathers series in the background on its own interval (GPU utilization,
 * the ledger's checksums, the readiness gate), beside the probers. A scrape only reads the
 * latest rendered text: it never waits on a collection and never triggers one.
 */
export interface Collector {
  readonly name: string;
  /** Starts background collection, the first run right away. */
  start(): void;
  /** Stops the schedule and aborts a run in progress; resolves when idle. Safe to call twice. */
  stop(): Promise<void>;
  /** The latest collection as Prometheus text (HELP/TYPE included); never throws. */
  render(): string;
  /** Runs one collection now and resolves when it is rendered (tests, benchmarks, CLI). */
  collectNow(): Promise<void>;
}

/**
 * One run of a collector: writes its series into `metrics`. It may throw: the periodic
 * runner logs the error and renders whatever the function wrote before it threw, so a
 * collector can report its own `…_up 0` gauge first and still fail loudly.
 */
export type CollectFn = (metrics: SampleList, signal: AbortSignal) => Promise<void>;
