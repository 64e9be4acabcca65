/**
 * Label names the probes and exporters write and the rules, dashboards, app and remediation
 * select on, and the matchers built from them.
 */

export const LABELS = {
  /** A layer id (`4`, `5`, `7`, `8`, `shared`) on every series of the platform. */
  layer: 'layer',
  /** A probe target's name within its layer (`agent`, `redis`, …). */
  name: 'name',
  target: 'target',
  module: 'module',
  /** A GPU node's name, on layer 8's series. */
  node: 'node',
  priority: 'priority',
  severity: 'severity',
  /** The SLO a recording or burn-rate alert is about. */
  slo: 'slo',
  /** The default cluster label of multi-cluster setups (alert-rules' `clusterLabel`). */
  cluster: 'cluster',
} as const;
export type LabelName = (typeof LABELS)[keyof typeof LABELS];

/** The Grafana variable that picks clusters; every dashboard and app query filters on it. */
export const CLUSTER_VARIABLE = 'cluster';

/**
 * `cluster=~"$cluster"`: the matcher every dashboard and app query carries, so "All" (`.*`)
 * or several clusters work, and a Prometheus without the label still matches (`.*` matches
 * the empty value).
 */
export function clusterMatcher(
  clusterLabel: string = LABELS.cluster,
  variable: string = CLUSTER_VARIABLE,
): string {
  return `${clusterLabel}=~"$${variable}"`;
}
