import type { ResourceMetrics, ScopeMetrics } from '@opentelemetry/sdk-metrics';

/**
 * One scope entry per instrumentation scope: a reader appends what its metric producers
 * give (our histograms) as extra scope entries, which would show our one scope twice in
 * OTLP. Metrics are ordered by `rank` (instrument creation order) where it knows them.
 */
export function mergeScopes(
  collected: ResourceMetrics,
  rank: (instrumentName: string) => number = () => 0,
): ResourceMetrics {
  if (collected.scopeMetrics.length < 2) return collected;
  const merged = new Map<string, ScopeMetrics>();
  for (const { scope, metrics } of collected.scopeMetrics) {
    const key = `${scope.name}\u0000${scope.version ?? ''}\u0000${scope.schemaUrl ?? ''}`;
    const found = merged.get(key);
    if (found === undefined) merged.set(key, { scope, metrics: [...metrics] });
    else found.metrics.push(...metrics);
  }
  const scopeMetrics = [...merged.values()];
  for (const scope of scopeMetrics) {
    scope.metrics.sort((a, b) => rank(a.descriptor.name) - rank(b.descriptor.name));
  }
  return { resource: collected.resource, scopeMetrics };
}
