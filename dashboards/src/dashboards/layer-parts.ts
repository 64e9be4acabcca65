/**
 * What the layer dashboards (4, 5, 7) share: their frame, the layer's exporter series, its
 * latency SLO's line, and its endpoints as the probe daemon sees them.
 */
import type { DashboardSpec } from '../dashboard.js';
import {
  atLeastOne,
  badFrom,
  flag,
  goodFrom,
  panel,
  statePanel,
  statPanel,
  timeseriesPanel,
  UP_DOWN,
  type KindlessSpec,
  type PanelBuilder,
  type PanelKind,
  overTime,
} from '../panels.js';
import { quantile, series, shareUnder } from '../promql.js';
import type { DashboardLayer, DashboardSettings, LatencySlo } from '../settings.js';

/** The alert that says a layer's exporter series are gone. */
export const EXPORTER_ABSENT = 'LayerwatchLayerExporterAbsent';

/** The matchers of one layer's exporter series: the exporters' job, and the layer. */
export type ExporterMatchers = readonly [string, string];

/** The layer services' exporter series of one layer. */
export function layerExporter(s: DashboardSettings, layer: DashboardLayer): ExporterMatchers {
  return [s.exporters, s.layer(layer)];
}

/** A latency SLO as its panels write it: the objective, `p95`, the bound in ms. */
export interface LatencyLine {
  readonly latency: LatencySlo;
  /** The objective, e.g. 0.95, also the quantile drawn. */
  readonly q: number;
  readonly percentile: string;
  readonly ms: number;
}

function latencyLine(s: DashboardSettings, slo: string): LatencyLine {
  const latency = s.latencySlo(slo);
  const q = latency.slo.objective;
  return {
    latency,
    q,
    percentile: `p${Math.round(q * 100)}`,
    ms: Math.round(latency.bound * 1000),
  };
}

/** A layer's latency SLO, and how its two panels name it. */
export interface LatencyPanelsSpec {
  /** The SLO's name in the config, e.g. `execution-latency`. */
  readonly slo: string;
  /** The time measured, e.g. `Request latency`; the percentile follows it. */
  readonly title: string;
  readonly description: (line: LatencyLine) => string;
  /** What is counted, e.g. `Requests`; `within N ms` follows it. */
  readonly counted: string;
  readonly withinDescription: (line: LatencyLine) => string;
}

/** A layer's latency SLO: its percentile (and p50) against the line, and the share within. */
function latencyPanels(
  s: DashboardSettings,
  texts: LatencyPanelsSpec,
  line: LatencyLine,
): PanelBuilder[] {
  const { latency, q, percentile, ms } = line;
  return [
    timeseriesPanel(s, {
      title: `${texts.title} ${percentile}`,
      description: texts.description(line),
      unit: 's',
      queries: [
        overTime(quantile(q, latency.metric, [], latency.selector), percentile),
        overTime(quantile(0.5, latency.metric, [], latency.selector), 'p50'),
      ],
      alerts: [latency.slo.alert],
      thresholds: badFrom(latency.bound),
      span: 16,
    }),
    statPanel(s, {
      title: `${texts.counted} within ${ms} ms`,
      description: texts.withinDescription(line),
      unit: 'percentunit',
      queries: [
        overTime(shareUnder(latency.metric, latency.le, [], latency.selector), 'within target'),
      ],
      alerts: [latency.slo.alert],
      thresholds: goodFrom(q),
      decimals: 2,
      span: 8,
    }),
  ];
}

/** A panel of a layer's exporter series: half a row, its alerts ending with the exporter's absence. */
export type ExporterPanelSpec = Omit<KindlessSpec, 'alerts'> & {
  /** @default 'timeseries' */
  readonly kind?: PanelKind;
  /** Alerts before {@link EXPORTER_ABSENT}. */
  readonly alsoAlerts?: readonly string[];
};

export function exporterPanel(s: DashboardSettings, spec: ExporterPanelSpec): PanelBuilder {
  const { kind = 'timeseries', alsoAlerts = [], ...rest } = spec;
  const alerts = atLeastOne([...alsoAlerts, EXPORTER_ABSENT], 'exporter panel alerts');
  return panel(s, { span: 12, ...rest, kind, alerts });
}

/** A layer dashboard: its name, what it shows, its own panels, then its endpoints. */
export interface LayerDashboardSpec {
  readonly layer: DashboardLayer;
  /** `performance`: the slug `layer-4-performance`, the title `Layer 4 performance (…)`. */
  readonly topic: string;
  /** The description after `Layer 4 (<its title>): `. */
  readonly shows: string;
  /** The layer's own panels, given the matchers of its exporter series. */
  readonly panels: (exporter: ExporterMatchers) => readonly PanelBuilder[];
  /** How the endpoints panel reads, and its width. */
  readonly endpoints: { readonly description: string; readonly span: number };
}

export function layerDashboard(s: DashboardSettings, spec: LayerDashboardSpec): DashboardSpec {
  const { layer, topic } = spec;
  const layerTitle = s.layerTitle(layer);
  return {
    slug: `layer-${layer}-${topic}`,
    title: `Layerwatch / Layer ${layer} ${topic} (${layerTitle})`,
    description: `Layer ${layer} (${layerTitle}): ${spec.shows}`,
    tags: [`layer-${layer}`],
    variables: [],
    panels: [...spec.panels(layerExporter(s, layer)), layerEndpoints(s, layer, spec.endpoints)],
  };
}

/**
 * A layer dashboard led by its latency SLO's panels. The line is worked out once, and what
 * the dashboard shows and its own panels are given it.
 */
export interface LatencyLayerDashboardSpec extends Omit<LayerDashboardSpec, 'shows' | 'panels'> {
  readonly latency: LatencyPanelsSpec;
  readonly shows: (line: LatencyLine) => string;
  readonly panels: (exporter: ExporterMatchers, line: LatencyLine) => readonly PanelBuilder[];
}

export function latencyLayerDashboard(
  s: DashboardSettings,
  spec: LatencyLayerDashboardSpec,
): DashboardSpec {
  const line = latencyLine(s, spec.latency.slo);
  return layerDashboard(s, {
    ...spec,
    shows: spec.shows(line),
    panels: (exporter) => [...latencyPanels(s, spec.latency, line), ...spec.panels(exporter, line)],
  });
}

/** Each endpoint of the layer, up or down, as the probe daemon sees it from outside. */
function layerEndpoints(
  s: DashboardSettings,
  layer: DashboardLayer,
  { description, span }: LayerDashboardSpec['endpoints'],
): PanelBuilder {
  return statePanel(s, {
    title: `Layer ${layer} endpoints`,
    description,
    unit: 'none',
    queries: [overTime(series('probe_success', s.probes, s.layer(layer)), '{{name}}')],
    alerts: ['LayerwatchProbeDown'],
    ...flag(UP_DOWN),
    span,
  });
}
