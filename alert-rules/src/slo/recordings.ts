/**
 * The SLI of an SLO as PromQL, and its recording rules (Sloth's and kubernetes-mixin's
 * naming): `slo:sli_error:ratio_rate<window>` with `slo` and `layer` labels, event counts for
 * the long windows, the period's ratio and the error budget remaining.
 *
 * Low traffic never yields NaN: a ratio divides only by a total that is above zero
 * (`/ (total > 0)`), so a window without events has no sample instead of 0/0.
 */
import type { AlertRulesConfig, SloSettings } from '../config-types.js';
import { matchers, recordingRule } from '../builders.js';
import { by } from '../cluster.js';
import { seconds } from '../duration.js';
import type { Duration, RecordingRule } from '../types.js';

export const errorRatioRecord = (window: Duration): string => `slo:sli_error:ratio_rate${window}`;
export const eventsRecord = (window: Duration): string => `slo:sli_events:count${window}`;
export const PERIOD_RATIO_PREFIX = 'slo:sli_error:ratio_rate';
export const BUDGET_REMAINING = 'slo:period_error_budget_remaining:ratio';
export const OBJECTIVE = 'slo:objective:ratio';

/** Every window the burn-rate alerts read, shortest first. */
export function sloWindows(config: AlertRulesConfig): Duration[] {
  const all = config.burnWindows.flatMap((w) => [w.long, w.short]);
  return [...new Set(all)].sort((a, b) => seconds(a) - seconds(b));
}

/** The long windows, whose event counts guard the alerts against low traffic. */
export function longWindows(config: AlertRulesConfig): Duration[] {
  return [...new Set(config.burnWindows.map((w) => w.long))].sort(
    (a, b) => seconds(a) - seconds(b),
  );
}

/** The error budget as a ratio, rounded so 1 - 0.999 prints as 0.001. */
export function errorBudget(slo: SloSettings): number {
  return Number((1 - slo.objective).toPrecision(12));
}

/**
 * PromQL of the SLI's error ratio and event count over a window, per kept label set. Every
 * aggregation keeps the cluster label: a ruler that sees several clusters never merges them.
 */
export function sliExpr(
  config: AlertRulesConfig,
  slo: SloSettings,
  window: Duration,
): { ratio: string; events: string } {
  const sli = slo.sli;
  if (sli.kind === 'probe-success') {
    const series = `probe_success{${sli.selector}}`;
    const perLayer = by(config, ['layer']);
    return {
      ratio: `1 - avg ${perLayer} (avg_over_time(${series}[${window}]))`,
      events: `sum ${perLayer} (count_over_time(${series}[${window}]))`,
    };
  }
  const sum = `sum ${by(config, sli.by)}`;
  const good = `${sum} (rate(${sli.metric}_bucket{${matchers(sli.selector, `le="${sli.le}"`)}}[${window}]))`;
  const total = `${sum} (rate(${sli.metric}_count{${sli.selector}}[${window}]))`;
  const events = `${sum} (increase(${sli.metric}_count{${sli.selector}}[${window}]))`;
  const ratio = `1 - (\n  ${good}\n  /\n  (${total} > 0)\n)`;
  return { ratio: withLayer(slo, ratio), events: withLayer(slo, events) };
}

/** Copies the `layer` label from another label (cross-layer: the callee's layer). */
function withLayer(slo: SloSettings, expr: string): string {
  if (slo.sli.kind !== 'latency' || !('from' in slo.sli.layer)) return expr;
  return `label_replace(\n  ${expr.replace(/\n/g, '\n  ')},\n  "layer", "$1", "${slo.sli.layer.from}", "(.*)"\n)`;
}

/** Static labels of the SLO's recordings: `slo`, and `layer` when the SLI has none. */
export function sloLabels(slo: SloSettings): Record<string, string> {
  const labels: Record<string, string> = { slo: slo.name };
  if (slo.sli.kind === 'latency' && 'value' in slo.sli.layer) labels['layer'] = slo.sli.layer.value;
  return labels;
}

/** The recording rules of one SLO, in evaluation order (the period reads the 5m ratio). */
export function sloRecordings(config: AlertRulesConfig, slo: SloSettings): RecordingRule[] {
  const labels = sloLabels(slo);
  const windows = sloWindows(config);
  const shortest = windows[0];
  if (shortest === undefined) throw new Error('burnWindows: no windows configured');
  const rules = windows.map((w) =>
    recordingRule(errorRatioRecord(w), sliExpr(config, slo, w).ratio, labels),
  );
  for (const w of longWindows(config)) {
    rules.push(recordingRule(eventsRecord(w), sliExpr(config, slo, w).events, labels));
  }
  const period = config.sloPeriod;
  const own = `{slo="${slo.name}"}`;
  rules.push(
    recordingRule(
      `${PERIOD_RATIO_PREFIX}${period}`,
      `avg_over_time(${errorRatioRecord(shortest)}${own}[${period}])`,
      { slo: slo.name },
    ),
    recordingRule(
      BUDGET_REMAINING,
      `1 - ${PERIOD_RATIO_PREFIX}${period}${own} / ${errorBudget(slo)}`,
      { slo: slo.name },
    ),
    recordingRule(OBJECTIVE, `vector(${slo.objective})`, { slo: slo.name }),
  );
  return rules;
}
