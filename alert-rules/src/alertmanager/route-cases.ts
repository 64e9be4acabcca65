/**
 * What `amtool config routes test --verify.receivers=…` must answer: one case per alert
 * name and priority (so every priority and both sides of every inhibition rule are
 * covered), the dead-man's switch, and an alert without a priority.
 */
import { alertRules } from '../rules.js';
import type { RuleGroup } from '../types.js';
import { RECEIVERS, WATCHDOG } from './config.js';

export interface RouteCase {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly receivers: readonly string[];
}

export function routeCases(groups: readonly RuleGroup[]): RouteCase[] {
  const cases = new Map<string, RouteCase>();
  for (const rule of alertRules(groups)) {
    const key = `${rule.alert}/${rule.labels.priority}`;
    if (cases.has(key)) continue;
    const labels = { alertname: rule.alert, ...rule.labels, layer: rule.labels['layer'] ?? '4' };
    const receivers =
      rule.alert === WATCHDOG
        ? [RECEIVERS.deadman]
        : [RECEIVERS.remediation, RECEIVERS.pager(rule.labels.priority)];
    cases.set(key, { name: key, labels, receivers });
  }
  cases.set('no priority', {
    name: 'an alert without a priority label (from another rule set)',
    labels: { alertname: 'SomethingElse', layer: '4' },
    receivers: [RECEIVERS.remediation],
  });
  return [...cases.values()];
}
