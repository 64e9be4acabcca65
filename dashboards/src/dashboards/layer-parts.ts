/**
 * What the layer dashboards (4, 5, 7) share: the layer's exporter series, its latency SLO's
 * line, and its endpoints as the probe daemon sees them.
 */
import { goodFrom, panel, UP_DOWN, type PanelBuilder } from '../panels.js';
import { series } from '../promql.js';
import type { DashboardLayer, DashboardSettings, LatencySlo } from '../settings.js';

/** The alert that says a layer's exporter series are gone. */
export const EXPORTER_ABSENT = 'LayerwatchLayerExporterAbsent';

/** The layer services' exporter series of one layer. */
export function layerExporter(
  s: DashboardSettings,
  layer: DashboardLayer,
): readonly [string, string] {
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

export function latencyLine(s: DashboardSettings, slo: string): LatencyLine {
  const latency = s.latencySlo(slo);
  const q = latency.slo.objective;
  return {
    latency,
    q,
    percentile: `p${Math.round(q * 100)}`,
    ms: Math.round(latency.bound * 1000),
  };
}

/** Each endpoint of the layer, up or down, as the probe daemon sees it from outside. */
export function layerEndpoints(
  s: DashboardSettings,
  layer: DashboardLayer,
  description: string,
  span: number,
): PanelBuilder {
  return panel(s, {
    kind: 'state',
    title: `Layer ${layer} endpoints`,
    description,
    unit: 'none',
    queries: [{ expr: series('probe_success', s.probes, s.layer(layer)), legend: '{{name}}' }],
    alerts: ['LayerwatchProbeDown'],
    thresholds: goodFrom(1),
    mappings: UP_DOWN,
    span,
  });
}
