import type { LayerInstrumentation } from '@layerwatch/exporters';
import type { ServiceName } from '../services/names.js';
import { AgentWorkload } from './agent.js';
import { EvolutionWorkload } from './evolution.js';
import { RedisQueueMirror, type RedisAddress } from './redis-mirror.js';
import { RefinementWorkload } from './refinement.js';
import { ResourcesWorkload, type GpuPool } from './resources.js';
import { SchedulerWorkload } from './scheduler.js';
import { TaskQueue } from './task-queue.js';
import type { Workload, WorkloadContext } from './types.js';

/** Every service's workload; a service's routes read and drive their own. */
export interface Workloads {
  readonly agent: AgentWorkload;
  readonly scheduler: SchedulerWorkload;
  readonly refinement: RefinementWorkload;
  readonly evolution: EvolutionWorkload;
  readonly resources: ResourcesWorkload;
  /** Copies the task queue into Redis, when the simulator was given one. */
  readonly queueMirror: RedisQueueMirror | undefined;
}

/** What the workloads need beyond their services: the GPU node, and Redis if there is one. */
export interface WorkloadSetup {
  readonly gpuPool: GpuPool;
  readonly redis: RedisAddress | undefined;
  readonly log: (line: string) => void;
}

/**
 * The workloads of the five services, each recording through its own service's
 * instrumentation; the layer 4 pair share one task queue, whose backlog also asks the
 * resources service for GPUs.
 */
export function createWorkloads(
  instrumentation: (name: ServiceName) => LayerInstrumentation,
  context: (name: ServiceName) => WorkloadContext,
  setup: WorkloadSetup,
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
    resources: new ResourcesWorkload(
      instrumentation('resources').layer8,
      setup.gpuPool,
      queue,
      context('resources'),
    ),
    queueMirror: setup.redis && new RedisQueueMirror(queue, setup.redis, setup.log),
  };
}

/** In tick order: the scheduler enqueues before the agents take; Redis sees the result. */
export function tickOrder(workloads: Workloads): Workload[] {
  return [
    workloads.scheduler,
    workloads.agent,
    workloads.refinement,
    workloads.evolution,
    workloads.resources,
    ...(workloads.queueMirror ? [workloads.queueMirror] : []),
  ];
}
