/**
 * promtool checks of an SLO's recordings and of its behaviour at low traffic: no traffic
 * records nothing (never NaN), a trickle of failing requests records a ratio but pages
 * nobody, and the error budget remaining follows the period's ratio.
 */
import type { AlertRulesConfig, Sli, SloSettings } from '../config-types.js';
import { seriesLiteral } from '../promql-series.js';
import type { GroupCheck, InputSeries } from '../types.js';
import {
  BUDGET_REMAINING,
  errorBudget,
  errorRatioRecord,
  eventsRecord,
  longWindows,
  sloLabels,
  sloWindows,
} from './recordings.js';

export function sloChecks(config: AlertRulesConfig, slo: SloSettings): GroupCheck[] {
  return slo.sli.kind === 'probe-success' ? probeChecks(config, slo) : latencyChecks(config, slo);
}

function probeChecks(config: AlertRulesConfig, slo: SloSettings): GroupCheck[] {
  if (slo.sli.kind !== 'probe-success') return [];
  const layer = slo.layers?.[0] ?? 'x';
  const target = (name: string, values: string, extra: Record<string, string> = {}) => ({
    series: seriesLiteral('probe_success', slo.sli.selector, {
      layer,
      name,
      target: `http://${name}/health`,
      module: 'http_healthy',
      ...extra,
    }),
    values,
  });
  const input = [target('up', '1x20'), target('down', '0x20')];
  const shortest = sloWindows(config)[0] ?? '5m';
  const firstLong = longWindows(config)[0] ?? '1h';
  const labels = `layer="${layer}",slo="${slo.name}"`;
  const [a, b] = [{ [config.clusterLabel]: 'a' }, { [config.clusterLabel]: 'b' }];
  // Cluster a: one of two targets down; cluster b: both up. Merged, a would read 0.25.
  const twoClusters = [
    target('up', '1x20', a),
    target('down', '0x20', a),
    target('up', '1x20', b),
    target('down', '1x20', b),
  ];
  const inCluster = (record: string, cluster: string) =>
    `${record}{${config.clusterLabel}="${cluster}",${labels}}`;
  /** `record` over the two clusters: cluster a's sample is `a`, cluster b's `b`. */
  const perCluster = (name: string, record: string, a: number, b: number): GroupCheck => ({
    kind: 'expr',
    name,
    input: twoClusters,
    evalTime: '10m',
    expr: `${record}{slo="${slo.name}"}`,
    samples: [
      { labels: inCluster(record, 'a'), value: a },
      { labels: inCluster(record, 'b'), value: b },
    ],
  });
  return [
    perCluster(
      'two clusters: each keeps its own error ratio (a fails half its probes, b none)',
      errorRatioRecord(shortest),
      0.5,
      0,
    ),
    perCluster(
      'two clusters: each counts only its own probes (11 samples of 2 targets)',
      eventsRecord(firstLong),
      22,
      22,
    ),
    {
      kind: 'expr',
      name: 'one of two targets down: the layer fails half its probes',
      input,
      evalTime: '10m',
      expr: `${errorRatioRecord(shortest)}{slo="${slo.name}"}`,
      samples: [{ labels: `${errorRatioRecord(shortest)}{${labels}}`, value: 0.5 }],
    },
    {
      kind: 'expr',
      name: 'the error budget remaining follows the period ratio (negative: overspent)',
      input,
      evalTime: '10m',
      expr: `${BUDGET_REMAINING}{slo="${slo.name}"}`,
      samples: [{ labels: `${BUDGET_REMAINING}{${labels}}`, value: 1 - 0.5 / errorBudget(slo) }],
    },
  ];
}

type LatencySli = Extract<Sli, { kind: 'latency' }>;

/** A latency SLI as promtool input, and the labels of the records made from it. */
interface LatencyInput {
  /** The histogram: `values` for the count, `good` for the bucket under the bound. */
  readonly series: (
    values: string,
    good?: string,
    cluster?: Record<string, string>,
  ) => InputSeries[];
  /** The records' labels as promtool writes them, sorted: `layer="5",slo="…"`. */
  readonly labelText: string;
}

function latencyChecks(config: AlertRulesConfig, slo: SloSettings): GroupCheck[] {
  const sli = slo.sli;
  if (sli.kind !== 'latency') return [];
  const input = latencyInput(slo, sli);
  return [twoClustersCheck(config, slo, input), ...lowTrafficChecks(config, slo, input)];
}

function latencyInput(slo: SloSettings, sli: LatencySli): LatencyInput {
  const extra: Record<string, string> = {};
  for (const name of sli.by) extra[name] = name === 'from_layer' ? '4' : '5';
  const series = (
    values: string,
    good = '0x100',
    cluster: Record<string, string> = {},
  ): InputSeries[] => [
    {
      series: seriesLiteral(`${sli.metric}_bucket`, sli.selector, {
        ...extra,
        ...cluster,
        le: sli.le,
      }),
      values: good,
    },
    {
      series: seriesLiteral(`${sli.metric}_count`, sli.selector, { ...extra, ...cluster }),
      values,
    },
  ];
  const labels = { ...sloLabels(slo), ...extra };
  if ('from' in sli.layer) labels['layer'] = extra[sli.layer.from] ?? '';
  const labelText = Object.keys(labels)
    .sort()
    .map((name) => `${name}="${labels[name]}"`)
    .join(',');
  return { series, labelText };
}

/** Two clusters, one all slow and one all fast: each keeps its own error ratio. */
function twoClustersCheck(
  config: AlertRulesConfig,
  slo: SloSettings,
  { series, labelText }: LatencyInput,
): GroupCheck {
  const shortest = sloWindows(config)[0] ?? '5m';
  const cluster = config.clusterLabel;
  return {
    kind: 'expr',
    name: 'two clusters: each keeps its own error ratio (a all slow, b all fast)',
    input: [
      ...series('0+100x20', '0x20', { [cluster]: 'a' }),
      ...series('0+100x20', '0+100x20', { [cluster]: 'b' }),
    ],
    evalTime: '10m',
    expr: `${errorRatioRecord(shortest)}{slo="${slo.name}"}`,
    samples: [
      { labels: `${errorRatioRecord(shortest)}{${cluster}="a",${labelText}}`, value: 1 },
      { labels: `${errorRatioRecord(shortest)}{${cluster}="b",${labelText}}`, value: 0 },
    ],
  };
}

/** No traffic records nothing; a trickle of slow requests records a ratio but pages nobody. */
function lowTrafficChecks(
  config: AlertRulesConfig,
  slo: SloSettings,
  { series, labelText }: LatencyInput,
): GroupCheck[] {
  const shortest = sloWindows(config)[0] ?? '5m';
  const firstLong = longWindows(config)[0] ?? '1h';
  // One slow request every 10 minutes: every event is bad, but far fewer than minEvents.
  const trickle = Array.from({ length: 10 }, (_, i) => `${i}x9`).join(' ');
  return [
    {
      kind: 'expr',
      name: 'no traffic: no error ratio and no budget (no NaN)',
      input: series('0x100'),
      evalTime: '30m',
      expr: `{__name__=~"slo:sli_error:.*|${BUDGET_REMAINING}",slo="${slo.name}"}`,
      samples: [],
    },
    {
      kind: 'expr',
      name: 'a trickle of slow requests: the ratio is recorded',
      input: series(trickle),
      evalTime: '60m',
      expr: `${errorRatioRecord(firstLong)}{slo="${slo.name}"}`,
      samples: [{ labels: `${errorRatioRecord(firstLong)}{${labelText}}`, value: 1 }],
    },
    {
      kind: 'quiet',
      name: `a trickle of slow requests (under ${slo.minEvents} per window) pages nobody`,
      input: series(trickle),
      evalTimes: ['30m', '60m', '90m'],
      alertname: slo.alert,
    },
    {
      kind: 'expr',
      name: `${shortest} without requests after some: no sample`,
      input: series(`0+10x10 100x60`),
      evalTime: '40m',
      expr: `${errorRatioRecord(shortest)}{slo="${slo.name}"}`,
      samples: [],
    },
  ];
}
