/**
 * The shapes the rule builders produce. Label names are typed so a typo fails the
 * typecheck, not a page.
 */

// The words the rules share with every other part: defined once, in @layerwatch/vocabulary.
import type { ActionName, Priority, Severity } from '@layerwatch/vocabulary';
export type { ActionName, Priority, Severity };

/** A Prometheus duration as rule files write it: `30s`, `5m`, `1h`, `3d`. */
export type Duration = `${number}${'ms' | 's' | 'm' | 'h' | 'd' | 'w'}`;

/** Labels every alert carries, set by the builder from its priority. */
export interface AlertLabels {
  readonly priority: Priority;
  readonly severity: Severity;
  readonly [extra: string]: string;
}

/** The annotations every alert carries; the builder adds `runbook_url`. */
export interface AlertAnnotations {
  readonly summary: string;
  readonly description: string;
  readonly runbook_url: string;
  readonly layerwatch_actions: string;
}

/** One `alert:` rule as it goes into a rule file. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: Duration;
  readonly labels: AlertLabels;
  readonly annotations: AlertAnnotations;
}

/** One `record:` rule as it goes into a rule file. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export type Rule = AlertRule | RecordingRule;

export function isAlertRule(rule: Rule): rule is AlertRule {
  return 'alert' in rule;
}

/** A series fed to promtool: `series` in selector form, `values` in expanding notation. */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/**
 * A promtool scenario for one alert rule. The builder turns it into two checks: nothing
 * fires one evaluation before `onset + for`, and the alert fires at `onset + for` with the
 * labels and rendered annotations it should have.
 */
export interface AlertScenario {
  readonly name: string;
  readonly input: readonly InputSeries[];
  /** When the condition first holds (an evaluation time, a multiple of the interval). */
  readonly onset: Duration;
  /** Labels the firing alert has beyond the rule's own (from the expression's series). */
  readonly labels: Readonly<Record<string, string>>;
  /** The alert's `$value` at the firing check, for annotations that print it. */
  readonly value?: number;
}

/** An alert rule with the promtool scenarios that prove it. */
export interface TestedAlert {
  readonly rule: AlertRule;
  readonly scenarios: readonly AlertScenario[];
  /** `LayerwatchWatchdog` fires from the first evaluation: there is no "before". */
  readonly alwaysFiring?: boolean;
}

/** A promtool check of an expression (recording rules), beside the alert scenarios. */
export interface ExprCheck {
  readonly kind: 'expr';
  readonly name: string;
  readonly input: readonly InputSeries[];
  readonly evalTime: Duration;
  readonly expr: string;
  /** Expected samples; empty means "no result at all" (neither a value nor NaN). */
  readonly samples: readonly { readonly labels: string; readonly value: number }[];
}

/** A promtool check that an alert does NOT fire on this input (low traffic, short spikes). */
export interface QuietCheck {
  readonly kind: 'quiet';
  readonly name: string;
  readonly input: readonly InputSeries[];
  readonly evalTimes: readonly Duration[];
  readonly alertname: string;
}

export type GroupCheck = ExprCheck | QuietCheck;

/** A rule group: the unit of a rule file, of a PrometheusRule and of a promtool test file. */
export interface RuleGroup {
  readonly name: string;
  readonly interval?: Duration;
  readonly recordings: readonly RecordingRule[];
  readonly alerts: readonly TestedAlert[];
  readonly checks: readonly GroupCheck[];
}
