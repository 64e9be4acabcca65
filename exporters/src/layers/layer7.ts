import { LAYER7 } from '../instruments/catalog.js';
import type { InstrumentFactory } from '../instruments/factory.js';
import type { GuardedCounter, GuardedGauge, GuardedHistogram } from '../instruments/guarded.js';

export type DeploymentOutcome = 'succeeded' | 'failed';

/** Layer 7 (evolution): convergence, the population, genome deployments and rollbacks. */
export interface Layer7Metrics {
  /** Generations a run needed: `generationsToConverge.record(37)`. */
  readonly generationsToConverge: GuardedHistogram<never>;
  readonly diversity: GuardedGauge<never>;
  readonly bestFitness: GuardedGauge<never>;
  readonly rollbacks: GuardedCounter<never>;
  recordDeployment(outcome: DeploymentOutcome): void;
}

export function createLayer7Metrics(factory: InstrumentFactory): Layer7Metrics {
  const { deployments: deploymentsDefinition, ...plain } = LAYER7;
  const deployments = factory.counter(deploymentsDefinition);
  return {
    ...factory.create(plain),
    recordDeployment(outcome) {
      if (outcome !== 'succeeded' && outcome !== 'failed') {
        throw new Error(
          `genome deployment outcome ${JSON.stringify(outcome)} is not "succeeded" or "failed"`,
        );
      }
      deployments.inc({ outcome });
    },
  };
}
