/**
 * The SLO recording rules the dashboards read. alert-rules names them in
 * `src/slo/recordings.ts`, which its index does not export yet, so the names are written
 * here once and each one is checked against the rules that alert-rules actually builds:
 * a rename there fails the generator here, naming the missing record.
 */
import type { AlertRulesConfig, Duration, RuleGroup } from '@layerwatch/alert-rules';

export interface SloRecords {
  /** `slo:sli_error:ratio_rate<window>{slo,layer}`: the share of bad events in a window. */
  errorRatio(window: Duration): string;
  /** `{slo,layer}`: 1 at the period's start, 0 when the budget is spent, below 0 after. */
  readonly budgetRemaining: string;
  /** `{slo}`: the objective, e.g. 0.999. */
  readonly objective: string;
}

export function sloRecords(config: AlertRulesConfig, groups: readonly RuleGroup[]): SloRecords {
  const built = new Set(groups.flatMap((g) => g.recordings.map((r) => r.record)));
  const check = (record: string): string => {
    if (!built.has(record)) {
      throw new Error(
        `recording rule ${record}: alert-rules builds no such record; dashboards/src/records.ts ` +
          'must follow alert-rules/src/slo/recordings.ts',
      );
    }
    return record;
  };
  const windows = new Set(config.burnWindows.flatMap((w) => [w.long, w.short]));
  for (const window of windows) check(`slo:sli_error:ratio_rate${window}`);
  return {
    errorRatio: (window) => {
      if (!windows.has(window)) throw new Error(`window ${window}: not one of the burn windows`);
      return `slo:sli_error:ratio_rate${window}`;
    },
    budgetRemaining: check('slo:period_error_budget_remaining:ratio'),
    objective: check('slo:objective:ratio'),
  };
}
