export { createWorkloads, tickOrder, type Workloads } from './registry.js';
export { startTicking, MAX_TICK_SECONDS, type Ticking } from './ticker.js';
export type { Workload, WorkloadContext } from './types.js';
export { TaskQueue } from './task-queue.js';
export { TASK_DEADLINE_SECONDS } from './agent.js';
export { ARRIVALS_PER_SECOND } from './scheduler.js';
export { MODELS } from './refinement.js';
export { POPULATION_SIZE, START_GENERATION, type PopulationStatus } from './evolution.js';
