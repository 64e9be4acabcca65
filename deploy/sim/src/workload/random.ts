import type { Clock } from '../clock.js';

/**
 * Jittered values for the workloads, all drawn from the clock's `random()` so a test with
 * a fake clock gets the same run every time.
 */

/** Uniform in [min, max). */
export function between(clock: Clock, min: number, max: number): number {
  return min + clock.random() * (max - min);
}

/** True with probability `p`. */
export function chance(clock: Clock, p: number): boolean {
  return clock.random() < p;
}

/** One of `items`, uniformly. */
export function pick<T>(clock: Clock, items: readonly [T, ...T[]]): T {
  return items[Math.floor(clock.random() * items.length)] ?? items[0];
}

/** One key of `weights`, with probability proportional to its weight. */
export function weighted<K extends string>(clock: Clock, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let left = clock.random() * total;
  for (const [key, w] of entries) {
    left -= w;
    if (left < 0) return key;
  }
  return entries[entries.length - 1]![0];
}

/** A standard normal draw (Box-Muller). */
export function normal(clock: Clock): number {
  const u = Math.max(clock.random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * clock.random());
}

/**
 * A latency-like value: log-normal around `median` (spread `sigma` in log space), clamped to
 * [min, max] so a healthy workload never crosses the line an alert draws.
 */
export function skewed(
  clock: Clock,
  { median, sigma, min, max }: { median: number; sigma: number; min: number; max: number },
): number {
  return Math.min(max, Math.max(min, median * Math.exp(sigma * normal(clock))));
}

/** How many events of a Poisson process at `perSecond` happen in `seconds` (small rates). */
export function events(clock: Clock, perSecond: number, seconds: number): number {
  const mean = perSecond * seconds;
  if (mean <= 0) return 0;
  // Knuth's method; ticks are short, so the mean stays small.
  const limit = Math.exp(-Math.min(mean, 50));
  let count = 0;
  let product = clock.random();
  while (product > limit) {
    count += 1;
    product *= clock.random();
  }
  return count;
}
