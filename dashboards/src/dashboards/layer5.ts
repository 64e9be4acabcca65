/** Layer 5 optimization: optimisation time against its line, models, experiments, KPIs. */
import type { DashboardSpec } from '../dashboard.js';
import { EXPORTED } from '../metrics.js';
import { badFrom, goodFrom, panel, UP_DOWN } from '../panels.js';
import { quantile, rate, series, shareUnder, sumBy } from '../promql.js';
import type { DashboardSettings } from '../settings.js';

export function layer5Optimization(s: DashboardSettings): DashboardSpec {
  const layer = s.layer('5');
  const latency = s.latencySlo('optimization-latency');
  const q = latency.slo.objective;
  const percentile = `p${Math.round(q * 100)}`;
  const ms = Math.round(latency.bound * 1000);
  const m = EXPORTED.layer5;
  const exporter = [s.exporters, layer] as const;
  const exporterAbsent = 'LayerwatchLayerExporterAbsent';
  return {
    slug: 'layer-5-optimization',
    title: `Layerwatch / Layer 5 optimization (${s.layerTitle('5')})`,
    description:
      `Layer 5 (${s.layerTitle('5')}): optimisation time against its ${ms} ms line, model ` +
      'health, A/B experiments and KPI ingestion.',
    tags: ['layer-5'],
    variables: [],
    panels: [
      panel(s, {
        kind: 'timeseries',
        title: `Optimization time ${percentile}`,
        description:
          `${percentile} of optimisation run durations; the dashed line is the SLO's ${ms} ms ` +
          `target (${latency.slo.title}).`,
        unit: 's',
        queries: [
          { expr: quantile(q, latency.metric, [], latency.selector), legend: percentile },
          { expr: quantile(0.5, latency.metric, [], latency.selector), legend: 'p50' },
        ],
        alerts: [latency.slo.alert],
        thresholds: badFrom(latency.bound),
        span: 16,
      }),
      panel(s, {
        kind: 'stat',
        title: `Optimizations within ${ms} ms`,
        description: `Share of optimisation runs done within ${ms} ms, against the objective of ${q * 100} %.`,
        unit: 'percentunit',
        queries: [
          {
            expr: shareUnder(latency.metric, latency.le, [], latency.selector),
            legend: 'within target',
          },
        ],
        alerts: [latency.slo.alert],
        thresholds: goodFrom(q),
        decimals: 2,
        span: 8,
      }),
      panel(s, {
        kind: 'timeseries',
        title: 'Optimization runs',
        description:
          'Optimisation runs per second: a drop to zero with healthy probes means work stopped arriving.',
        unit: 'ops',
        queries: [
          { expr: sumBy([], rate(`${latency.metric}_count`, latency.selector)), legend: 'runs' },
        ],
        alerts: [latency.slo.alert, exporterAbsent],
        span: 12,
      }),
      panel(s, {
        kind: 'state',
        title: 'Model health',
        description: 'Each model loaded and healthy (UP) or not (DOWN), as layer 5 reports it.',
        unit: 'none',
        queries: [{ expr: series(m.modelHealthy, ...exporter), legend: '{{model}}' }],
        alerts: [exporterAbsent],
        thresholds: goodFrom(1),
        mappings: UP_DOWN,
        span: 12,
      }),
      panel(s, {
        kind: 'timeseries',
        title: 'A/B experiments by status',
        description: 'A/B experiments running, concluded and in other states.',
        unit: 'short',
        queries: [
          { expr: sumBy(['status'], series(m.experiments, ...exporter)), legend: '{{status}}' },
        ],
        alerts: [exporterAbsent],
        min: 0,
        span: 12,
      }),
      panel(s, {
        kind: 'timeseries',
        title: 'Experiment assignments',
        description:
          'Requests per second assigned to each experiment variant; a skew shows a broken split.',
        unit: 'reqps',
        queries: [
          {
            expr: sumBy(['experiment', 'variant'], rate(m.assignments, ...exporter)),
            legend: '{{experiment}} {{variant}}',
          },
        ],
        alerts: [exporterAbsent],
        span: 12,
      }),
      panel(s, {
        kind: 'timeseries',
        title: 'KPI ingestion lag',
        description:
          'Age of the newest KPI sample layer 5 ingested: a steady climb means ingestion stalled.',
        unit: 's',
        queries: [{ expr: series(m.kpiIngestionLag, ...exporter), legend: '{{instance}}' }],
        alerts: [exporterAbsent],
        min: 0,
        span: 12,
      }),
      panel(s, {
        kind: 'state',
        title: 'Layer 5 endpoints',
        description:
          "The probe daemon's view of each layer 5 endpoint (health, models, KPIs): up or down.",
        unit: 'none',
        queries: [{ expr: series('probe_success', s.probes, layer), legend: '{{name}}' }],
        alerts: ['LayerwatchProbeDown'],
        thresholds: goodFrom(1),
        mappings: UP_DOWN,
        span: 12,
      }),
    ],
  };
}
