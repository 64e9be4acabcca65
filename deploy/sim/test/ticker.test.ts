import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { MAX_TICK_SECONDS, startTicking, type Workload } from '../src/workload/index.js';

function fakeClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  return { now: () => now, random: () => 0.5, advance: (ms) => (now += ms) };
}

describe('startTicking (fake clock)', () => {
  it('ticks at once, then passes the clock time since the last tick, capped', async () => {
    const clock = fakeClock();
    const seen: number[] = [];
    const stopped = new AbortController();
    const workload: Workload = { tick: (seconds) => seen.push(seconds) };
    startTicking([workload], { clock, everyMs: 5, stopped: stopped.signal, log: () => {} });
    expect(seen).toEqual([0]);
    clock.advance(1_500);
    await sleep(30);
    expect(seen.slice(0, 2)).toEqual([0, 1.5]);
    clock.advance(3_600_000); // a suspended machine: not replayed as an hour of work
    await sleep(30);
    expect(seen).toContain(MAX_TICK_SECONDS);
    stopped.abort();
    const ticks = seen.length;
    await sleep(30);
    expect(seen.length).toBe(ticks);
  });

  it('reports a workload that throws and keeps ticking the others', async () => {
    const clock = fakeClock();
    const lines: string[] = [];
    let ticked = 0;
    const stopped = new AbortController();
    const ticking = startTicking(
      [
        {
          tick: () => {
            throw new Error('boom');
          },
        },
        { tick: () => (ticked += 1) },
      ],
      { clock, everyMs: 5, stopped: stopped.signal, log: (line) => lines.push(line) },
    );
    await sleep(30);
    ticking.stop();
    expect(ticked).toBeGreaterThan(1);
    expect(lines[0]).toBe('workload: boom');
  });
});
