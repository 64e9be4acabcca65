import type { LayerInstrumentation } from '@layerwatch/exporters';
import type { ServiceName } from '../services/types.js';
import { AgentWorkload } from './agent.js';
import { EvolutionWorkload } from './evolution.js';
import { RefinementWorkload } from './refinement.js';
import { SchedulerWorkload } from './scheduler.js';
import { TaskQueue } from './task-queue.js';
import type { Workload, WorkloadContext } from './types.js';

/** Every service's workload; a service's routes read and drive their own. */
export interface Workloads {
  readonly agent: AgentWorkload;
  readonly scheduler: SchedulerWorkload;
  readonly refinement: RefinementWorkload;
  readonly evolution: EvolutionWorkload;
}

/**
 * The workloads of the four services, each recording through its own service's
 * instrumentation; the layer 4 pair share one task queue.
 */
export function createWorkloads(
  instrumentation: (name: ServiceName) => LayerInstrumentation,
  context: (name: ServiceName) => WorkloadContext,
): Workloads {
  const queue = new TaskQueue();
  return {
    agent: new AgentWorkload(instrumentation('agent').layer4, queue, context('agent')),
    scheduler: new SchedulerWorkload(
      instrumentation('scheduler').layer4,
      queue,
      context('scheduler'),
    ),
    refinement: new RefinementWorkload(instrumentation('refinement').layer5, context('refinement')),
    evolution: new EvolutionWorkload(
      instrumentation('evolution').layer7,
      instrumentation('evolution').common,
      context('evolution'),
    ),
  };
}

/** In tick order: the scheduler enqueues before the agents take. */
export function tickOrder(workloads: Workloads): Workload[] {
  return [workloads.scheduler, workloads.agent, workloads.refinement, workloads.evolution];
}
