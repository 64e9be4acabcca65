import type { Clock } from '../clock.js';
import type { ScenarioName } from '../scenarios.js';

/** One service's simulated work: what a real layer service does between requests. */
export interface Workload {
  /** Moves the work on by `seconds` of the clock and records what happened. */
  tick(seconds: number): void;
}

/** What every workload reads: the clock (time and chance) and its service's scenario. */
export interface WorkloadContext {
  readonly clock: Clock;
  /** The scenario set on the service's fault switch now, if any. */
  readonly scenario: () => ScenarioName | undefined;
}
