import { LAYER4 } from '../instruments/catalog.js';
import type { InstrumentFactory } from '../instruments/factory.js';
import type { GuardedCounter, GuardedHistogram } from '../instruments/guarded.js';

export const CIRCUIT_BREAKER_STATES = ['closed', 'open', 'half_open'] as const;
export type CircuitBreakerState = (typeof CIRCUIT_BREAKER_STATES)[number];

/** Layer 4 (execution): the task queue, workers, the WASM runtime and circuit breakers. */
export interface Layer4Metrics {
  /** Seconds a task waited in its queue: `queueWait.record(0.8, { queue: 'agent-tasks' })`. */
  readonly queueWait: GuardedHistogram<'queue'>;
  /** Seconds a worker spent on a task. */
  readonly processing: GuardedHistogram<'queue'>;
  readonly tasksProcessed: GuardedCounter<'queue'>;
  readonly tasksFailed: GuardedCounter<'queue' | 'reason'>;
  readonly wasmFailures: GuardedCounter<'module' | 'reason'>;
  /** Sets the breaker's current state to 1 and its other states to 0. */
  setCircuitBreakerState(breaker: string, state: CircuitBreakerState): void;
}

export function createLayer4Metrics(factory: InstrumentFactory): Layer4Metrics {
  const { circuitBreakerState, ...plain } = LAYER4;
  const breakerState = factory.gauge(circuitBreakerState);
  return {
    ...factory.create(plain),
    setCircuitBreakerState(breaker, state) {
      if (!CIRCUIT_BREAKER_STATES.includes(state)) {
        throw new Error(
          `circuit breaker ${JSON.stringify(breaker)}: state ${JSON.stringify(state)} is not one of ${CIRCUIT_BREAKER_STATES.join(', ')}`,
        );
      }
      for (const each of CIRCUIT_BREAKER_STATES) {
        breakerState.set(each === state ? 1 : 0, { breaker, state: each });
      }
    },
  };
}
