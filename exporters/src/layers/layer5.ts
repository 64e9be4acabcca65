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
  const { modelHealthy: modelHealthyDefinition, ...plain } = LAYER5;
  const modelHealthy = factory.gauge(modelHealthyDefinition);
  return {
    ...factory.create(plain),
    setModelHealth(model, healthy) {
      modelHealthy.set(healthy ? 1 : 0, { model });
    },
  };
}
