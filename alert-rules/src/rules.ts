/** Every rule group of Layerwatch, built from one resolved config. */
import { datastoreAlerts } from './alerts/datastores.js';
import { readinessAlerts, telemetryAlerts } from './alerts/factory.js';
import { gpuAlerts } from './alerts/gpu.js';
import { layerSignalAlerts } from './alerts/layer-signals.js';
import { metaAlerts } from './alerts/meta.js';
import { probeAlerts } from './alerts/probes.js';
import type { AlertRulesConfig } from './config-types.js';
import { sloBurnRateAlerts } from './slo/alerts.js';
import type { AlertRule, RuleGroup } from './types.js';

export function buildRuleGroups(config: AlertRulesConfig): RuleGroup[] {
  return [
    probeAlerts(config),
    datastoreAlerts(config),
    layerSignalAlerts(config),
    gpuAlerts(config),
    telemetryAlerts(config),
    readinessAlerts(config),
    metaAlerts(config),
    ...config.slos.map((slo) => sloBurnRateAlerts(config, slo)),
  ];
}

/** Every alert rule, in file order. */
export function alertRules(groups: readonly RuleGroup[]): AlertRule[] {
  return groups.flatMap((group) => group.alerts.map((tested) => tested.rule));
}

/** Alert names, each once, in file order: one runbook page each. */
export function alertNames(groups: readonly RuleGroup[]): string[] {
  return [...new Set(alertRules(groups).map((rule) => rule.alert))];
}

/** The rule file's content: `groups:` with recordings first (alerts read them). */
export function ruleFileContent(groups: readonly RuleGroup[]): { groups: unknown[] } {
  return {
    groups: groups.map((group) => ({
      name: group.name,
      ...(group.interval === undefined ? {} : { interval: group.interval }),
      rules: [...group.recordings, ...group.alerts.map((tested) => tested.rule)],
    })),
  };
}
