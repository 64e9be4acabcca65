import { LAYER5 } from '../instruments/catalog.js';
import type { InstrumentFactory } from '../instruments/factory.js';
import type { GuardedCounter, GuardedGauge, GuardedHistogram } from '../instruments/guarded.js';

/** Layer 5 (refinement): optimisation runs, models, A/B experiments and KPI ingestion. */
export interface Layer5Metrics {
  /** Seconds one optimisation took: `optimization.record(0.042)`. */
  readonly optimization: GuardedHistogram<never>;
  /** Number of A/B experiments in a status: `experiments.set(3, { status: 'running' })`. */
  readonly experiments: GuardedGauge<'status'>;
  readonly assignments: GuardedCounter<'experiment' | 'variant'>;
  /** Seconds between a KPI sample's time and its ingestion. */
  readonly kpiIngestionLag: GuardedGauge<never>;
  setModelHealth(model: string, healthy: boolean): void;
}

export function createLayer5Metrics(factory: InstrumentFactory): Layer5Metrics {
  const modelHealthy = factory.gauge(LAYER5.modelHealthy);
  return {
    optimization: factory.histogram(LAYER5.optimization),
    experiments: factory.gauge(LAYER5.experiments),
    assignments: factory.counter(LAYER5.assignments),
    kpiIngestionLag: factory.gauge(LAYER5.kpiIngestionLag),
    setModelHealth(model, healthy) {
      modelHealthy.set(healthy ? 1 : 0, { model });
    },
  };
}
