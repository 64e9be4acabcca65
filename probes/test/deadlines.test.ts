import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { addDeadline, settleDeadline, type Expiring } from '../src/probe-run/deadlines.js';

function entry(timeoutMs: number, expired: number[]): Expiring {
  const started = performance.now();
  return {
    at: started + timeoutMs,
    settled: false,
    expire: () => expired.push(performance.now() - started),
  };
}

describe('deadlines', () => {
  it('expires live entries at their deadline and never a settled one', async () => {
    const expired: number[] = [];
    const first = entry(60, expired);
    addDeadline(first, 60);
    const settled = entry(60, []);
    settled.expire = () => expired.push(-1);
    addDeadline(settled, 60);
    const last = entry(60, expired);
    addDeadline(last, 60);
    settleDeadline(settled, 60);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(expired).toHaveLength(2);
    for (const elapsed of expired) {
      expect(elapsed).toBeGreaterThanOrEqual(59);
      expect(elapsed).toBeLessThan(150);
    }
  });

  it('holds no timer once every entry has settled', () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const one = entry(5_000, []);
    addDeadline(one, 5_000);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before + 1);
    settleDeadline(one, 5_000);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
  });
});
