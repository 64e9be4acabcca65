import type { CommonMetrics, Layer7Metrics } from '@layerwatch/exporters';
import { between, chance, events, skewed, weighted } from './random.js';
import type { Workload, WorkloadContext } from './types.js';

export const START_GENERATION = 42;
export const POPULATION_SIZE = 64;

/** A generation is evaluated every ~10 s; a run converges every ~45 s and is deployed. */
const GENERATIONS_PER_SECOND = 0.1;
const CONVERGENCES_PER_SECOND = 1 / 45;
const GENERATIONS_TO_CONVERGE = { median: 40, sigma: 0.5, min: 5, max: 500 } as const;
const DEPLOYMENT_FAILS = 0.05;

/** Enhancements reaching the validation gate, and how it judges them. */
const ENHANCEMENTS_PER_SECOND = 0.5;
const GATE: Readonly<
  Record<
    'healthy' | 'rejecting',
    { rejectRatio: number; reasons: Readonly<Record<string, number>> }
  >
> = {
  healthy: {
    rejectRatio: 0.1,
    reasons: { fitness_regression: 5, schema_invalid: 3, safety_check: 2 },
  },
  rejecting: { rejectRatio: 0.9, reasons: { fitness_regression: 7, safety_check: 3 } },
};

export interface PopulationStatus {
  generation: number;
  population_size: number;
  diversity: number;
  best_fitness: number;
}

/**
 * Layer 7 evolution: generations go by, runs converge and their best genome is deployed (a
 * failed deployment rolls back one generation), diversity and best fitness wander, and the
 * enhancement validation gate judges what arrives. `/api/population/status` reads the same
 * numbers the gauges show; the rollback route rolls back through here and is counted.
 */
export class EvolutionWorkload implements Workload {
  #generation = START_GENERATION;
  #partial = 0;
  #diversity = 0.73;
  #bestFitness = 0.91;
  /** The run under way at start converges at the first tick, so the histogram has data. */
  #converged = false;

  constructor(
    private readonly metrics: Layer7Metrics,
    private readonly common: CommonMetrics,
    private readonly context: WorkloadContext,
  ) {
    metrics.rollbacks.add(0);
    common.validationGate.declareReasons(
      new Set(Object.values(GATE).flatMap((gate) => Object.keys(gate.reasons))),
    );
    this.#writePopulation();
  }

  status(): PopulationStatus {
    return {
      generation: this.#generation,
      population_size: POPULATION_SIZE,
      diversity: this.#diversity,
      best_fitness: this.#bestFitness,
    };
  }

  /** Back to `generation` (one back when not given), counted as a rollback. */
  rollback(generation = Math.max(0, this.#generation - 1)): number {
    this.#generation = generation;
    this.metrics.rollbacks.inc();
    return generation;
  }

  tick(seconds: number): void {
    const { clock } = this.context;
    this.#partial += GENERATIONS_PER_SECOND * seconds;
    const passed = Math.floor(this.#partial);
    this.#partial -= passed;
    this.#generation += passed;
    if (!this.#converged || chance(clock, CONVERGENCES_PER_SECOND * seconds)) this.#converge();
    this.#wander(seconds);
    this.#gate(seconds);
  }

  #converge(): void {
    const { clock } = this.context;
    this.#converged = true;
    this.metrics.generationsToConverge.record(Math.round(skewed(clock, GENERATIONS_TO_CONVERGE)));
    const failed = chance(clock, DEPLOYMENT_FAILS);
    this.metrics.recordDeployment(failed ? 'failed' : 'succeeded');
    if (failed) this.rollback();
  }

  /** Diversity wanders in 0.55..0.9; fitness creeps up with noise, below 0.99. */
  #wander(seconds: number): void {
    const { clock } = this.context;
    const step = Math.sqrt(seconds);
    this.#diversity = round3(
      clamp(this.#diversity + between(clock, -0.01, 0.01) * step, 0.55, 0.9),
    );
    const drift = between(clock, -0.004, 0.005) * step;
    this.#bestFitness = round3(clamp(this.#bestFitness + drift, 0.8, 0.99));
    this.#writePopulation();
  }

  #writePopulation(): void {
    this.metrics.diversity.set(this.#diversity);
    this.metrics.bestFitness.set(this.#bestFitness);
  }

  #gate(seconds: number): void {
    const { clock } = this.context;
    const gate = this.context.scenario() === 'gate-rejections' ? GATE.rejecting : GATE.healthy;
    const gateway = this.common.validationGate;
    for (let n = events(clock, ENHANCEMENTS_PER_SECOND, seconds); n > 0; n -= 1) {
      gateway.received();
      if (chance(clock, gate.rejectRatio)) gateway.rejected(weighted(clock, gate.reasons));
      else gateway.accepted();
    }
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
