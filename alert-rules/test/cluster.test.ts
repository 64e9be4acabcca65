import { describe, expect, it } from 'vitest';
import {
  buildAlertmanagerConfig,
  buildRuleGroups,
  resolveConfig,
  type AlertRulesConfig,
} from '../src/index.js';

const AGGREGATION =
  /\b(sum|avg|min|max|count|group|stddev|stdvar|topk|bottomk|quantile|count_values)\s*(by|without)?\s*\(/g;
const CLAUSE = /\b(by|on|without|ignoring)\s*\(([^)]*)\)/g;

/** How one expression could merge clusters or join across them, one line each. */
function exprProblems(expr: string, clusterLabel: string): string[] {
  const problems: string[] = [];
  for (const match of expr.matchAll(AGGREGATION)) {
    if (match[2] === undefined) problems.push(`${match[1]} without by (…)`);
  }
  for (const match of expr.matchAll(CLAUSE)) {
    const [clause = '', keyword = '', list = ''] = match;
    const after = expr.slice((match.index ?? 0) + clause.length);
    // `or on () absent(…)`: the fallback for when no cluster has the series at all.
    if (keyword === 'on' && list.trim() === '' && /^\s*absent\(/.test(after)) continue;
    const keeps = keyword === 'by' || keyword === 'on';
    const labels = list.split(',').map((label) => label.trim());
    if (keeps !== labels.includes(clusterLabel)) {
      problems.push(`${clause} ${keeps ? 'drops' : 'ignores'} the cluster label`);
    }
  }
  return problems;
}

/** Every rule's problems, named by group and rule. */
function ruleProblems(config: AlertRulesConfig): string[] {
  return buildRuleGroups(config).flatMap((group) =>
    [...group.recordings, ...group.alerts.map((a) => a.rule)].flatMap((rule) =>
      exprProblems(rule.expr, config.clusterLabel).map(
        (problem) => `${group.name} ${'record' in rule ? rule.record : rule.alert}: ${problem}`,
      ),
    ),
  );
}

describe('the cluster label (clusterLabel) for rulers that see several clusters', () => {
  it('is kept by every aggregation and join of the generated rules', () => {
    expect(ruleProblems(resolveConfig())).toEqual([]);
  });

  it('follows the config: another label name replaces cluster everywhere', () => {
    const config = resolveConfig({ clusterLabel: 'k8s_cluster' });
    expect(ruleProblems(config)).toEqual([]);
    const exprs = buildRuleGroups(config).flatMap((g) => [
      ...g.recordings.map((r) => r.expr),
      ...g.alerts.map((a) => a.rule.expr),
    ]);
    expect(exprs.filter((e) => /\bcluster\b/.test(e))).toEqual([]);
  });

  it('the check finds aggregations and joins that merge clusters', () => {
    expect(
      exprProblems('sum by (layer) (x) and on (node) y unless ignoring (cluster) z', 'cluster'),
    ).toEqual([
      'by (layer) drops the cluster label',
      'on (node) drops the cluster label',
      'ignoring (cluster) ignores the cluster label',
    ]);
    expect(exprProblems('sum(x) and on () y', 'cluster')).toEqual([
      'sum without by (…)',
      'on () drops the cluster label',
    ]);
    expect(exprProblems('x or on () absent(y == 1)', 'cluster')).toEqual([]);
  });

  it('is in group_by and in every inhibition rule’s equal', () => {
    const config = resolveConfig();
    const am = buildAlertmanagerConfig(config, buildRuleGroups(config)) as {
      route: { group_by: string[] };
      inhibit_rules: { equal: string[] }[];
    };
    expect(am.route.group_by).toEqual(['alertname', 'cluster', 'layer']);
    expect(am.inhibit_rules.map((rule) => rule.equal[0])).toEqual(
      am.inhibit_rules.map(() => 'cluster'),
    );
  });
});
