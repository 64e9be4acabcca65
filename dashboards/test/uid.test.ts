import { describe, expect, it } from 'vitest';
import { buildDashboards, stableUid } from '../src/index.js';

describe('stableUid', () => {
  it('derives the UID from the slug alone, so links survive a new title', () => {
    expect(stableUid('system-health')).toBe('lw-cd507c577a29');
    expect(stableUid('system-health')).toBe(stableUid('system-health'));
    expect(stableUid('slo-overview')).not.toBe(stableUid('system-health'));
  });

  it('fits Grafana (at most 40 characters of [A-Za-z0-9-_])', () => {
    for (const { uid } of buildDashboards()) expect(uid).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
  });

  it('refuses a slug that is not lower-case words joined by "-"', () => {
    expect(() => stableUid('System Health')).toThrow(
      'dashboard slug "System Health": use lower-case words joined by "-" (system-health)',
    );
  });

  it('pins each dashboard UID (a change breaks every saved link)', () => {
    expect(Object.fromEntries(buildDashboards().map((d) => [d.slug, d.uid]))).toEqual({
      'system-health': 'lw-cd507c577a29',
      'layer-4-performance': 'lw-e2690fa5d3eb',
      'layer-5-optimization': 'lw-1b8b00aa07c2',
      'layer-7-evolution': 'lw-f23ae50e751c',
      'gpu-resources': 'lw-12159b2bd295',
      'telemetry-integrity': 'lw-1cbe99b85208',
      'slo-overview': 'lw-3d491ecb60af',
    });
  });
});
