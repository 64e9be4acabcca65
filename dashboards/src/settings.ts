/**
 * What the dashboards take from the alert-rules config: selectors, thresholds, SLOs, burn
 * windows, alert names and runbook links. Nothing here is a number of its own; a panel's
 * threshold is the alert's threshold, read from the same `AlertRulesConfig`.
 */
import {
  alertNames,
  buildRuleGroups,
  runbookUrl,
  type AlertRulesConfig,
  type BurnWindow,
  type SloSettings,
} from '@layerwatch/alert-rules';
import { byCluster } from './promql.js';
import { sloRecords, type SloRecords } from './records.js';

/** The layers with a dashboard of their own, as the probes and exporters label them. */
export type DashboardLayer = '4' | '5' | '7';

export interface LatencySlo {
  readonly slo: SloSettings;
  /** Histogram base name (`<metric>_bucket`, `<metric>_count`). */
  readonly metric: string;
  /** Matchers of the SLI, as the alert reads it, and the cluster matcher. */
  readonly selector: string;
  /** The target bound in seconds (`le`), e.g. 0.5 for "p95 under 500 ms". */
  readonly bound: number;
  /** The bound as the `le` label writes it. */
  readonly le: string;
}

/** One resolved config, with the lookups the dashboards need, checked once. */
export class DashboardSettings {
  readonly alertNames: ReadonlySet<string>;
  readonly records: SloRecords;

  constructor(readonly config: AlertRulesConfig) {
    const groups = buildRuleGroups(config);
    this.alertNames = new Set(alertNames(groups));
    this.records = sloRecords(config, groups);
  }

  /** The label that tells clusters apart, as the rules keep it (`cluster`). */
  get clusterLabel(): string {
    return this.config.clusterLabel;
  }

  /** `cluster=~"$cluster"`: every selector below carries it, so no panel mixes clusters. */
  get cluster(): string {
    return byCluster(this.config.clusterLabel);
  }

  /** The probe daemon's series: `job="layerwatch-probes",cluster=~"$cluster"`. */
  get probes(): string {
    return `${this.config.selectors.probes},${this.cluster}`;
  }

  /** The layer services' exporters: `job="layerwatch-layers",cluster=~"$cluster"`. */
  get exporters(): string {
    return `job="${this.config.jobs.layers}",${this.cluster}`;
  }

  /** The GPU collector's series: `layer="8",cluster=~"$cluster"`. */
  get gpu(): string {
    return `${this.config.selectors.gpu},${this.cluster}`;
  }

  get thresholds(): AlertRulesConfig['thresholds'] {
    return this.config.thresholds;
  }

  /** Burn windows, fastest (highest factor) first. */
  get burnWindows(): readonly BurnWindow[] {
    return [...this.config.burnWindows].sort((a, b) => b.factor - a.factor);
  }

  /** `layer="4"`, after checking the config knows the layer. */
  layer(layer: DashboardLayer): string {
    if (!this.config.layers.some((l) => l.layer === layer)) {
      const known = this.config.layers.map((l) => l.layer).join(', ');
      throw new Error(`layer ${layer}: not in the alert-rules config's layers (${known})`);
    }
    return `layer="${layer}"`;
  }

  layerTitle(layer: DashboardLayer): string {
    return this.config.layers.find((l) => l.layer === layer)?.title ?? layer;
  }

  slo(name: string): SloSettings {
    const slo = this.config.slos.find((s) => s.name === name);
    if (!slo) {
      const known = this.config.slos.map((s) => s.name).join(', ');
      throw new Error(`SLO ${JSON.stringify(name)}: not in the alert-rules config (${known})`);
    }
    return slo;
  }

  /** A latency SLO's histogram and bound: the line a latency panel draws. */
  latencySlo(name: string): LatencySlo {
    const slo = this.slo(name);
    if (slo.sli.kind !== 'latency') {
      throw new Error(`SLO ${name}: its SLI is ${slo.sli.kind}, not a latency histogram`);
    }
    const bound = Number(slo.sli.le);
    if (!Number.isFinite(bound)) throw new Error(`SLO ${name}: le ${slo.sli.le} is not a number`);
    const selector = `${slo.sli.selector},${this.cluster}`;
    return { slo, metric: slo.sli.metric, selector, bound, le: slo.sli.le };
  }

  /** The availability SLO's objective, e.g. 0.999. */
  get availabilityObjective(): number {
    return this.slo('availability').objective;
  }

  /** The runbook page of an alert, after checking that the alert exists. */
  runbook(alert: string): string {
    if (!this.alertNames.has(alert)) {
      const near = [...this.alertNames].filter((n) => closeTo(n, alert));
      const hint = near.length > 0 ? ` Did you mean ${near.join(' or ')}?` : '';
      throw new Error(`no alert named ${alert} in alert-rules, so no runbook to link.${hint}`);
    }
    return runbookUrl(this.config, alert);
  }
}

/** Whether two names are a few edits apart (a typo, a missing letter). */
function closeTo(a: string, b: string): boolean {
  return editDistance(a.toLowerCase(), b.toLowerCase()) <= 3;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitute = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitute, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** `5m` → 300: the Prometheus durations the config writes (one whole number, one unit). */
export function durationSeconds(duration: string): number {
  const units: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
  const match = /^(\d+)(s|m|h|d|w)$/.exec(duration);
  const unit = match?.[2] === undefined ? undefined : units[match[2]];
  if (!match || unit === undefined) {
    throw new Error(`${JSON.stringify(duration)} is not a duration like 30s, 5m or 1h`);
  }
  return Number(match[1]) * unit;
}
