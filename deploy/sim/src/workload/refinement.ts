import type { Layer5Metrics } from '@layerwatch/exporters';
import { between, chance, events, normal, pick, skewed } from './random.js';
import type { Workload, WorkloadContext } from './types.js';

/** The models layer 5 serves; `/health/models` lists them, `layerwatch_model_healthy` reports them. */
export const MODELS = ['refiner-small', 'refiner-large'] as const;

/** One optimisation run's duration in seconds: healthy well under the 100 ms target. */
const OPTIMIZATION = {
  healthy: { median: 0.035, sigma: 0.35, min: 0.008, max: 0.09 },
  slow: { median: 0.25, sigma: 0.35, min: 0.12, max: 1.5 },
} as const;
const OPTIMIZATIONS_PER_SECOND = 1;

/** Experiments whose requests are assigned a variant; a fixed set, so a fixed cardinality. */
const EXPERIMENTS = ['ranker-v2', 'prompt-refine', 'batch-size'] as const;
const VARIANTS = ['control', 'treatment'] as const;
const ASSIGNMENTS_PER_SECOND = 2;
/** About once an hour an earlier experiment concludes and a drafted one starts. */
const CONCLUDES_PER_SECOND = 1 / 3_600;

/** KPI ingestion lag: wanders around 2.5 s between 1 and 4 s. */
const KPI_LAG = { mean: 2.5, min: 1, max: 4, pull: 0.1, step: 0.15 } as const;

/**
 * Layer 5 refinement: background optimisation runs (and those `/api/optimize` asks for),
 * the health of both models, A/B experiments by status with their variant assignments, and
 * the KPI ingestion lag that `/health/kpi` reports.
 */
export class RefinementWorkload implements Workload {
  #kpiLag: number = KPI_LAG.mean;
  #concluded = 12;

  constructor(
    private readonly metrics: Layer5Metrics,
    private readonly context: WorkloadContext,
  ) {
    for (const model of MODELS) metrics.setModelHealth(model, true);
    this.#writeExperiments();
    metrics.kpiIngestionLag.set(this.#kpiLag);
  }

  /** Seconds of lag of the newest KPI sample, as the gauge shows it. */
  get kpiLagSeconds(): number {
    return this.#kpiLag;
  }

  models(): { name: string; status: 'loaded' }[] {
    return MODELS.map((name) => ({ name, status: 'loaded' }));
  }

  /** How long the next optimisation run takes, in seconds (slow under its scenario). */
  optimizationSeconds(): number {
    const slow = this.context.scenario() === 'slow-optimization';
    return skewed(this.context.clock, slow ? OPTIMIZATION.slow : OPTIMIZATION.healthy);
  }

  recordOptimization(seconds: number): void {
    this.metrics.optimization.record(seconds);
  }

  tick(seconds: number): void {
    const { clock } = this.context;
    for (let n = events(clock, OPTIMIZATIONS_PER_SECOND, seconds); n > 0; n -= 1) {
      this.recordOptimization(this.optimizationSeconds());
    }
    for (let n = events(clock, ASSIGNMENTS_PER_SECOND, seconds); n > 0; n -= 1) {
      this.metrics.assignments.inc({
        experiment: pick(clock, EXPERIMENTS),
        variant: pick(clock, VARIANTS),
      });
    }
    if (chance(clock, CONCLUDES_PER_SECOND * seconds)) {
      this.#concluded += 1;
      this.#writeExperiments();
    }
    this.#wanderKpiLag(seconds);
    for (const model of MODELS) this.metrics.setModelHealth(model, true);
  }

  #writeExperiments(): void {
    this.metrics.experiments.set(EXPERIMENTS.length, { status: 'running' });
    this.metrics.experiments.set(1, { status: 'draft' });
    this.metrics.experiments.set(this.#concluded, { status: 'concluded' });
  }

  /** A mean-reverting walk, kept to 0.01 s so the gauge and `/health/kpi` agree exactly. */
  #wanderKpiLag(seconds: number): void {
    const { clock } = this.context;
    const pulled = this.#kpiLag + (KPI_LAG.mean - this.#kpiLag) * KPI_LAG.pull * seconds;
    const walked = pulled + normal(clock) * KPI_LAG.step * Math.sqrt(seconds);
    const jittered = walked + between(clock, -0.01, 0.01);
    this.#kpiLag = Math.round(Math.min(KPI_LAG.max, Math.max(KPI_LAG.min, jittered)) * 100) / 100;
    this.metrics.kpiIngestionLag.set(this.#kpiLag);
  }
}
