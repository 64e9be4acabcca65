import { oneOf, optionalInt, rejectUnknownKeys, requireObject } from './validate.js';

/**
 * The fault a service plays, as sent to `POST /-/fault` or `setFault()`. Validation applies
 * the defaults, so everything past `parseFault` works with a complete `Fault`.
 */
export const FAULT_MODES = ['fail', 'slow', 'hang', 'flap', 'ok'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/** Optional `duration_ms`: the fault reverts to ok by itself after that long. */
interface Timed {
  duration_ms?: number;
}

export type FaultSpec =
  | { mode: 'ok' }
  | ({ mode: 'fail'; status?: number } & Timed)
  | ({ mode: 'slow'; delay_ms?: number; jitter_ms?: number } & Timed)
  | ({ mode: 'hang' } & Timed)
  | ({ mode: 'flap'; period_ms?: number; status?: number } & Timed);

export type Fault =
  | { mode: 'ok' }
  | ({ mode: 'fail'; status: number } & Timed)
  | ({ mode: 'slow'; delay_ms: number; jitter_ms: number } & Timed)
  | ({ mode: 'hang' } & Timed)
  | ({ mode: 'flap'; period_ms: number; status: number } & Timed);

export const OK_FAULT: Fault = { mode: 'ok' };

export const FAULT_DEFAULTS = { status: 503, delay_ms: 1500, jitter_ms: 0, period_ms: 10_000 };

const KEYS: Record<FaultMode, readonly string[]> = {
  ok: ['mode'],
  fail: ['mode', 'status', 'duration_ms'],
  slow: ['mode', 'delay_ms', 'jitter_ms', 'duration_ms'],
  hang: ['mode', 'duration_ms'],
  flap: ['mode', 'period_ms', 'status', 'duration_ms'],
};

// Bounds catch unit mistakes (seconds typed as ms, a 200 "failure") rather than police use.
const MAX_DELAY_MS = 600_000;
const MAX_PERIOD_MS = 3_600_000;
const MAX_DURATION_MS = 86_400_000;

/** Validates a fault request body and applies defaults; throws `ValidationError`. */
export function parseFault(input: unknown): Fault {
  const body = requireObject(input, 'fault');
  const mode = oneOf(body, 'mode', FAULT_MODES);
  rejectUnknownKeys(body, KEYS[mode], `a "${mode}" fault`);
  const status = () => optionalInt(body, 'status', 400, 599) ?? FAULT_DEFAULTS.status;
  const timed = (): Timed => {
    const duration = optionalInt(body, 'duration_ms', 1, MAX_DURATION_MS);
    return duration === undefined ? {} : { duration_ms: duration };
  };
  switch (mode) {
    case 'ok':
      return OK_FAULT;
    case 'fail':
      return { mode, status: status(), ...timed() };
    case 'slow':
      return {
        mode,
        delay_ms: optionalInt(body, 'delay_ms', 0, MAX_DELAY_MS) ?? FAULT_DEFAULTS.delay_ms,
        jitter_ms: optionalInt(body, 'jitter_ms', 0, MAX_DELAY_MS) ?? FAULT_DEFAULTS.jitter_ms,
        ...timed(),
      };
    case 'hang':
      return { mode, ...timed() };
    case 'flap':
      return {
        mode,
        period_ms: optionalInt(body, 'period_ms', 1, MAX_PERIOD_MS) ?? FAULT_DEFAULTS.period_ms,
        status: status(),
        ...timed(),
      };
  }
}
