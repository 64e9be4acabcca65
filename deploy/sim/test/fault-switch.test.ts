import { describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { parseFault } from '../src/fault.js';
import { FaultSwitch } from '../src/fault-switch.js';

function fakeClock(random = 0): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  return { now: () => now, random: () => random, advance: (ms) => (now += ms) };
}

describe('FaultSwitch', () => {
  it('starts ok and passes without delay', () => {
    const faults = new FaultSwitch(fakeClock());
    expect(faults.current()).toEqual({ mode: 'ok' });
    expect(faults.verdict()).toEqual({ kind: 'pass', delayMs: 0 });
  });

  it('maps each mode to a verdict', () => {
    const faults = new FaultSwitch(fakeClock(0.5));
    faults.set(parseFault({ mode: 'fail', status: 500 }));
    expect(faults.verdict()).toEqual({ kind: 'fail', status: 500 });
    faults.set(parseFault({ mode: 'hang' }));
    expect(faults.verdict()).toEqual({ kind: 'hang' });
    faults.set(parseFault({ mode: 'slow', delay_ms: 100, jitter_ms: 10 }));
    expect(faults.verdict()).toEqual({ kind: 'pass', delayMs: 105 });
  });

  it('flaps failing first, then healthy, per period since it was set', () => {
    const clock = fakeClock();
    const faults = new FaultSwitch(clock);
    faults.set(parseFault({ mode: 'flap', period_ms: 200 }));
    const kinds = [0, 199, 1, 199, 1].map((step) => {
      clock.advance(step);
      return faults.verdict().kind;
    });
    expect(kinds).toEqual(['fail', 'fail', 'pass', 'pass', 'fail']);
  });

  it('reverts a timed fault to ok and reports the time left', () => {
    const clock = fakeClock();
    const faults = new FaultSwitch(clock);
    faults.set(parseFault({ mode: 'fail', duration_ms: 1000 }));
    clock.advance(400);
    expect(faults.snapshot()).toEqual({
      fault: { mode: 'fail', status: 503, duration_ms: 1000 },
      remaining_ms: 600,
    });
    clock.advance(600);
    expect(faults.snapshot()).toEqual({ fault: { mode: 'ok' } });
    expect(faults.verdict()).toEqual({ kind: 'pass', delayMs: 0 });
  });
});
