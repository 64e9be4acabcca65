/**
 * promtool unit tests generated from the scenarios, one test file per rule group. Each
 * scenario becomes a test group with two checks: nothing fires one evaluation before
 * `onset + for` (the not-yet-firing case), and the alert fires at `onset + for` with its
 * exact labels and rendered annotations.
 */
import { duration, seconds } from './duration.js';
import { renderTemplate } from './template.js';
import type { AlertScenario, GroupCheck, RuleGroup, TestedAlert } from './types.js';

/** The evaluation interval of every generated test. */
export const TEST_INTERVAL_SECONDS = 60;

interface ExpAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}

interface AlertRuleTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpAlert[];
}

interface TestGroup {
  name: string;
  interval: string;
  input_series: { series: string; values: string }[];
  alert_rule_test?: AlertRuleTest[];
  promql_expr_test?: {
    expr: string;
    eval_time: string;
    exp_samples: { labels: string; value: number }[];
  }[];
}

export interface PromtoolTestFile {
  rule_files: string[];
  evaluation_interval: string;
  tests: TestGroup[];
}

/** The test file of one group; `ruleFile` is relative to the test file. */
export function promtoolTests(group: RuleGroup, ruleFile: string): PromtoolTestFile {
  const tests = [
    ...group.alerts.flatMap((tested) => tested.scenarios.map((s) => scenarioTest(tested, s))),
    ...group.checks.map(checkTest),
  ];
  return { rule_files: [ruleFile], evaluation_interval: '1m', tests };
}

function scenarioTest(tested: TestedAlert, scenario: AlertScenario): TestGroup {
  const rule = tested.rule;
  const boundary = seconds(scenario.onset) + seconds(rule.for ?? '0s');
  const labels = { ...scenario.labels, ...rule.labels };
  // Prometheus expands templates with the series' labels: the rule's own are added after.
  const annotations = Object.fromEntries(
    Object.entries(rule.annotations).map(([key, text]) => [
      key,
      renderTemplate(text, scenario.labels, scenario.value),
    ]),
  );
  const firing: AlertRuleTest = {
    eval_time: duration(boundary),
    alertname: rule.alert,
    exp_alerts: [{ exp_labels: labels, exp_annotations: annotations }],
  };
  const checks: AlertRuleTest[] = [];
  if (!tested.alwaysFiring) {
    if (boundary < TEST_INTERVAL_SECONDS) {
      throw new Error(
        `${rule.alert} scenario "${scenario.name}": onset + for is ${duration(boundary)}; ` +
          'start the condition later so a not-yet-firing check fits before it',
      );
    }
    checks.push({
      eval_time: duration(boundary - TEST_INTERVAL_SECONDS),
      alertname: rule.alert,
      exp_alerts: [],
    });
  }
  checks.push(firing);
  return {
    name: `${rule.alert} (${rule.labels.priority}): ${scenario.name}`,
    interval: '1m',
    input_series: scenario.input.map((s) => ({ series: s.series, values: s.values })),
    alert_rule_test: checks,
  };
}

function checkTest(check: GroupCheck): TestGroup {
  const base = {
    name: check.name,
    interval: '1m',
    input_series: check.input.map((s) => ({ series: s.series, values: s.values })),
  };
  if (check.kind === 'quiet') {
    return {
      ...base,
      name: `${check.alertname}: ${check.name}`,
      alert_rule_test: check.evalTimes.map((t) => ({
        eval_time: t,
        alertname: check.alertname,
        exp_alerts: [],
      })),
    };
  }
  return {
    ...base,
    promql_expr_test: [
      {
        expr: check.expr,
        eval_time: check.evalTime,
        exp_samples: check.samples.map((s) => ({ labels: s.labels, value: s.value })),
      },
    ],
  };
}
