import { SCENARIOS, SCENARIO_NAMES, scenariosOf, type ScenarioName } from './scenarios.js';
import type { ServiceName } from './services/names.js';
import {
  closest,
  describeValue,
  oneOf,
  optionalInt,
  rejectUnknownKeys,
  requireObject,
  ValidationError,
  type JsonObject,
} from './validate.js';

/**
 * The fault a service plays, as sent to `POST /-/fault` or `setFault()`. Validation applies
 * the defaults, so everything past `parseFault` works with a complete `Fault`.
 */
export const FAULT_MODES = ['fail', 'slow', 'hang', 'flap', 'scenario', 'ok'] as const;
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
  | ({ mode: 'flap'; period_ms?: number; status?: number } & Timed)
  | ({ mode: 'scenario'; scenario: ScenarioName } & Timed);

export type Fault =
  | { mode: 'ok' }
  | ({ mode: 'fail'; status: number } & Timed)
  | ({ mode: 'slow'; delay_ms: number; jitter_ms: number } & Timed)
  | ({ mode: 'hang' } & Timed)
  | ({ mode: 'flap'; period_ms: number; status: number } & Timed)
  | ({ mode: 'scenario'; scenario: ScenarioName } & Timed);

export const OK_FAULT: Fault = { mode: 'ok' };

export const FAULT_DEFAULTS = { status: 503, delay_ms: 1500, jitter_ms: 0, period_ms: 10_000 };

const KEYS: Record<FaultMode, readonly string[]> = {
  ok: ['mode'],
  fail: ['mode', 'status', 'duration_ms'],
  slow: ['mode', 'delay_ms', 'jitter_ms', 'duration_ms'],
  hang: ['mode', 'duration_ms'],
  flap: ['mode', 'period_ms', 'status', 'duration_ms'],
  scenario: ['mode', 'scenario', 'duration_ms'],
};

// Bounds catch unit mistakes (seconds typed as ms, a 200 "failure") rather than police use.
const MAX_DELAY_MS = 600_000;
const MAX_PERIOD_MS = 3_600_000;
const MAX_DURATION_MS = 86_400_000;

/**
 * Validates a fault request body and applies defaults; throws `ValidationError`. Given the
 * service it is for, a scenario must be one that service plays.
 */
export function parseFault(input: unknown, service?: ServiceName): Fault {
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
    case 'scenario':
      return { mode, scenario: parseScenario(body, service), ...timed() };
  }
}

/** `agent plays queue-backlog, refinement plays slow-optimization, …` */
function whoPlaysWhat(): string {
  return SCENARIO_NAMES.map((name) => `${SCENARIOS[name].service} plays ${name}`).join(', ');
}

function parseScenario(body: JsonObject, service: ServiceName | undefined): ScenarioName {
  const value = body['scenario'];
  if (value === undefined) {
    const own = scenariosOf(service);
    const expected = own.length > 0 ? `expected one of ${own.join(', ')}` : whoPlaysWhat();
    throw new ValidationError(`scenario: missing; ${expected}`);
  }
  const name = oneOfScenarios(value);
  const owner = SCENARIOS[name].service;
  if (service !== undefined && owner !== service) {
    const own = scenariosOf(service);
    throw new ValidationError(
      `scenario: ${JSON.stringify(name)} is played by ${owner}, not ${service}: send it to ` +
        `${owner}'s /-/fault (${service} plays ${own.length > 0 ? own.join(', ') : 'none'})`,
    );
  }
  return name;
}

function oneOfScenarios(value: unknown): ScenarioName {
  if (typeof value === 'string' && (SCENARIO_NAMES as readonly string[]).includes(value)) {
    return value as ScenarioName;
  }
  const guess = typeof value === 'string' ? closest(value, SCENARIO_NAMES) : undefined;
  const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
  throw new ValidationError(
    `scenario: ${describeValue(value)} is not a scenario; ${whoPlaysWhat()}${hint}`,
  );
}
