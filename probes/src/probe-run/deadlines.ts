import { performance } from 'node:perf_hooks';

/** Something with a deadline: `expire()` runs once, at `at`, unless it settled first. */
export interface Expiring {
  readonly at: number;
  settled: boolean;
  expire(): void;
}

/**
 * Deadlines of one length in one timer. Probes of one timeout start in order, so their
 * deadlines come in order: a FIFO, its settled entries trimmed from the front, and one
 * timer armed for the oldest live one, instead of a timer per probe.
 */
class DeadlineQueue {
  private readonly entries: Expiring[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  /** `onEmpty` runs when the last entry is gone (the queue is forgotten until needed again). */
  constructor(private readonly onEmpty: () => void) {}

  add(entry: Expiring): void {
    this.entries.push(entry);
    if (!this.timer) this.arm();
  }

  /** Drops settled entries from the front, so a run of finished probes costs no memory. */
  trim(): void {
    const { entries } = this;
    while (this.head < entries.length && (entries[this.head] as Expiring).settled) this.head += 1;
    if (this.head === entries.length) {
      entries.length = 0;
      this.head = 0;
      clearTimeout(this.timer); // nothing left to wait for: do not hold the process open
      this.timer = undefined;
      this.onEmpty();
    } else if (this.head > 1024 && this.head * 2 > entries.length) {
      entries.splice(0, this.head);
      this.head = 0;
    }
  }

  private arm(): void {
    this.timer = undefined;
    this.trim();
    const next = this.entries[this.head];
    if (!next) {
      this.timer = undefined;
      return;
    }
    this.timer = setTimeout(() => this.fire(), Math.max(0, next.at - performance.now()));
  }

  private fire(): void {
    const now = performance.now();
    const { entries } = this;
    while (this.head < entries.length) {
      const entry = entries[this.head] as Expiring;
      if (!entry.settled && entry.at > now) break;
      this.head += 1;
      if (!entry.settled) entry.expire();
    }
    this.arm();
  }
}

const queues = new Map<number, DeadlineQueue>();

/** Calls `entry.expire()` at `entry.at` (`timeoutMs` from now) unless it has settled. */
export function addDeadline(entry: Expiring, timeoutMs: number): void {
  let queue = queues.get(timeoutMs);
  if (!queue) {
    // /probe derives timeouts from a header, so lengths are many: drop a queue once empty.
    queue = new DeadlineQueue(() => queues.delete(timeoutMs));
    queues.set(timeoutMs, queue);
  }
  queue.add(entry);
}

/** Marks the entry settled and lets its queue drop it (and others settled before it). */
export function settleDeadline(entry: Expiring, timeoutMs: number): void {
  entry.settled = true;
  queues.get(timeoutMs)?.trim();
}
