/**
 * Typed builders for rules. Every required part is a parameter, so an alert cannot be
 * written without a priority, a runbook, remediation actions or a promtool scenario, and
 * misuse fails here, naming the rule.
 */
import type { AlertRulesConfig } from './config-types.js';
import { checkTemplate } from './template.js';
import { SEVERITY_OF } from '@layerwatch/vocabulary';
import {
  type ActionName,
  type AlertScenario,
  type Duration,
  type GroupCheck,
  type Priority,
  type RecordingRule,
  type RuleGroup,
  type TestedAlert,
} from './types.js';

export interface AlertSpec {
  /** CamelCase with the component prefix: `LayerwatchProbeDown`. */
  readonly name: string;
  readonly expr: string;
  /** Omitted or `0s`: fires at the first evaluation where `expr` has a result. */
  readonly for?: Duration;
  readonly priority: Priority;
  /** Labels beyond `priority` and `severity` (which come from the priority). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Static: no template, so notifications group cleanly. */
  readonly summary: string;
  /** Templated with `{{ $labels.layer }}`, `{{ $labels.target }}`, … */
  readonly description: string;
  readonly actions: readonly ActionName[];
  readonly scenarios: readonly AlertScenario[];
  /** Only for the dead-man's switch, which has no "before it fires". */
  readonly alwaysFiring?: boolean;
}

const ALERT_NAME = /^Layerwatch[A-Z][A-Za-z0-9]*$/;
const RESERVED_LABELS = new Set(['priority', 'severity', 'alertname']);

/** An alert rule with its labels, annotations (runbook link, actions) and scenarios. */
export function alert(config: AlertRulesConfig, spec: AlertSpec): TestedAlert {
  const where = `alert ${spec.name}`;
  if (!ALERT_NAME.test(spec.name)) {
    throw new Error(
      `${where}: names are CamelCase with the Layerwatch prefix (LayerwatchProbeDown)`,
    );
  }
  if (spec.expr.trim() === '') throw new Error(`${where}: expr is empty`);
  if (spec.summary.includes('{{')) {
    throw new Error(`${where}: the summary is static; put {{ … }} in the description`);
  }
  if (spec.description.trim() === '') throw new Error(`${where}: the description is empty`);
  checkTemplate(spec.description, `${where} description`);
  for (const label of Object.keys(spec.labels ?? {})) {
    if (RESERVED_LABELS.has(label)) {
      throw new Error(`${where}: label ${label} is set by the builder (from the priority)`);
    }
  }
  if (spec.scenarios.length === 0) {
    throw new Error(`${where}: give at least one promtool scenario (a firing case)`);
  }
  const forPart = spec.for !== undefined && spec.for !== '0s' ? { for: spec.for } : {};
  return {
    rule: {
      alert: spec.name,
      expr: spec.expr,
      ...forPart,
      labels: {
        ...spec.labels,
        priority: spec.priority,
        severity: SEVERITY_OF[spec.priority],
      },
      annotations: {
        summary: spec.summary,
        description: spec.description,
        runbook_url: runbookUrl(config, spec.name),
        layerwatch_actions: spec.actions.join(','),
      },
    },
    scenarios: spec.scenarios,
    ...(spec.alwaysFiring ? { alwaysFiring: true } : {}),
  };
}

/** Where an alert's runbook page is: the configured base, the alert's name, `.md`. */
export function runbookUrl(config: AlertRulesConfig, alertName: string): string {
  return `${config.runbookBaseUrl.replace(/\/+$/, '')}/${alertName}.md`;
}

const RECORD_NAME = /^[a-z_]+:[a-zA-Z0-9_]+:[a-zA-Z0-9_]+$/;

/** A recording rule, named by the `level:metric:operations` convention. */
export function recordingRule(
  record: string,
  expr: string,
  labels?: Readonly<Record<string, string>>,
): RecordingRule {
  if (!RECORD_NAME.test(record)) {
    throw new Error(
      `recording rule ${record}: name it level:metric:operations (slo:sli_error:ratio_rate5m)`,
    );
  }
  return labels === undefined ? { record, expr } : { record, expr, labels };
}

/** A rule group; its alert names must not collide with another group's (one runbook each). */
export function ruleGroup(
  name: string,
  parts: {
    readonly recordings?: readonly RecordingRule[];
    readonly alerts?: readonly TestedAlert[];
    readonly checks?: readonly GroupCheck[];
    readonly interval?: Duration;
  },
): RuleGroup {
  if (!/^layerwatch-[a-z0-9-]+$/.test(name)) {
    throw new Error(`rule group ${name}: name it layerwatch-<component>`);
  }
  return {
    name,
    ...(parts.interval === undefined ? {} : { interval: parts.interval }),
    recordings: parts.recordings ?? [],
    alerts: parts.alerts ?? [],
    checks: parts.checks ?? [],
  };
}

/** Matchers joined into one selector body, empty parts skipped: `job="x",layer="4"`. */
export function matchers(...parts: readonly (string | undefined)[]): string {
  return parts.filter((part): part is string => part !== undefined && part !== '').join(',');
}
