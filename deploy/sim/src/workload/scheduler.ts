import type { Layer4Metrics } from '@layerwatch/exporters';
import { SimulatedBreaker } from './breaker.js';
import { events } from './random.js';
import type { TaskQueue } from './task-queue.js';
import type { Workload, WorkloadContext } from './types.js';

/** Tasks the scheduler enqueues per second, on average. */
export const ARRIVALS_PER_SECOND = 2;

/**
 * Layer 4 scheduler: enqueues tasks at a jittered rate (counting those a full queue refuses
 * as failed, reason queue_full) behind its dispatch circuit breaker.
 */
export class SchedulerWorkload implements Workload {
  readonly #breaker: SimulatedBreaker;

  constructor(
    private readonly metrics: Layer4Metrics,
    private readonly queue: TaskQueue,
    private readonly context: WorkloadContext,
  ) {
    metrics.tasksFailed.add(0, { queue: queue.name, reason: 'queue_full' });
    this.#breaker = new SimulatedBreaker('agent-dispatch', metrics, context.clock, 5_400);
  }

  /** Tasks waiting now, as `/health/queue` reports them. */
  get queueDepth(): number {
    return this.queue.depth;
  }

  tick(seconds: number): void {
    const { clock } = this.context;
    const now = clock.now();
    const count = events(clock, ARRIVALS_PER_SECOND, seconds);
    // Spread over the tick, oldest first.
    const times = Array.from({ length: count }, () => now - clock.random() * seconds * 1000);
    for (const at of times.sort((a, b) => a - b)) {
      if (!this.queue.enqueue(at)) {
        this.metrics.tasksFailed.inc({ queue: this.queue.name, reason: 'queue_full' });
      }
    }
    this.#breaker.tick(seconds);
  }
}
