import { DEFAULT_CONFIG } from './config.js';
import {
  PAGER_KINDS,
  type AlertKey,
  type AlertRulesConfig,
  type ConfigOverrides,
} from './config-types.js';
import { isDuration, seconds } from './duration.js';
import { ACTION_NAMES, PRIORITIES } from '@layerwatch/vocabulary';

/** A config value is missing or wrong; the message names the field and the fix. */
export class ConfigValueError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`alert-rules config: ${field} ${problem}`);
    this.name = 'ConfigValueError';
  }
}

/**
 * The defaults with `overrides` laid over them (objects merge, arrays and values replace),
 * validated. Generation runs through here, so a missing required value fails the build.
 */
export function resolveConfig(overrides: ConfigOverrides = {}): AlertRulesConfig {
  const merged = merge(DEFAULT_CONFIG, overrides) as AlertRulesConfig;
  validateConfig(merged);
  return merged;
}

function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = merge(base[key], value);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ALERT_KEYS: readonly AlertKey[] = Object.keys(DEFAULT_CONFIG.alerts) as AlertKey[];

/** Throws a {@link ConfigValueError} for the first missing or invalid value. */
export function validateConfig(config: AlertRulesConfig): void {
  requireUrl('runbookBaseUrl', config.runbookBaseUrl, 'the base URL of alert-rules/runbooks/');
  requireUrl(
    'alertmanager.remediationWebhookUrl',
    config.alertmanager?.remediationWebhookUrl,
    "the remediation service's webhook",
  );
  requireLabelName('clusterLabel', config.clusterLabel);
  for (const [name, value] of Object.entries(config.jobs ?? {})) requireText(`jobs.${name}`, value);
  for (const key of ['probes', 'gpu', 'taskQueue'] as const) {
    requireText(`selectors.${key}`, config.selectors?.[key], 'matchers such as job="…"');
  }
  requireList('layers', config.layers);
  config.layers.forEach((layer, i) => {
    requireText(`layers[${i}].layer`, layer.layer, "the probes' `layer` label value");
    requirePriority(`layers[${i}].probeDownPriority`, layer.probeDownPriority);
    requireActions(`layers[${i}].actions`, layer.actions);
  });
  requirePriority('otherLayers.probeDownPriority', config.otherLayers?.probeDownPriority);
  for (const [name, value] of Object.entries(config.thresholds ?? {})) {
    const field = `thresholds.${name}`;
    if (typeof value === 'string') requireDuration(field, value);
    else if (typeof value !== 'number' || !(value >= 0)) {
      throw new ConfigValueError(field, `is required: a non-negative number (got ${show(value)})`);
    }
  }
  for (const key of ALERT_KEYS) {
    const alert = config.alerts?.[key];
    if (!alert)
      throw new ConfigValueError(`alerts.${key}`, 'is required: { for, priority, actions }');
    requireDuration(`alerts.${key}.for`, alert.for);
    requirePriority(`alerts.${key}.priority`, alert.priority);
    requireActions(`alerts.${key}.actions`, alert.actions);
  }
  validateSlos(config);
  requireDuration('sloPeriod', config.sloPeriod);
  const timing = config.alertmanager.timing;
  for (const priority of PRIORITIES) {
    for (const key of ['groupWait', 'groupInterval', 'repeatInterval'] as const) {
      requireDuration(`alertmanager.timing.${priority}.${key}`, timing?.[priority]?.[key]);
    }
  }
  for (const priority of PRIORITIES) {
    const pagers = config.alertmanager.pagers?.[priority];
    if (!Array.isArray(pagers) || pagers.some((p) => !PAGER_KINDS.includes(p))) {
      throw new ConfigValueError(
        `alertmanager.pagers.${priority}`,
        `is required: a list of ${PAGER_KINDS.join(', ')} (got ${show(pagers)})`,
      );
    }
  }
  requireDuration('alertmanager.resolveTimeout', config.alertmanager.resolveTimeout);
  requireDuration('alertmanager.watchdogRepeat', config.alertmanager.watchdogRepeat);
}

function validateSlos(config: AlertRulesConfig): void {
  requireList('slos', config.slos);
  const names = new Set<string>();
  config.slos.forEach((slo, i) => {
    const at = `slos[${i}]`;
    requireText(`${at}.name`, slo.name, 'the `slo` label value');
    if (names.has(slo.name))
      throw new ConfigValueError(`${at}.name`, `"${slo.name}" is used twice`);
    names.add(slo.name);
    if (!/^Layerwatch[A-Z][A-Za-z0-9]+$/.test(slo.alert ?? '')) {
      throw new ConfigValueError(
        `${at}.alert`,
        `${show(slo.alert)} is not a CamelCase name starting with Layerwatch`,
      );
    }
    if (!(slo.objective > 0 && slo.objective < 1)) {
      throw new ConfigValueError(
        `${at}.objective`,
        `${show(slo.objective)} is not a ratio between 0 and 1 (99.9 % is 0.999)`,
      );
    }
    requireText(`${at}.sli.selector`, slo.sli?.selector, 'matchers such as job="…"');
    if (slo.sli.kind === 'latency') {
      requireText(`${at}.sli.metric`, slo.sli.metric, 'the histogram name without _bucket');
      requireText(`${at}.sli.le`, slo.sli.le, 'the bucket bound, as its le label writes it');
    }
    requireActions(`${at}.actions`, slo.actions);
  });
  requireList('burnWindows', config.burnWindows);
  config.burnWindows.forEach((window, i) => {
    const at = `burnWindows[${i}]`;
    for (const key of ['long', 'short', 'for'] as const)
      requireDuration(`${at}.${key}`, window[key]);
    if (seconds(window.short) >= seconds(window.long)) {
      throw new ConfigValueError(
        `${at}.short`,
        `(${window.short}) must be shorter than long (${window.long})`,
      );
    }
    if (!(window.factor > 0)) throw new ConfigValueError(`${at}.factor`, 'must be above 0');
    requirePriority(`${at}.priority`, window.priority);
  });
}

function requireText(field: string, value: unknown, hint = 'a non-empty string'): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigValueError(field, `is required: ${hint} (got ${show(value)})`);
  }
}

function requireUrl(field: string, value: unknown, what: string): void {
  requireText(field, value, `${what}, an http(s) URL`);
  if (!/^https?:\/\/\S+$/.test(value as string)) {
    throw new ConfigValueError(field, `${show(value)} is not an http(s) URL (${what})`);
  }
}

/** A label name Prometheus accepts and does not reserve (`__name__`, `__address__`, …). */
function requireLabelName(field: string, value: unknown): void {
  if (
    typeof value !== 'string' ||
    !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(value) ||
    value.startsWith('__')
  ) {
    throw new ConfigValueError(
      field,
      `is required: a label name such as cluster or k8s_cluster, without a leading __ (got ${show(value)})`,
    );
  }
}

function requireList(field: string, value: unknown): void {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigValueError(field, 'is required: a non-empty list');
  }
}

function requireDuration(field: string, value: unknown): void {
  if (typeof value !== 'string' || !isDuration(value)) {
    throw new ConfigValueError(
      field,
      `is required: a duration like 30s, 5m or 1h (got ${show(value)})`,
    );
  }
}

function requirePriority(field: string, value: unknown): void {
  if (!PRIORITIES.includes(value as never)) {
    throw new ConfigValueError(
      field,
      `is required: one of ${PRIORITIES.join(', ')} (got ${show(value)})`,
    );
  }
}

function requireActions(field: string, value: unknown): void {
  if (!Array.isArray(value)) throw new ConfigValueError(field, 'is required: a list of actions');
  for (const action of value) {
    if (!ACTION_NAMES.includes(action as never)) {
      throw new ConfigValueError(
        field,
        `${show(action)} is not an action; known: ${ACTION_NAMES.join(', ')}`,
      );
    }
  }
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
