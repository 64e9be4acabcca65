import type { Duration } from './types.js';

const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;
const PATTERN = /^(\d+)(ms|s|m|h|d|w)$/;

/** Whether `text` is one Prometheus duration term (`90s`, `5m`, `3d`), as our rules use. */
export function isDuration(text: string): text is Duration {
  return PATTERN.test(text);
}

/** Seconds in a duration; throws naming the value when it is not one. */
export function seconds(duration: string): number {
  const match = PATTERN.exec(duration);
  if (!match) {
    throw new Error(
      `"${duration}" is not a duration: write a whole number and one unit, like 30s, 5m, 1h or 3d`,
    );
  }
  const [, amount, unit] = match;
  return Number(amount) * UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS];
}

/** The shortest exact form of whole seconds: 7200 → `2h`, 90 → `90s`, 0 → `0s`. */
export function duration(totalSeconds: number): Duration {
  if (!Number.isInteger(totalSeconds) || totalSeconds < 0) {
    throw new Error(`${totalSeconds} is not a whole, non-negative number of seconds`);
  }
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    const size = UNIT_SECONDS[unit];
    if (totalSeconds > 0 && totalSeconds % size === 0) return `${totalSeconds / size}${unit}`;
  }
  return `${totalSeconds}s`;
}
