import { describe, expect, it } from 'vitest';
import { THRESHOLDS } from '../generated/thresholds';
import { allChecks, overviewRows, withClusterRegex } from './checks';

describe('overview queries', () => {
  const queries = [...new Set(allChecks(overviewRows()).map((c) => c.query))];

  it('carry the cluster matcher in every vector selector, as the dashboards do', () => {
    expect(THRESHOLDS.cluster).toBe('cluster=~"$cluster"');
    for (const query of queries) {
      const selectors = query.match(/\{[^}]*\}/g) ?? [];
      expect(selectors.length, query).toBeGreaterThan(0);
      for (const selector of selectors) expect(selector, query).toContain(THRESHOLDS.cluster);
    }
  });

  it('fill $cluster with the configured regex, escaped for a PromQL string', () => {
    const query = 'up{cluster=~"$cluster",job="x"}';
    expect(withClusterRegex(query, '.*')).toBe('up{cluster=~".*",job="x"}');
    expect(withClusterRegex(query, 'eu-"1"\\d')).toBe('up{cluster=~"eu-\\"1\\"\\\\d",job="x"}');
    // `$clusterName` is another variable, left alone; `$` in the regex is kept literally.
    expect(withClusterRegex('a{b="$clusterName"}', 'x')).toBe('a{b="$clusterName"}');
    expect(withClusterRegex(query, 'prod$')).toBe('up{cluster=~"prod$",job="x"}');
  });
});
