import { redisCommands } from '@layerwatch/local';
import type { TaskQueue } from './task-queue.js';
import type { Workload } from './types.js';

/** Where the platform's Redis listens. */
export interface RedisAddress {
  readonly host: string;
  readonly port: number;
}

/** Tasks pushed in one sync at most; a longer backlog is caught up over the next ticks. */
export const MAX_PUSH_PER_SYNC = 500;
const TIMEOUT_MS = 900;

/**
 * Mirrors layer 4's task queue into the Redis list of the same name, so the probe daemon's
 * `LLEN` (`probe_redis_queue_length`) sees what the agents see. Each tick, one connection
 * and one pipeline: `RPUSH` the tasks enqueued since the last sync (each entry a task's
 * enqueue time in ms), `LTRIM` to the newest `depth` (the agents took the oldest) or `DEL`
 * when the queue is empty, and `LLEN`. Bounded: the list never holds more than the queue,
 * itself bounded. A sync still running when the next tick comes is not doubled; a failed
 * one is logged once until Redis answers again, and the next tick retries (refilling the
 * list to the queue's length).
 */
export class RedisQueueMirror implements Workload {
  /** The list's length at the last sync that Redis answered. */
  #length = 0;
  /** The queue's enqueue count at that sync. */
  #enqueued = 0;
  #syncing: Promise<void> | undefined;
  #failing = false;

  constructor(
    private readonly queue: TaskQueue,
    private readonly redis: RedisAddress,
    private readonly log: (line: string) => void,
  ) {}

  /** The list's length as Redis last reported it. */
  get length(): number {
    return this.#length;
  }

  tick(): void {
    this.#syncing ??= this.sync().finally(() => (this.#syncing = undefined));
  }

  /** One sync now; resolves when Redis answered (or the failure was logged). */
  async sync(): Promise<void> {
    const { depth, enqueued, name: key } = this.queue;
    const missing = Math.max(enqueued - this.#enqueued, depth - this.#length);
    const push = Math.min(MAX_PUSH_PER_SYNC, depth, missing);
    const commands: string[][] = [
      ...(push > 0 ? [['RPUSH', key, ...this.queue.newest(push).map(String)]] : []),
      depth > 0 ? ['LTRIM', key, String(-depth), '-1'] : ['DEL', key],
      ['LLEN', key],
    ];
    try {
      const replies = await redisCommands(this.redis.host, this.redis.port, commands, {
        timeoutMs: TIMEOUT_MS,
      });
      const error = replies.find((line) => line.startsWith('-'));
      if (error !== undefined) throw new Error(error.slice(1));
      this.#length = Number((replies.at(-1) ?? ':0').slice(1));
      this.#enqueued = enqueued;
      if (this.#failing) this.log(`task queue mirror: Redis answers again (${this.#where()})`);
      this.#failing = false;
    } catch (error) {
      if (!this.#failing) {
        const reason = error instanceof Error ? error.message : String(error);
        this.log(`task queue mirror: ${this.#where()}: ${reason}; retrying every tick`);
      }
      this.#failing = true;
    }
  }

  /** Waits for a sync under way, so a stop leaves no socket behind. */
  async settled(): Promise<void> {
    await this.#syncing;
  }

  #where(): string {
    return `Redis ${this.redis.host}:${this.redis.port} list ${this.queue.name}`;
  }
}
