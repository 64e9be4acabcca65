import type { CircuitBreakerState, Layer4Metrics } from '@layerwatch/exporters';
import type { Clock } from '../clock.js';
import { between, chance } from './random.js';

/** How long a tripped breaker stays open, then half open, in seconds. */
const OPEN_SECONDS = [20, 40] as const;
const HALF_OPEN_SECONDS = [5, 10] as const;
/** A half-open breaker whose trial call fails opens again. */
const TRIAL_FAILS = 0.25;

/**
 * One circuit breaker, mostly closed: it trips about once per `meanClosedSeconds`, stays
 * open a while, tries half open, and closes (or opens again). Its state is written through
 * `setCircuitBreakerState`, which sets the current state to 1 and the others to 0.
 */
export class SimulatedBreaker {
  #state: CircuitBreakerState = 'closed';
  #left = 0;

  constructor(
    readonly name: string,
    private readonly metrics: Layer4Metrics,
    private readonly clock: Clock,
    private readonly meanClosedSeconds: number,
  ) {
    metrics.setCircuitBreakerState(name, this.#state);
  }

  get state(): CircuitBreakerState {
    return this.#state;
  }

  tick(seconds: number): void {
    const before = this.#state;
    if (this.#state === 'closed') {
      if (chance(this.clock, seconds / this.meanClosedSeconds)) this.#enter('open');
    } else {
      this.#left -= seconds;
      if (this.#left <= 0 && this.#state === 'open') this.#enter('half_open');
      else if (this.#left <= 0) this.#enter(chance(this.clock, TRIAL_FAILS) ? 'open' : 'closed');
    }
    if (this.#state !== before) this.metrics.setCircuitBreakerState(this.name, this.#state);
  }

  #enter(state: CircuitBreakerState): void {
    this.#state = state;
    const [min, max] = state === 'open' ? OPEN_SECONDS : HALF_OPEN_SECONDS;
    this.#left = state === 'closed' ? 0 : between(this.clock, min, max);
  }
}
