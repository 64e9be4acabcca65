import type { Layer4Metrics } from '@layerwatch/exporters';
import { SimulatedBreaker } from './breaker.js';
import { between, events, pick, skewed, weighted } from './random.js';
import type { TaskQueue } from './task-queue.js';
import type { Workload, WorkloadContext } from './types.js';

/**
 * A task that waited longer than this is dropped as failed (deadline_exceeded) by the worker
 * that takes it: as with Celery's `expires`, the deadline is checked on receipt, so while
 * the workers fall behind the queue keeps growing (and so does the Redis list).
 */
export const TASK_DEADLINE_SECONDS = 120;

interface WorkerProfile {
  /** Tasks the workers finish per second when the queue has them. */
  readonly tasksPerSecond: number;
  readonly processing: Parameters<typeof skewed>[1];
  readonly failureRatio: number;
  /** Failure reasons by weight. */
  readonly reasons: Readonly<Record<string, number>>;
}

/** How the agents' workers behave: healthy, and with the queue-backlog scenario. */
const WORKERS: Readonly<Record<'healthy' | 'backlog', WorkerProfile>> = {
  healthy: {
    tasksPerSecond: 20, // far above the ~2/s the scheduler enqueues: the queue stays short
    processing: { median: 0.35, sigma: 0.5, min: 0.02, max: 4 },
    failureRatio: 0.015,
    reasons: { invalid_input: 6, worker_timeout: 3, wasm_trap: 1 },
  },
  backlog: {
    tasksPerSecond: 0.5, // a slow dependency holds every worker
    processing: { median: 6, sigma: 0.4, min: 2, max: 30 },
    failureRatio: 0.2,
    reasons: { worker_timeout: 8, invalid_input: 2 },
  },
};

const REASONS = ['invalid_input', 'worker_timeout', 'wasm_trap', 'deadline_exceeded'] as const;
const WASM = {
  perSecond: 1 / 120,
  modules: ['tokenizer', 'planner'],
  reasons: { trap: 6, memory: 3, instantiation: 1 },
} as const;

/**
 * Layer 4 agent: workers take tasks from the queue oldest first, recording each task's
 * queue wait and processing time and whether it was processed or failed (by reason); the
 * WASM runtime fails now and then; two circuit breakers guard its dependencies.
 */
export class AgentWorkload implements Workload {
  readonly #breakers: SimulatedBreaker[];
  #budget = 0;

  constructor(
    private readonly metrics: Layer4Metrics,
    private readonly queue: TaskQueue,
    private readonly context: WorkloadContext,
  ) {
    const labels = { queue: queue.name };
    metrics.tasksProcessed.add(0, labels);
    for (const reason of REASONS) metrics.tasksFailed.add(0, { ...labels, reason });
    for (const module of WASM.modules) {
      for (const reason of Object.keys(WASM.reasons))
        metrics.wasmFailures.add(0, { module, reason });
    }
    this.#breakers = [
      new SimulatedBreaker('refinement-api', metrics, context.clock, 3_600),
      new SimulatedBreaker('task-store', metrics, context.clock, 7_200),
    ];
  }

  tick(seconds: number): void {
    const workers = this.context.scenario() === 'queue-backlog' ? WORKERS.backlog : WORKERS.healthy;
    this.#budget += workers.tasksPerSecond * seconds;
    while (this.#budget >= 1 && this.#work(workers)) this.#budget -= 1;
    // Idle capacity is not saved up.
    this.#budget = Math.min(this.#budget, 1);
    this.#wasm(seconds);
    for (const breaker of this.#breakers) breaker.tick(seconds);
  }

  /** One worker takes one task; false when the queue is empty. */
  #work(workers: WorkerProfile): boolean {
    const { clock } = this.context;
    const enqueuedAt = this.queue.take();
    if (enqueuedAt === undefined) return false;
    const labels = { queue: this.queue.name };
    const pickup = between(clock, 0.005, 0.05);
    const waited = (clock.now() - enqueuedAt) / 1000 + pickup;
    this.metrics.queueWait.record(waited, labels);
    if (waited > TASK_DEADLINE_SECONDS) {
      this.metrics.tasksFailed.inc({ ...labels, reason: 'deadline_exceeded' });
      return true;
    }
    this.metrics.processing.record(skewed(clock, workers.processing), labels);
    if (clock.random() < workers.failureRatio) {
      this.metrics.tasksFailed.inc({ ...labels, reason: weighted(clock, workers.reasons) });
    } else {
      this.metrics.tasksProcessed.inc(labels);
    }
    return true;
  }

  #wasm(seconds: number): void {
    const { clock } = this.context;
    for (let n = events(clock, WASM.perSecond, seconds); n > 0; n -= 1) {
      this.metrics.wasmFailures.inc({
        module: pick(clock, WASM.modules),
        reason: weighted(clock, WASM.reasons),
      });
    }
  }
}
