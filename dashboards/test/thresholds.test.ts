import { DEFAULT_CONFIG, resolveConfig } from '@layerwatch/alert-rules';
import { describe, expect, it } from 'vitest';
import { buildDashboards } from '../src/index.js';
import { committedDashboards, type GeneratedDashboard } from './support.js';

/** The threshold step values (the base step has none) of a panel, found by title. */
function stepsOf(
  dashboards: readonly GeneratedDashboard[],
  title: string,
  panel: string,
): number[] {
  const found = dashboards
    .find((d) => d.title.includes(title))
    ?.panels.find((p) => p.title === panel);
  if (!found) throw new Error(`no panel "${panel}" in "${title}"`);
  return (found.fieldConfig.defaults.thresholds?.steps ?? [])
    .map((s) => s.value)
    .filter((v): v is number => v !== null);
}

const committed = committedDashboards().map((d) => d.json);
const slo = (name: string) => {
  const found = DEFAULT_CONFIG.slos.find((s) => s.name === name);
  if (!found) throw new Error(`no SLO ${name}`);
  return found;
};
const le = (name: string): number => {
  const sli = slo(name).sli;
  return sli.kind === 'latency' ? Number(sli.le) : NaN;
};
const t = DEFAULT_CONFIG.thresholds;
const seconds = (d: string): number =>
  Number(d.slice(0, -1)) * { s: 1, m: 60, h: 3600 }[d.slice(-1) as 's'];

const cases: [dashboard: string, panel: string, steps: number[]][] = [
  ['System health', 'Availability', [slo('availability').objective]],
  ['System health', 'Availability over the time range', [slo('availability').objective]],
  ['Layer 4', 'Request latency p95', [le('execution-latency')]],
  ['Layer 4', 'Requests within 500 ms', [slo('execution-latency').objective]],
  ['Layer 4', 'Task queue depth', [t.queueDepth]],
  ['Layer 5', 'Optimization time p99', [le('optimization-latency')]],
  ['Layer 5', 'Optimizations within 100 ms', [slo('optimization-latency').objective]],
  ['GPU', 'GPU utilization', [t.gpuIdleRatio, t.gpuSaturatedRatio]],
  ['GPU', 'Utilization by node', [t.gpuIdleRatio, t.gpuSaturatedRatio]],
  ['GPU', 'GPU data age', [seconds(t.gpuStaleAfter)]],
  ['Telemetry', 'Readiness failures in a row', [t.readinessFailuresToHalt]],
  ['SLO overview', 'Cross-layer latency p99', [le('cross-layer-latency')]],
  ...DEFAULT_CONFIG.burnWindows.map((w): [string, string, number[]] => [
    'SLO overview',
    `Burn rate ${w.long} / ${w.short} (${w.priority} at ${w.factor}×)`,
    [w.factor],
  ]),
];

describe('thresholds are the alert-rules config values', () => {
  it.each(cases)('%s / %s', (dashboard, panel, expected) => {
    expect(stepsOf(committed, dashboard, panel)).toEqual(expected);
  });

  it('the runbook targets: 500 ms, 100 ms, 50 ms and 99.9 %', () => {
    expect([
      le('execution-latency'),
      le('optimization-latency'),
      le('cross-layer-latency'),
    ]).toEqual([0.5, 0.1, 0.05]);
    expect(slo('availability').objective).toBe(0.999);
  });

  it('follow a changed config, since no number is written twice', () => {
    const config = resolveConfig({ thresholds: { queueDepth: 250, gpuSaturatedRatio: 0.9 } });
    const rebuilt = buildDashboards(config).map(
      (d) => d.dashboard as unknown as GeneratedDashboard,
    );
    expect(stepsOf(rebuilt, 'Layer 4', 'Task queue depth')).toEqual([250]);
    expect(stepsOf(rebuilt, 'GPU', 'GPU utilization')).toEqual([t.gpuIdleRatio, 0.9]);
  });
});
