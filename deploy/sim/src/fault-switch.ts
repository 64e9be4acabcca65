import { jitter, type Clock } from './clock.js';
import { OK_FAULT, type Fault } from './fault.js';
import type { ScenarioName } from './scenarios.js';

/** What the fault middleware does with one request. */
export type Verdict =
  { kind: 'pass'; delayMs: number } | { kind: 'fail'; status: number } | { kind: 'hang' };

export interface FaultSnapshot {
  fault: Fault;
  /** Left before a timed fault reverts to ok; absent for untimed faults. */
  remaining_ms?: number;
}

/**
 * One service's current fault. Expiry is computed on read instead of by a timer, so there
 * is nothing to clean up on stop and tests drive it with a fake clock.
 */
export class FaultSwitch {
  #fault: Fault = OK_FAULT;
  #setAt = 0;

  constructor(private readonly clock: Clock) {}

  set(fault: Fault): void {
    this.#fault = fault;
    this.#setAt = this.clock.now();
  }

  current(): Fault {
    if (this.#remaining() === 0) this.#fault = OK_FAULT;
    return this.#fault;
  }

  /** The scenario the service's workload plays now, if one is set. */
  scenario(): ScenarioName | undefined {
    const fault = this.current();
    return fault.mode === 'scenario' ? fault.scenario : undefined;
  }

  snapshot(): FaultSnapshot {
    const fault = this.current();
    const remaining = this.#remaining();
    return remaining === undefined ? { fault } : { fault, remaining_ms: remaining };
  }

  verdict(): Verdict {
    const fault = this.current();
    switch (fault.mode) {
      case 'ok':
      case 'scenario': // a scenario plays on the domain signals; HTTP answers pass
        return { kind: 'pass', delayMs: 0 };
      case 'fail':
        return { kind: 'fail', status: fault.status };
      case 'slow':
        return { kind: 'pass', delayMs: fault.delay_ms + jitter(this.clock, fault.jitter_ms) };
      case 'hang':
        return { kind: 'hang' };
      case 'flap': {
        // Periods count from when the fault was set, failing first, so an injected flap
        // shows at once and tests know which half they are in.
        const period = Math.floor((this.clock.now() - this.#setAt) / fault.period_ms);
        return period % 2 === 0
          ? { kind: 'fail', status: fault.status }
          : { kind: 'pass', delayMs: 0 };
      }
    }
  }

  #remaining(): number | undefined {
    if (this.#fault.mode === 'ok' || this.#fault.duration_ms === undefined) return undefined;
    return Math.max(0, this.#setAt + this.#fault.duration_ms - this.clock.now());
  }
}
