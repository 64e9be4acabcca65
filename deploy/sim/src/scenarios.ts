import type { ServiceName } from './services/names.js';

/**
 * Named scenarios: faults of a service's domain signals rather than of its HTTP answers,
 * set like the other faults (`POST /-/fault {"mode":"scenario","scenario":"…"}`). Each
 * belongs to the one service whose workload plays it; HTTP answers pass unchanged.
 */
export const SCENARIOS = {
  'queue-backlog': {
    service: 'agent',
    plays:
      'the agents fall behind: layer 4 task queue wait grows past the deadline, tasks fail ' +
      '(deadline_exceeded, worker_timeout) and the queue depth grows',
  },
  'slow-optimization': {
    service: 'refinement',
    plays: 'layer 5 optimisation runs take 120 ms to 1.5 s instead of 10-90 ms',
  },
  'gate-rejections': {
    service: 'evolution',
    plays: 'the enhancement validation gate rejects nine enhancements in ten',
  },
} as const satisfies Record<string, { readonly service: ServiceName; readonly plays: string }>;

export type ScenarioName = keyof typeof SCENARIOS;

export const SCENARIO_NAMES = Object.keys(SCENARIOS) as readonly ScenarioName[];

/** The scenarios one service plays; every scenario when no service is given. */
export function scenariosOf(service: ServiceName | undefined): readonly ScenarioName[] {
  return SCENARIO_NAMES.filter(
    (name) => service === undefined || SCENARIOS[name].service === service,
  );
}
