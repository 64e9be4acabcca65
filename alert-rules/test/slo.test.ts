import { describe, expect, it } from 'vitest';
import { resolveConfig, sloBurnRateAlerts } from '../src/index.js';

const config = resolveConfig();
const [availability, execution, , crossLayer] = config.slos;

describe('sloBurnRateAlerts', () => {
  it('records the error ratio per window with slo and layer labels, never dividing by zero', () => {
    const group = sloBurnRateAlerts(config, execution!);
    const fiveMinutes = group.recordings.find((r) => r.record === 'slo:sli_error:ratio_rate5m');
    expect(fiveMinutes).toEqual({
      record: 'slo:sli_error:ratio_rate5m',
      expr: [
        '1 - (',
        '  sum by (cluster) (rate(http_server_request_duration_seconds_bucket{job="layerwatch-layers",layer="4",http_route!="/metrics",le="0.5"}[5m]))',
        '  /',
        '  (sum by (cluster) (rate(http_server_request_duration_seconds_count{job="layerwatch-layers",layer="4",http_route!="/metrics"}[5m])) > 0)',
        ')',
      ].join('\n'),
      labels: { slo: 'execution-latency', layer: '4' },
    });
    expect(group.recordings.map((r) => r.record)).toEqual([
      ...['5m', '30m', '1h', '2h', '6h', '1d', '3d'].map((w) => `slo:sli_error:ratio_rate${w}`),
      ...['1h', '6h', '1d', '3d'].map((w) => `slo:sli_events:count${w}`),
      'slo:sli_error:ratio_rate30d',
      'slo:period_error_budget_remaining:ratio',
      'slo:objective:ratio',
    ]);
  });

  it('pages on 14.4× over 1h and 5m, with enough events in the long window', () => {
    const group = sloBurnRateAlerts(config, availability!);
    const page = group.alerts.find(
      (a) => a.rule.labels['layer'] === '7' && a.rule.labels['long'] === '1h',
    )?.rule;
    expect(page?.expr).toBe(
      [
        '(',
        '  slo:sli_error:ratio_rate1h{slo="availability",layer="7"} > (14.4 * 0.001)',
        'and',
        '  slo:sli_error:ratio_rate5m{slo="availability",layer="7"} > (14.4 * 0.001)',
        ')',
        'and',
        'slo:sli_events:count1h{slo="availability",layer="7"} >= 10',
      ].join('\n'),
    );
    expect(page?.for).toBe('2m');
    expect(page?.labels).toMatchObject({ priority: 'P0', severity: 'critical', short: '5m' });
    expect(page?.annotations.layerwatch_actions).toBe(
      'rollback-evolution,restart-deployment,silence',
    );
  });

  it('gives each window pair its priority: P0 and P1 page, P2 and P3 are tickets', () => {
    const group = sloBurnRateAlerts(config, execution!);
    expect(
      group.alerts.map((a) => [a.rule.labels['long'], a.rule.labels.priority, a.rule.for]),
    ).toEqual([
      ['1h', 'P0', '2m'],
      ['6h', 'P1', '15m'],
      ['1d', 'P2', '1h'],
      ['3d', 'P3', '3h'],
    ]);
  });

  it('takes the cross-layer alert layer from the called layer', () => {
    const group = sloBurnRateAlerts(config, crossLayer!);
    const ratio = group.recordings[0]?.expr ?? '';
    expect(ratio).toMatch(/^label_replace\(\n/);
    expect(ratio).toContain('"layer", "$1", "to_layer", "(.*)"');
    expect(group.alerts[0]?.scenarios[0]?.labels).toEqual({
      from_layer: '4',
      to_layer: '5',
      layer: '5',
    });
  });

  it('refuses windows whose for: does not grow as the burn slows', () => {
    const bad = resolveConfig({
      burnWindows: [
        { factor: 14.4, long: '1h', short: '5m', for: '15m', priority: 'P0' },
        { factor: 6, long: '6h', short: '30m', for: '15m', priority: 'P1' },
      ],
    });
    expect(() => sloBurnRateAlerts(bad, availability!)).toThrow(
      'burnWindows: the 6× window needs a longer for: than the 14.4× window (15m <= 15m)',
    );
  });
});
