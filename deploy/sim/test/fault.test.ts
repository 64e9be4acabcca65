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

  // One case per rule, each pinned to its exact message.
  const invalid: Array<[string, unknown, string]> = [
    ['unknown mode', { mode: 'bogus' }, 'mode: "bogus" is not one of fail, slow, hang, flap, ok'],
    ['missing mode', {}, 'mode: missing; expected one of fail, slow, hang, flap, ok'],
    ['mode of wrong type', { mode: 1 }, 'mode: 1 is not one of fail, slow, hang, flap, ok'],
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
