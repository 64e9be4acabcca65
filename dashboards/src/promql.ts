/**
 * Small PromQL helpers. Every range a rate or an increase reads is `$__rate_interval`, so a
 * panel works at any scrape interval and zoom level; the linter rejects fixed windows.
 */
export const RATE_INTERVAL = '$__rate_interval';

/** `{a,b}` from matchers, empty parts skipped; `''` when none are left. */
export function selector(...matchers: readonly (string | undefined)[]): string {
  const kept = matchers.filter((m): m is string => m !== undefined && m !== '');
  return kept.length === 0 ? '' : `{${kept.join(',')}}`;
}

/** `metric{matchers}`. */
export function series(metric: string, ...matchers: readonly (string | undefined)[]): string {
  return `${metric}${selector(...matchers)}`;
}

/** The dashboard variable that picks clusters; every panel query filters on it. */
export const CLUSTER_VARIABLE = 'cluster';

/** `label=~"$variable"`: a variable that may be "All" (`.*`) or several values. */
export function byVariable(label: string, variable: string = label): string {
  return `${label}=~"$${variable}"`;
}

export function rate(metric: string, ...matchers: readonly (string | undefined)[]): string {
  return `rate(${series(metric, ...matchers)}[${RATE_INTERVAL}])`;
}

export function increase(metric: string, ...matchers: readonly (string | undefined)[]): string {
  return `increase(${series(metric, ...matchers)}[${RATE_INTERVAL}])`;
}

/**
 * `expr or vector(0)`: a panel counting events that have not happened shows 0, not
 * "No data" (as the mixins do); no data then only ever means the panel's query is wrong.
 */
export function orZero(expr: string): string {
  return `${expr}\nor\nvector(0)`;
}

/** `sum by (a, b) (expr)`, or `sum(expr)` without labels. */
export function sumBy(labels: readonly string[], expr: string): string {
  return labels.length === 0 ? `sum(${expr})` : `sum by (${labels.join(', ')}) (${expr})`;
}

/** The `q` quantile of a histogram (`<metric>_bucket`), per `by` labels. */
export function quantile(
  q: number,
  histogram: string,
  by: readonly string[],
  ...matchers: readonly (string | undefined)[]
): string {
  return `histogram_quantile(${q}, ${sumBy(['le', ...by], rate(`${histogram}_bucket`, ...matchers))})`;
}

/** Share of a histogram's observations at or under the bucket bound `le`. */
export function shareUnder(
  histogram: string,
  le: string,
  by: readonly string[],
  ...matchers: readonly (string | undefined)[]
): string {
  const good = sumBy(by, rate(`${histogram}_bucket`, ...matchers, `le="${le}"`));
  const total = sumBy(by, rate(`${histogram}_count`, ...matchers));
  return `${good}\n/\n(${total} > 0)`;
}

/**
 * `<clusterLabel>=~"$cluster"`. With "All" (`.*`) it also matches series without the label,
 * so a single Prometheus that sets no cluster label keeps working.
 */
export function byCluster(clusterLabel: string): string {
  return byVariable(clusterLabel, CLUSTER_VARIABLE);
}

/**
 * `<clusterLabel>=~"$cluster|"`: the picked clusters, or no cluster label at all. For series
 * every cluster writes alike and a central Prometheus writes once, without the label (the
 * SLO objectives, `vector(0.999)`), so that picking one cluster does not hide them.
 */
export function byClusterOrNone(clusterLabel: string): string {
  return `${clusterLabel}=~"$${CLUSTER_VARIABLE}|"`;
}
