import type { AlertRulesConfig } from '../config-types.js';
import { seconds } from '../duration.js';
import { selectorLabels, seriesLiteral } from '../promql-series.js';
import type { AlertScenario, Duration, InputSeries } from '../types.js';

/** A scenario: input series, when the condition first holds, the firing alert's labels. */
export function scenario(
  name: string,
  input: readonly InputSeries[],
  onset: Duration,
  labels: Readonly<Record<string, string>>,
  value?: number,
): AlertScenario {
  return value === undefined
    ? { name, input, onset, labels }
    : { name, input, onset, labels, value };
}

/** A series of the probe daemon (the probes selector's labels plus `extra`). */
export function probeSeries(
  config: AlertRulesConfig,
  metric: string,
  extra: Readonly<Record<string, string>>,
  values: string,
): InputSeries {
  return { series: seriesLiteral(metric, config.selectors.probes, extra), values };
}

/** The labels a probe daemon series carries in the scenarios (the selector's and `extra`). */
export function probeLabels(
  config: AlertRulesConfig,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  return { ...selectorLabels(config.selectors.probes), ...extra };
}

/** `a|b|c` for a regex matcher, each alternative escaped. */
export function alternatives(values: readonly string[]): string {
  return values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&')).join('|');
}

/** Samples (one a minute) to cover a condition from minute `onset` past its `for:`. */
export function span(forDuration: Duration, onsetMinutes = 0): number {
  return Math.ceil(seconds(forDuration) / 60) + onsetMinutes + 5;
}
