/**
 * SLO overview: burn rates for each alerting window pair (the line is the factor that
 * pages), error budget remaining, and cross-layer latency against its line.
 */
import type { BurnWindow } from '@layerwatch/alert-rules';
import type { DashboardSpec } from '../dashboard.js';
import { EXPORTED } from '../metrics.js';
import {
  atLeastOne,
  badFrom,
  bargaugePanel,
  goodFrom,
  instant,
  tablePanel,
  tableRows,
  timeseriesPanel,
  type PanelBuilder,
  overTime,
} from '../panels.js';
import { byClusterOrNone, byVariable, orZero, quantile, rate, series, sumBy } from '../promql.js';
import type { DashboardSettings } from '../settings.js';

export function sloOverview(s: DashboardSettings): DashboardSpec {
  return {
    slug: 'slo-overview',
    title: 'Layerwatch / SLO overview',
    description:
      'Every SLO per layer: burn rates for each alerting window pair, error budget remaining ' +
      'and the cross-layer latency SLO.',
    tags: ['slo', 'overview'],
    variables: ['slo', 'layer'],
    panels: [
      ...budgetAndObjectives(s),
      ...s.burnWindows.map((w) => burnRate(s, w)),
      ...crossLayerCalls(s),
    ],
  };
}

/** The SLO records of the picked SLOs, layers and clusters. */
function sloFilter(s: DashboardSettings): readonly [string, string, string] {
  return [byVariable('slo'), byVariable('layer'), s.cluster];
}

/** One objective per SLO, whichever clusters wrote it (it is the same constant in each). */
function objectiveExpr(s: DashboardSettings): string {
  return `max by (slo) (${series(s.records.objective, byVariable('slo'), byClusterOrNone(s.clusterLabel))})`;
}

function sloAlerts(s: DashboardSettings): [string, ...string[]] {
  return atLeastOne(
    s.config.slos.map((slo) => slo.alert),
    'alert-rules config slos',
  );
}

/** Each SLO's error budget left, and the objective it promises. */
function budgetAndObjectives(s: DashboardSettings): PanelBuilder[] {
  const alerts = sloAlerts(s);
  return [
    bargaugePanel(s, {
      title: 'Error budget remaining',
      description:
        `Share of each SLO's ${s.config.sloPeriod} error budget still unspent, per layer; ` +
        'negative once overspent.',
      unit: 'percentunit',
      queries: [instant(series(s.records.budgetRemaining, ...sloFilter(s)), '{{slo}} {{layer}}')],
      alerts,
      page: 'overview',
      thresholds: goodFrom(0),
      max: 1,
      span: 12,
      height: 10,
    }),
    tablePanel(s, {
      title: 'Objectives',
      description:
        'Each SLO and its objective: the share of good events it promises over the period.',
      unit: 'percentunit',
      queries: [tableRows(objectiveExpr(s))],
      alerts,
      decimals: 3,
      span: 12,
      height: 10,
    }),
  ];
}

/** Error ratio over the budget (1 − objective, per SLO): 1 spends the budget in the period. */
function burnExpr(s: DashboardSettings, window: BurnWindow['long']): string {
  return (
    `${series(s.records.errorRatio(window), ...sloFilter(s))}\n` +
    `/ on (slo) group_left ()\n(1 - ${objectiveExpr(s)})`
  );
}

/** One alerting window pair: both burn rates against the factor that fires its alert. */
function burnRate(s: DashboardSettings, w: BurnWindow): PanelBuilder {
  return timeseriesPanel(s, {
    title: `Burn rate ${w.long} / ${w.short} (${w.priority} at ${w.factor}×)`,
    description:
      `How fast each SLO spends its ${s.config.sloPeriod} error budget over ${w.long} and ` +
      `${w.short} (1× spends it exactly in the period). A ${w.priority} alert fires when both ` +
      `stay above ${w.factor}× for ${w.for}.`,
    unit: 'short',
    queries: [
      overTime(burnExpr(s, w.long), `{{slo}} {{layer}} ${w.long}`),
      overTime(burnExpr(s, w.short), `{{slo}} {{layer}} ${w.short}`),
    ],
    alerts: sloAlerts(s),
    thresholds: badFrom(w.factor),
    min: 0,
    span: 12,
  });
}

/** Calls between layers: latency against the cross-layer SLO's line, and failures. */
function crossLayerCalls(s: DashboardSettings): PanelBuilder[] {
  const cross = s.latencySlo('cross-layer-latency');
  const crossMs = Math.round(cross.bound * 1000);
  const percentile = `p${Math.round(cross.slo.objective * 100)}`;
  return [
    timeseriesPanel(s, {
      title: `Cross-layer latency ${percentile}`,
      description:
        `${percentile} of calls from one layer to another, until the response headers; the ` +
        `line is the ${crossMs} ms target (${cross.slo.title}).`,
      unit: 's',
      queries: [
        overTime(
          quantile(cross.slo.objective, cross.metric, ['from_layer', 'to_layer'], cross.selector),
          '{{from_layer}} → {{to_layer}}',
        ),
      ],
      alerts: [cross.slo.alert],
      thresholds: badFrom(cross.bound),
      span: 12,
    }),
    timeseriesPanel(s, {
      title: 'Cross-layer call errors',
      description: 'Failed calls per second between layers: no answer (timeout, network) or a 5xx.',
      unit: 'ops',
      queries: [
        overTime(
          orZero(
            sumBy(
              ['from_layer', 'to_layer', 'error_type'],
              rate(EXPORTED.crossLayerErrors, s.exporters),
            ),
          ),
          '{{from_layer}} → {{to_layer}} {{error_type}}',
        ),
      ],
      alerts: [cross.slo.alert, 'LayerwatchLayerExporterAbsent'],
      span: 12,
    }),
  ];
}
