/**
 * Multi-window, multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs"): each
 * window pair fires when both the long and the short window burn faster than `factor`
 * times the rate that spends the whole budget in the period, and the long window saw at
 * least `minEvents` events (one failure among three requests is no outage).
 */
import { alert, ruleGroup } from '../builders.js';
import type { AlertRulesConfig, BurnWindow, SloSettings } from '../config-types.js';
import { duration, seconds } from '../duration.js';
import { formatG4 } from '../template.js';
import type { ActionName, RuleGroup, TestedAlert } from '../types.js';
import { sloChecks } from './checks.js';
import { burnScenario } from './scenarios.js';
import { errorBudget, errorRatioRecord, eventsRecord, sloRecordings } from './recordings.js';

/** Burn windows, fastest first; a slower window must wait longer (`for`), or tests overlap. */
export function orderedWindows(config: AlertRulesConfig): BurnWindow[] {
  const windows = [...config.burnWindows].sort((a, b) => b.factor - a.factor);
  windows.forEach((window, i) => {
    const faster = windows[i - 1];
    if (faster && seconds(window.for) <= seconds(faster.for)) {
      throw new Error(
        `burnWindows: the ${window.factor}× window needs a longer for: than the ` +
          `${faster.factor}× window (${window.for} <= ${faster.for})`,
      );
    }
  });
  return windows;
}

/** The recording rules, burn-rate alerts and low-traffic checks of one SLO: one group. */
export function sloBurnRateAlerts(config: AlertRulesConfig, slo: SloSettings): RuleGroup {
  const windows = orderedWindows(config);
  const targets: readonly (string | undefined)[] =
    slo.sli.kind === 'probe-success' ? (slo.layers ?? [undefined]) : [undefined];
  const alerts = targets.flatMap((layer) =>
    windows.map((window, i) => burnAlert(config, slo, window, windows[i - 1], layer)),
  );
  return ruleGroup(`layerwatch-slo-${slo.name}`, {
    recordings: sloRecordings(config, slo),
    alerts,
    checks: sloChecks(config, slo),
  });
}

function burnAlert(
  config: AlertRulesConfig,
  slo: SloSettings,
  window: BurnWindow,
  faster: BurnWindow | undefined,
  layer: string | undefined,
): TestedAlert {
  const budget = errorBudget(slo);
  const threshold = `(${window.factor} * ${budget})`;
  const filter = layer === undefined ? `slo="${slo.name}"` : `slo="${slo.name}",layer="${layer}"`;
  const expr = [
    '(',
    `  ${errorRatioRecord(window.long)}{${filter}} > ${threshold}`,
    'and',
    `  ${errorRatioRecord(window.short)}{${filter}} > ${threshold}`,
    ')',
    'and',
    `${eventsRecord(window.long)}{${filter}} >= ${slo.minEvents}`,
  ].join('\n');
  const exhausted = duration(Math.round(seconds(config.sloPeriod) / window.factor));
  const where = slo.sli.kind === 'probe-success' ? 'Layer {{ $labels.layer }}' : subject(slo);
  return alert(config, {
    name: slo.alert,
    expr,
    for: window.for,
    priority: window.priority,
    labels: {
      slo: slo.name,
      ...(layer === undefined ? {} : { layer }),
      long: window.long,
      short: window.short,
    },
    summary: `The ${slo.name} SLO's error budget burns ${formatG4(window.factor)}× too fast.`,
    description:
      `${where} missed its SLO (${slo.title}) for {{ $value | humanizePercentage }} of events ` +
      `over the last ${window.long}, and still over ${window.short}: ${formatG4(window.factor)}× ` +
      `the rate that spends the ${config.sloPeriod} error budget; at this rate it is gone in ` +
      `${exhausted}.`,
    actions: actionsFor(config, slo, layer),
    scenarios: [
      burnScenario(slo, window, faster, layer),
      // The fastest pair also runs with two clusters: only the burning one may fire.
      ...(faster === undefined
        ? [burnScenario(slo, window, faster, layer, config.clusterLabel)]
        : []),
    ],
  });
}

function subject(slo: SloSettings): string {
  if (slo.sli.kind === 'latency' && 'from' in slo.sli.layer) {
    return 'Calls from layer {{ $labels.from_layer }} to layer {{ $labels.to_layer }}';
  }
  return 'Layer {{ $labels.layer }}';
}

/** A layer's own actions where it has them (rollback only fits layer 7), else the SLO's. */
function actionsFor(
  config: AlertRulesConfig,
  slo: SloSettings,
  layer: string | undefined,
): readonly ActionName[] {
  const settings = config.layers.find((l) => l.layer === layer);
  return settings?.actions ?? slo.actions;
}
