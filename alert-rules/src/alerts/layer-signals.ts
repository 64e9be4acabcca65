/**
 * Alerts on signals the layer services record themselves (`@layerwatch/exporters`), beyond
 * their latency SLOs: layer 4's task queue wait and the enhancement validation gate.
 */
import { alert, matchers, ruleGroup } from '../builders.js';
import { by } from '../cluster.js';
import type { AlertRulesConfig } from '../config-types.js';
import { seconds } from '../duration.js';
import { selectorLabels, seriesLiteral } from '../promql-series.js';
import type { InputSeries, QuietCheck, RuleGroup, TestedAlert } from '../types.js';
import { scenario, span } from './scenario.js';

const QUEUE_WAIT = 'layerwatch_task_queue_wait_duration_seconds';
const RECEIVED = 'layerwatch_enhancements_received_total';
const REJECTED = 'layerwatch_enhancements_rejected_total';

export function layerSignalAlerts(config: AlertRulesConfig): RuleGroup {
  return ruleGroup('layerwatch-layer-signals', {
    alerts: [taskQueueWaitHigh(config), validationGateRejecting(config)],
    checks: [...queueWaitQuiet(config), ...gateQuiet(config)],
  });
}

/** A series of a layer service's exporter (the layers job's labels plus `extra`). */
function layerSeries(
  config: AlertRulesConfig,
  metric: string,
  extra: Readonly<Record<string, string>>,
  values: string,
): InputSeries {
  return { series: seriesLiteral(metric, `job="${config.jobs.layers}"`, extra), values };
}

function taskQueue(config: AlertRulesConfig): Record<string, string> {
  return { layer: '4', ...selectorLabels(config.selectors.taskQueue) };
}

/** Wait-histogram buckets where `perMinute` tasks a minute all waited up to `bound` seconds. */
function waits(
  config: AlertRulesConfig,
  bound: number,
  perMinute: number,
  minutes: number,
  extra: Readonly<Record<string, string>> = {},
): InputSeries[] {
  const threshold = config.thresholds.taskQueueWaitSeconds;
  return [threshold / 3, threshold, threshold * 2, Number.POSITIVE_INFINITY].map((le) =>
    layerSeries(
      config,
      `${QUEUE_WAIT}_bucket`,
      { ...taskQueue(config), ...extra, le: le === Infinity ? '+Inf' : String(le) },
      `0+${le >= bound ? perMinute : 0}x${minutes}`,
    ),
  );
}

function taskQueueWaitHigh(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.taskQueueWaitHigh;
  const { taskQueueWaitSeconds: line, taskQueueWaitWindow: window } = config.thresholds;
  const selector = matchers(`job="${config.jobs.layers}"`, config.selectors.taskQueue);
  const n = span(settings.for);
  const cluster = config.clusterLabel;
  // Every task waits between the line and twice it: p95 is 95 % of the way through that bucket.
  const p95 = line + line * 0.95;
  return alert(config, {
    name: 'LayerwatchTaskQueueWaitHigh',
    expr:
      `histogram_quantile(0.95, sum ${by(config, ['layer', 'queue', 'le'])} ` +
      `(rate(${QUEUE_WAIT}_bucket{${selector}}[${window}]))) > ${line}`,
    for: settings.for,
    priority: settings.priority,
    summary: 'Tasks wait too long in the task queue before a worker takes them.',
    description:
      `The p95 queue wait of {{ $labels.queue }} (layer {{ $labels.layer }}) has been above ` +
      `${line} s for ${settings.for} ({{ $value | humanizeDuration }} now): the workers fall ` +
      'behind, tasks miss their deadlines and fail.',
    actions: settings.actions,
    scenarios: [
      scenario(
        'the workers fall behind',
        waits(config, line * 2, 60, n),
        '1m',
        taskQueue(config),
        p95,
      ),
      scenario(
        'two clusters: only the workers of cluster a fall behind',
        [
          ...waits(config, line * 2, 60, n, { [cluster]: 'a' }),
          ...waits(config, line / 3, 60, n, { [cluster]: 'b' }),
        ],
        '1m',
        { ...taskQueue(config), [cluster]: 'a' },
        p95,
      ),
    ],
  });
}

function queueWaitQuiet(config: AlertRulesConfig): QuietCheck[] {
  const minutes = span(config.alerts.taskQueueWaitHigh.for) * 2;
  return [
    {
      kind: 'quiet',
      name: 'tasks wait seconds, well under the line',
      input: waits(config, config.thresholds.taskQueueWaitSeconds / 3, 60, minutes),
      evalTimes: ['10m', `${minutes}m`],
      alertname: 'LayerwatchTaskQueueWaitHigh',
    },
  ];
}

/** Enhancements received and rejected a minute, as two counters. */
function gateSeries(
  config: AlertRulesConfig,
  received: number,
  rejected: number,
  minutes: number,
  extra: Readonly<Record<string, string>> = {},
): InputSeries[] {
  const labels = { layer: '7', ...extra };
  return [
    layerSeries(config, RECEIVED, labels, `0+${received}x${minutes}`),
    layerSeries(
      config,
      REJECTED,
      { ...labels, reason: 'fitness_regression' },
      `0+${rejected}x${minutes}`,
    ),
  ];
}

function validationGateRejecting(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.validationGateRejecting;
  const { validationRejectRatio: ratio, validationMinEnhancements: least } = config.thresholds;
  const window = config.thresholds.validationWindow;
  const selector = `job="${config.jobs.layers}"`;
  const sum = `sum ${by(config, ['layer'])}`;
  const n = span(settings.for);
  const cluster = config.clusterLabel;
  return alert(config, {
    name: 'LayerwatchValidationGateRejecting',
    expr: [
      '(',
      `  ${sum} (rate(${REJECTED}{${selector}}[${window}]))`,
      '  /',
      `  (${sum} (rate(${RECEIVED}{${selector}}[${window}])) > 0)`,
      `) > ${ratio}`,
      'and',
      `${sum} (increase(${RECEIVED}{${selector}}[${window}])) >= ${least}`,
    ].join('\n'),
    for: settings.for,
    priority: settings.priority,
    summary: 'The enhancement validation gate rejects most of what it receives.',
    description:
      `The validation gate of layer {{ $labels.layer }} has rejected more than ${ratio * 100} % ` +
      `of the enhancements it received over ${window}, for ${settings.for} ` +
      '({{ $value | humanizePercentage }} now): what evolution produces no longer passes ' +
      'validation, so nothing new ships.',
    actions: settings.actions,
    scenarios: [
      scenario(
        'nine enhancements in ten are rejected',
        gateSeries(config, 30, 27, n),
        '1m',
        {
          layer: '7',
        },
        0.9,
      ),
      scenario(
        'two clusters: only the gate of cluster a rejects',
        [
          ...gateSeries(config, 30, 27, n, { [cluster]: 'a' }),
          ...gateSeries(config, 30, 3, n, { [cluster]: 'b' }),
        ],
        '1m',
        { layer: '7', [cluster]: 'a' },
        0.9,
      ),
    ],
  });
}

function gateQuiet(config: AlertRulesConfig): QuietCheck[] {
  const minutes = span(config.alerts.validationGateRejecting.for) * 2;
  const { validationMinEnhancements: least, validationWindow: window } = config.thresholds;
  // Half the least a window a minute, all rejected: too few to page.
  const trickle = least / (seconds(window) / 60) / 2;
  const evalTimes = ['15m', `${minutes}m`] as const;
  return [
    {
      kind: 'quiet',
      name: 'one enhancement in ten is rejected',
      input: gateSeries(config, 30, 3, minutes),
      evalTimes,
      alertname: 'LayerwatchValidationGateRejecting',
    },
    {
      kind: 'quiet',
      name: `fewer than ${least} enhancements in ${window}, all rejected`,
      input: gateSeries(config, trickle, trickle, minutes),
      evalTimes,
      alertname: 'LayerwatchValidationGateRejecting',
    },
  ];
}
