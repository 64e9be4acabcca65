import type { Layer8Metrics } from '@layerwatch/exporters';
import { between, chance } from './random.js';
import type { TaskQueue } from './task-queue.js';
import type { Workload, WorkloadContext } from './types.js';

/** On-demand price of one H100-class GPU in US dollars per hour, as GPU clouds list it. */
export const USD_PER_GPU_HOUR = 2.99;

/** The GPU node the resource manager allocates from. */
export interface GpuPool {
  /** The `node` label: the same name the GPU node's collector gives its series. */
  readonly node: string;
  readonly gpus: number;
  /** True for the simulated GPU node, false for this machine's real one. */
  readonly simulated: boolean;
}

/** What `/api/gpus` answers for one node: the numbers the gauges show. */
export interface NodeAllocation {
  readonly node: string;
  readonly simulated: boolean;
  readonly capacity: number;
  readonly allocated: number;
  readonly free: number;
  readonly usd_per_gpu_hour: number;
  readonly usd_per_hour: number;
}

/** Demand follows a ten-minute wave; a task backlog of this many asks for every GPU. */
const DEMAND = { periodMs: 600_000, mean: 0.5, swing: 0.25, noise: 0.1, backlogForAll: 100 };
/** Jobs hold their GPUs for a while: about one GPU is granted or released every 15 s. */
const MOVES_PER_SECOND = 1 / 15;

/**
 * Layer 8 resources: the GPU resource manager the node registers with. Layer 4's work
 * (a slow wave of demand, and the task queue's backlog on top) is granted GPUs one at a
 * time up to the node's capacity; the allocated GPUs cost `USD_PER_GPU_HOUR` each.
 */
export class ResourcesWorkload implements Workload {
  #allocated: number;

  constructor(
    private readonly metrics: Layer8Metrics,
    private readonly pool: GpuPool,
    private readonly queue: TaskQueue,
    private readonly context: WorkloadContext,
  ) {
    this.#allocated = Math.min(pool.gpus, Math.round(pool.gpus * DEMAND.mean));
    this.#record();
  }

  allocations(): NodeAllocation[] {
    const { node, simulated, gpus } = this.pool;
    return [
      {
        node,
        simulated,
        capacity: gpus,
        allocated: this.#allocated,
        free: gpus - this.#allocated,
        usd_per_gpu_hour: USD_PER_GPU_HOUR,
        usd_per_hour: this.#cost(),
      },
    ];
  }

  tick(seconds: number): void {
    const target = Math.round(this.pool.gpus * this.#demand());
    if (target !== this.#allocated && chance(this.context.clock, MOVES_PER_SECOND * seconds)) {
      this.#allocated += target > this.#allocated ? 1 : -1;
    }
    this.#record();
  }

  /** Share of the node's GPUs layer 4 asks for now, in 0..1. */
  #demand(): number {
    const { clock } = this.context;
    const wave = Math.sin((clock.now() / DEMAND.periodMs) * 2 * Math.PI);
    const backlog = this.queue.depth / DEMAND.backlogForAll;
    const share = DEMAND.mean + DEMAND.swing * wave + between(clock, -1, 1) * DEMAND.noise;
    return Math.min(1, Math.max(0, share + backlog));
  }

  #cost(): number {
    return Math.round(this.#allocated * USD_PER_GPU_HOUR * 100) / 100;
  }

  #record(): void {
    const { node, gpus } = this.pool;
    this.metrics.setGpuAllocation(node, this.#allocated, gpus);
    this.metrics.costPerHour.set(this.#cost(), { node });
  }
}
