/**
 * Time and chance behind one seam, so fault expiry, flapping and jitter are tested with a
 * fake clock instead of sleeps.
 */
export interface Clock {
  now(): number;
  /** Uniform in [0, 1), like Math.random. */
  random(): number;
}

export const systemClock: Clock = { now: () => Date.now(), random: () => Math.random() };

/** A uniform whole number of milliseconds in 0..maxMs. */
export function jitter(clock: Clock, maxMs: number): number {
  return maxMs > 0 ? Math.floor(clock.random() * (maxMs + 1)) : 0;
}
