import { describe, expect, it } from 'vitest';
import {
  closest,
  describeValue,
  oneOf,
  optionalInt,
  rejectUnknownKeys,
  requireBoolean,
  requireObject,
} from '../src/validate.js';

describe('validate', () => {
  it('describes odd values in words', () => {
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue([1])).toBe('an array');
    expect(describeValue('x')).toBe('"x"');
    expect(describeValue(null)).toBe('null');
  });

  it('requires an object and hints at the Content-Type when there is no body', () => {
    expect(() => requireObject([], 'fault')).toThrow('fault: expected a JSON object, got an array');
    expect(() => requireObject(undefined, 'fault')).toThrow(
      'fault: expected a JSON object, got nothing (send Content-Type: application/json)',
    );
    expect(requireObject({ a: 1 }, 'fault')).toEqual({ a: 1 });
  });

  it('rejects unknown keys with a did-you-mean hint', () => {
    expect(() => rejectUnknownKeys({ delay: 1 }, ['mode', 'delay_ms'], 'x')).toThrow(
      'unknown key "delay" in x; valid keys are mode, delay_ms (did you mean "delay_ms"?)',
    );
    expect(() => rejectUnknownKeys({ zzz: 1 }, ['mode'], 'x')).toThrow(
      'unknown key "zzz" in x; valid keys are mode',
    );
  });

  it('checks enums, integers and booleans, naming field and value', () => {
    expect(oneOf({ m: 'a' }, 'm', ['a', 'b'])).toBe('a');
    expect(() => oneOf({ m: 3 }, 'm', ['a', 'b'])).toThrow('m: 3 is not one of a, b');
    expect(() => oneOf({}, 'm', ['a', 'b'])).toThrow('m: missing; expected one of a, b');
    expect(optionalInt({}, 'n', 0, 5)).toBeUndefined();
    expect(optionalInt({ n: 5 }, 'n', 0, 5)).toBe(5);
    expect(() => optionalInt({ n: 1.5 }, 'n', 0, 5)).toThrow('n: 1.5 is not an integer in 0..5');
    expect(() => optionalInt({ n: '1' }, 'n', 0, 5)).toThrow('n: "1" is not an integer in 0..5');
    expect(requireBoolean({ b: false }, 'b')).toBe(false);
    expect(() => requireBoolean({ b: 'yes' }, 'b')).toThrow('b: "yes" is not true or false');
  });

  it('guesses the closest word only when it is close', () => {
    expect(closest('agnet', ['agent', 'scheduler'])).toBe('agent');
    expect(closest('Period-MS', ['period_ms'])).toBe('period_ms');
    expect(closest('database', ['agent', 'scheduler'])).toBeUndefined();
  });
});
