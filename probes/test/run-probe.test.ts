import { describe, expect, it } from 'vitest';
import type { ModuleConfig } from '../src/config/schema.js';
import type { PreparedModule } from '../src/config/prepare.js';
import { runProbe } from '../src/probe-run/run-probe.js';
import type { ProbeFn } from '../src/prober/types.js';

/** A module around a hand-written probe function, as `prepareModule` would bind it. */
function moduleOf(probe: ProbeFn<unknown>, settlesAtDeadline: boolean): PreparedModule {
  return {
    name: 'hand_written',
    prober: 'tcp',
    timeoutMs: 100,
    config: {} as ModuleConfig,
    settings: undefined,
    probe,
    settlesAtDeadline,
    close: () => Promise.resolve(),
  };
}

const neverSettles: ProbeFn<unknown> = () => new Promise(() => undefined);
const rejects: ProbeFn<unknown> = () => Promise.reject(new Error('bug in the prober'));
const throwsAtOnce: ProbeFn<unknown> = () => {
  throw new Error('thrown before any promise');
};

describe('runProbe guards every prober', () => {
  it('fails a prober that ignores its deadline as a timeout, after the grace, with a log line', async () => {
    const run = await runProbe(moduleOf(neverSettles, false), 'target', 100, false);
    expect(run.outcome).toEqual({ success: false, reason: 'timeout' });
    expect(run.durationSeconds).toBeGreaterThanOrEqual(0.14);
    expect(run.log.join('\n')).toMatch(/did not settle 50 ms after its 100 ms deadline/);
  });

  for (const settlesAtDeadline of [false, true]) {
    const how = settlesAtDeadline ? 'awaited directly' : 'raced against its deadline';
    it(`fails a prober that rejects or throws as internal, with its stack (${how})`, async () => {
      for (const probe of [rejects, throwsAtOnce]) {
        const run = await runProbe(moduleOf(probe, settlesAtDeadline), 'target', 100, false);
        expect(run.outcome).toEqual({ success: false, reason: 'internal' });
        expect(run.log.join('\n')).toMatch(/prober threw \(a bug\): Error: (bug in|thrown before)/);
      }
    });
  }

  it('passes the outcome of a prober that settles in time, with no extra log line', async () => {
    const ok: ProbeFn<unknown> = () => Promise.resolve({ success: true });
    for (const settlesAtDeadline of [false, true]) {
      const run = await runProbe(moduleOf(ok, settlesAtDeadline), 'target', 100, false);
      expect(run.outcome).toEqual({ success: true });
      expect(run.log).toEqual([]);
    }
  });
});
