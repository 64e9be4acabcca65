import { describe, expect, it } from 'vitest';
import { parseFault } from '../src/fault.js';

describe('parseFault', () => {
  it('applies defaults per mode', () => {
    expect(parseFault({ mode: 'ok' })).toEqual({ mode: 'ok' });
    expect(parseFault({ mode: 'fail' })).toEqual({ mode: 'fail', status: 503 });
    expect(parseFault({ mode: 'slow' })).toEqual({ mode: 'slow', delay_ms: 1500, jitter_ms: 0 });
    expect(parseFault({ mode: 'hang' })).toEqual({ mode: 'hang' });
    expect(parseFault({ mode: 'flap' })).toEqual({ mode: 'flap', period_ms: 10_000, status: 503 });
  });

  it('keeps given parameters and duration_ms', () => {
    expect(parseFault({ mode: 'fail', status: 500, duration_ms: 100 })).toEqual({
      mode: 'fail',
      status: 500,
      duration_ms: 100,
    });
    expect(parseFault({ mode: 'slow', delay_ms: 0, jitter_ms: 20 })).toEqual({
      mode: 'slow',
      delay_ms: 0,
      jitter_ms: 20,
    });
  });

  it('parses a scenario, for any service or for the one that plays it', () => {
    expect(parseFault({ mode: 'scenario', scenario: 'queue-backlog' })).toEqual({
      mode: 'scenario',
      scenario: 'queue-backlog',
    });
    expect(
      parseFault(
        { mode: 'scenario', scenario: 'slow-optimization', duration_ms: 60_000 },
        'refinement',
      ),
    ).toEqual({ mode: 'scenario', scenario: 'slow-optimization', duration_ms: 60_000 });
  });

  const PLAYS =
    'agent plays queue-backlog, refinement plays slow-optimization, evolution plays gate-rejections';
  const badScenarios: Array<[string, unknown, string | undefined, string]> = [
    [
      'a scenario without its name',
      { mode: 'scenario' },
      'refinement',
      'scenario: missing; expected one of slow-optimization',
    ],
    [
      'a scenario without its name, on a service that plays none',
      { mode: 'scenario' },
      'scheduler',
      `scenario: missing; ${PLAYS}`,
    ],
    [
      'an unknown scenario',
      { mode: 'scenario', scenario: 'slow-optimisation' },
      'refinement',
      `scenario: "slow-optimisation" is not a scenario; ${PLAYS} (did you mean "slow-optimization"?)`,
    ],
    [
      'a scenario that is no string',
      { mode: 'scenario', scenario: 3 },
      undefined,
      `scenario: 3 is not a scenario; ${PLAYS}`,
    ],
    [
      "another service's scenario",
      { mode: 'scenario', scenario: 'slow-optimization' },
      'agent',
      `scenario: "slow-optimization" is played by refinement, not agent: send it to refinement's /-/fault (agent plays queue-backlog)`,
    ],
    [
      'a scenario on a service that plays none',
      { mode: 'scenario', scenario: 'gate-rejections' },
      'scheduler',
      `scenario: "gate-rejections" is played by evolution, not scheduler: send it to evolution's /-/fault (scheduler plays none)`,
    ],
    [
      'a key of another mode on a scenario',
      { mode: 'scenario', scenario: 'queue-backlog', delay_ms: 5 },
      'agent',
      'unknown key "delay_ms" in a "scenario" fault; valid keys are mode, scenario, duration_ms',
    ],
  ];
  it.each(badScenarios)('rejects %s', (_name, body, service, message) => {
    expect(() => parseFault(body, service as never)).toThrow(message);
  });

  // One case per rule, each pinned to its exact message.
  const invalid: Array<[string, unknown, string]> = [
    [
      'unknown mode',
      { mode: 'bogus' },
      'mode: "bogus" is not one of fail, slow, hang, flap, scenario, ok',
    ],
    ['missing mode', {}, 'mode: missing; expected one of fail, slow, hang, flap, scenario, ok'],
    [
      'mode of wrong type',
      { mode: 1 },
      'mode: 1 is not one of fail, slow, hang, flap, scenario, ok',
    ],
    ['not an object', [], 'fault: expected a JSON object, got an array'],
    ['null body', null, 'fault: expected a JSON object, got null'],
    [
      'unknown key',
      { mode: 'slow', delay: 5 },
      'unknown key "delay" in a "slow" fault; valid keys are mode, delay_ms, jitter_ms, duration_ms (did you mean "delay_ms"?)',
    ],
    [
      'key of another mode',
      { mode: 'fail', delay_ms: 5 },
      'unknown key "delay_ms" in a "fail" fault; valid keys are mode, status, duration_ms',
    ],
    [
      'duration on ok',
      { mode: 'ok', duration_ms: 5 },
      'unknown key "duration_ms" in a "ok" fault; valid keys are mode',
    ],
    [
      'delay as a string',
      { mode: 'slow', delay_ms: '1500' },
      'delay_ms: "1500" is not an integer in 0..600000',
    ],
    [
      'negative jitter',
      { mode: 'slow', jitter_ms: -1 },
      'jitter_ms: -1 is not an integer in 0..600000',
    ],
    ['success status', { mode: 'fail', status: 200 }, 'status: 200 is not an integer in 400..599'],
    ['zero period', { mode: 'flap', period_ms: 0 }, 'period_ms: 0 is not an integer in 1..3600000'],
    [
      'fractional duration',
      { mode: 'hang', duration_ms: 1.5 },
      'duration_ms: 1.5 is not an integer in 1..86400000',
    ],
  ];
  it.each(invalid)('rejects %s', (_name, body, message) => {
    expect(() => parseFault(body)).toThrow(message);
  });
});
