import { LAYER8 } from '../instruments/catalog.js';
import type { InstrumentFactory } from '../instruments/factory.js';
import type { GuardedGauge } from '../instruments/guarded.js';

/** Layer 8 (resources): GPU allocation and what it costs. */
export interface Layer8Metrics {
  /** US dollars per hour the node's allocated GPUs cost: `costPerHour.set(12.4, { node })`. */
  readonly costPerHour: GuardedGauge<'node'>;
  setGpuAllocation(node: string, allocated: number, capacity: number): void;
}

export function createLayer8Metrics(factory: InstrumentFactory): Layer8Metrics {
  const allocated = factory.gauge(LAYER8.gpuAllocated);
  const capacity = factory.gauge(LAYER8.gpuCapacity);
  return {
    costPerHour: factory.gauge(LAYER8.costPerHour),
    setGpuAllocation(node, inUse, total) {
      allocated.set(inUse, { node });
      capacity.set(total, { node });
    },
  };
}
