/** Layer 5 optimization: optimisation time against its line, models, experiments, KPIs. */
import type { DashboardSpec } from '../dashboard.js';
import { EXPORTED } from '../metrics.js';
import { flag, UP_DOWN, type PanelBuilder, overTime } from '../panels.js';
import { rate, series, sumBy } from '../promql.js';
import type { DashboardSettings, LatencySlo } from '../settings.js';
import { exporterPanel, latencyLayerDashboard, type ExporterMatchers } from './layer-parts.js';

/** Layer 5's exporter series. */
const m = EXPORTED.layer5;

export function layer5Optimization(s: DashboardSettings): DashboardSpec {
  return latencyLayerDashboard(s, {
    layer: '5',
    topic: 'optimization',
    shows: ({ ms }) =>
      `optimisation time against its ${ms} ms line, model health, A/B experiments and KPI ` +
      'ingestion.',
    latency: {
      slo: 'optimization-latency',
      title: 'Optimization time',
      description: ({ latency, percentile, ms }) =>
        `${percentile} of optimisation run durations; the dashed line is the SLO's ${ms} ms ` +
        `target (${latency.slo.title}).`,
      counted: 'Optimizations',
      withinDescription: ({ q, ms }) =>
        `Share of optimisation runs done within ${ms} ms, against the objective of ${q * 100} %.`,
    },
    panels: (exporter, { latency }) => [
      optimizationRuns(s, latency),
      ...modelsExperimentsAndKpis(s, exporter),
    ],
    endpoints: {
      description:
        "The probe daemon's view of each layer 5 endpoint (health, models, KPIs): up or down.",
      span: 12,
    },
  });
}

/** Optimisation runs per second. */
function optimizationRuns(s: DashboardSettings, latency: LatencySlo): PanelBuilder {
  return exporterPanel(s, {
    title: 'Optimization runs',
    description:
      'Optimisation runs per second: a drop to zero with healthy probes means work stopped arriving.',
    unit: 'ops',
    queries: [overTime(sumBy([], rate(`${latency.metric}_count`, latency.selector)), 'runs')],
    alsoAlerts: [latency.slo.alert],
  });
}

/** Each model healthy or not, A/B experiments and their split, and the KPI ingestion lag. */
function modelsExperimentsAndKpis(
  s: DashboardSettings,
  exporter: ExporterMatchers,
): PanelBuilder[] {
  return [
    exporterPanel(s, {
      kind: 'state',
      title: 'Model health',
      description: 'Each model loaded and healthy (UP) or not (DOWN), as layer 5 reports it.',
      unit: 'none',
      queries: [overTime(series(m.modelHealthy, ...exporter), '{{model}}')],
      ...flag(UP_DOWN),
    }),
    exporterPanel(s, {
      title: 'A/B experiments by status',
      description: 'A/B experiments running, concluded and in other states.',
      unit: 'short',
      queries: [overTime(sumBy(['status'], series(m.experiments, ...exporter)), '{{status}}')],
      min: 0,
    }),
    exporterPanel(s, {
      title: 'Experiment assignments',
      description:
        'Requests per second assigned to each experiment variant; a skew shows a broken split.',
      unit: 'reqps',
      queries: [
        overTime(
          sumBy(['experiment', 'variant'], rate(m.assignments, ...exporter)),
          '{{experiment}} {{variant}}',
        ),
      ],
    }),
    exporterPanel(s, {
      title: 'KPI ingestion lag',
      description:
        'Age of the newest KPI sample layer 5 ingested: a steady climb means ingestion stalled.',
      unit: 's',
      queries: [overTime(series(m.kpiIngestionLag, ...exporter), '{{instance}}')],
      min: 0,
    }),
  ];
}
