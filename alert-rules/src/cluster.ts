/**
 * The cluster label in every aggregation and join (kubernetes-mixin's `clusterLabel`). On a
 * Thanos or Mimir ruler that sees several clusters, `sum by (layer)` would merge them and
 * `absent()` would only fire when a series is missing everywhere; keeping the label apart
 * keeps each cluster's SLOs and absences its own. A Prometheus whose series lack the label
 * gives the same results as before: the label is simply empty.
 */
import { alternatives } from './alerts/scenario.js';
import type { AlertRulesConfig } from './config-types.js';

/** `by (cluster, a, b)`. */
export function by(config: AlertRulesConfig, labels: readonly string[] = []): string {
  return `by (${[config.clusterLabel, ...labels].join(', ')})`;
}

/** `on (cluster, a, b)`. */
export function on(config: AlertRulesConfig, labels: readonly string[] = []): string {
  return `on (${[config.clusterLabel, ...labels].join(', ')})`;
}

/**
 * One series per cluster that runs Layerwatch: one where Prometheus has a target of the
 * probe daemon's or the layer services' job, whatever its state. It tells the absence
 * alerts which clusters should have a series. The GPU job is left out: a cluster of GPU
 * nodes alone is expected to have no probe daemon.
 */
export function layerwatchClusters(config: AlertRulesConfig): string {
  const jobs = alternatives([config.jobs.probes, config.jobs.layers]);
  return `group ${by(config)} (up{job=~"${jobs}"})`;
}

/**
 * "No healthy `up` of this selector", per cluster: each Layerwatch cluster without a
 * successful scrape of it, labelled with that cluster. A target that vanished from service
 * discovery leaves no `up` at all; its cluster still counts while another Layerwatch target
 * there is known. Where no cluster has any, `absent()` is the fallback, without a cluster
 * label (`or on ()` adds it only when nothing else fires).
 */
export function noHealthyScrape(config: AlertRulesConfig, upSelector: string): string {
  return [
    '(',
    `  ${layerwatchClusters(config)}`,
    `  unless ${on(config)}`,
    `  group ${by(config)} (up{${upSelector}} == 1)`,
    ')',
    'or on ()',
    `absent(up{${upSelector}} == 1)`,
  ].join('\n');
}
