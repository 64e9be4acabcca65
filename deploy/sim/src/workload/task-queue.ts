import { TASK_QUEUE } from '@layerwatch/vocabulary';

/**
 * Layer 4's task queue as both layer 4 services see it (in the platform it lives in Redis;
 * `RedisQueueMirror` copies it there when the simulator is given one): the scheduler
 * enqueues, the agents' workers take tasks oldest first. It holds enqueue
 * times only, so a task's queue wait is exact. Bounded: past `capacity` new tasks are
 * refused, which the scheduler counts as failed.
 */
export class TaskQueue {
  readonly name = TASK_QUEUE;
  /** Enqueue times in ms, oldest first, from `#head` on. */
  #times: number[] = [];
  #head = 0;
  #enqueued = 0;

  constructor(readonly capacity = 5_000) {}

  get depth(): number {
    return this.#times.length - this.#head;
  }

  /** Tasks enqueued since the start (refused ones not counted). */
  get enqueued(): number {
    return this.#enqueued;
  }

  /** False when the queue is full and the task was refused. */
  enqueue(atMs: number): boolean {
    if (this.depth >= this.capacity) return false;
    this.#times.push(atMs);
    this.#enqueued += 1;
    return true;
  }

  /** The enqueue times of the `count` newest waiting tasks, oldest first. */
  newest(count: number): number[] {
    return this.#times.slice(Math.max(this.#head, this.#times.length - count));
  }

  /** When the oldest waiting task was enqueued, without taking it. */
  oldest(): number | undefined {
    return this.#times[this.#head];
  }

  /** Takes the oldest waiting task: its enqueue time, or undefined when empty. */
  take(): number | undefined {
    const at = this.#times[this.#head];
    if (at === undefined) return undefined;
    this.#head += 1;
    // Drop the taken prefix now and then instead of shifting on every take.
    if (this.#head > 1_024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
    return at;
  }
}
