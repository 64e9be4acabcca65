/** Layer 5 optimization: optimisation time against its line, models, experiments, KPIs. */
import type { DashboardSpec } from '../dashboard.js';
import { EXPORTED } from '../metrics.js';
import { badFrom, goodFrom, panel, UP_DOWN, type PanelBuilder } from '../panels.js';
import { quantile, rate, series, shareUnder, sumBy } from '../promql.js';
import type { DashboardSettings } from '../settings.js';
import { EXPORTER_ABSENT, latencyLine, layerEndpoints, layerExporter } from './layer-parts.js';

const LATENCY_SLO = 'optimization-latency';

export function layer5Optimization(s: DashboardSettings): DashboardSpec {
  const { ms } = latencyLine(s, LATENCY_SLO);
  return {
    slug: 'layer-5-optimization',
    title: `Layerwatch / Layer 5 optimization (${s.layerTitle('5')})`,
    description:
      `Layer 5 (${s.layerTitle('5')}): optimisation time against its ${ms} ms line, model ` +
      'health, A/B experiments and KPI ingestion.',
    tags: ['layer-5'],
    variables: [],
    panels: [
      ...optimizationTime(s),
      modelHealth(s),
      ...experiments(s),
      kpiIngestionLag(s),
      layerEndpoints(
        s,
        '5',
        "The probe daemon's view of each layer 5 endpoint (health, models, KPIs): up or down.",
        12,
      ),
    ],
  };
}

/** Optimisation time against the SLO's line, the share within it, and runs per second. */
function optimizationTime(s: DashboardSettings): PanelBuilder[] {
  const { latency, q, percentile, ms } = latencyLine(s, LATENCY_SLO);
  return [
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
      alerts: [latency.slo.alert, EXPORTER_ABSENT],
      span: 12,
    }),
  ];
}

/** Each model loaded and healthy or not. */
function modelHealth(s: DashboardSettings): PanelBuilder {
  return panel(s, {
    kind: 'state',
    title: 'Model health',
    description: 'Each model loaded and healthy (UP) or not (DOWN), as layer 5 reports it.',
    unit: 'none',
    queries: [
      { expr: series(EXPORTED.layer5.modelHealthy, ...layerExporter(s, '5')), legend: '{{model}}' },
    ],
    alerts: [EXPORTER_ABSENT],
    thresholds: goodFrom(1),
    mappings: UP_DOWN,
    span: 12,
  });
}

/** A/B experiments by status, and how requests split between their variants. */
function experiments(s: DashboardSettings): PanelBuilder[] {
  const m = EXPORTED.layer5;
  const exporter = layerExporter(s, '5');
  return [
    panel(s, {
      kind: 'timeseries',
      title: 'A/B experiments by status',
      description: 'A/B experiments running, concluded and in other states.',
      unit: 'short',
      queries: [
        { expr: sumBy(['status'], series(m.experiments, ...exporter)), legend: '{{status}}' },
      ],
      alerts: [EXPORTER_ABSENT],
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
      alerts: [EXPORTER_ABSENT],
      span: 12,
    }),
  ];
}

/** Age of the newest KPI sample layer 5 ingested. */
function kpiIngestionLag(s: DashboardSettings): PanelBuilder {
  return panel(s, {
    kind: 'timeseries',
    title: 'KPI ingestion lag',
    description:
      'Age of the newest KPI sample layer 5 ingested: a steady climb means ingestion stalled.',
    unit: 's',
    queries: [
      {
        expr: series(EXPORTED.layer5.kpiIngestionLag, ...layerExporter(s, '5')),
        legend: '{{instance}}',
      },
    ],
    alerts: [EXPORTER_ABSENT],
    min: 0,
    span: 12,
  });
}
