/**
 * Layer 8 (GPU nodes): saturated, idle while tasks queue, collector down, stale data, node
 * down, and the GPU's own health (gpu-health.ts, gpu-xid.ts). Alertmanager mutes a node's
 * other GPU alerts while the node is down.
 */
import { alert, matchers, ruleGroup } from '../builders.js';
import { by, on } from '../cluster.js';
import type { AlertRulesConfig } from '../config-types.js';
import { duration, seconds } from '../duration.js';
import { seriesLiteral } from '../promql-series.js';
import type { RuleGroup, TestedAlert } from '../types.js';
import { gpuHealthAlerts, gpuHealthChecks } from './gpu-health.js';
import { GPU, gpuSeries, NODE } from './gpu-scenario.js';
import { gpuXidAlerts, gpuXidChecks } from './gpu-xid.js';
import { probeSeries, scenario, span } from './scenario.js';

/** The alerts a down node mutes (see the Alertmanager inhibition rules). */
export const GPU_NODE_DOWN = 'LayerwatchGpuNodeDown';

export function gpuAlerts(config: AlertRulesConfig): RuleGroup {
  return ruleGroup('layerwatch-gpu', {
    alerts: [
      gpuSaturated(config),
      gpuIdleWhileJobsQueue(config),
      gpuCollectorDown(config),
      gpuDataStale(config),
      gpuNodeDown(config),
      ...gpuHealthAlerts(config),
      ...gpuXidAlerts(config),
    ],
    checks: [...gpuHealthChecks(config), ...gpuXidChecks(config)],
  });
}
const REDIS_QUEUE = {
  layer: 'shared',
  name: 'redis',
  target: '127.0.0.1:6379',
  module: 'redis_queue',
  queue: 'agent-tasks',
};

function gpuSaturated(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.gpuSaturated;
  const ratio = config.thresholds.gpuSaturatedRatio;
  const busy = Math.min(1, Number((ratio + (1 - ratio) / 2).toFixed(4)));
  return alert(config, {
    name: 'LayerwatchGpuSaturated',
    expr: `nvidia_smi_utilization_gpu_ratio{${config.selectors.gpu}} > ${ratio}`,
    for: settings.for,
    priority: settings.priority,
    summary: 'A GPU has been fully busy for a long time.',
    description:
      'GPU {{ $labels.index }} ({{ $labels.uuid }}) on node {{ $labels.node }} (layer ' +
      `{{ $labels.layer }}) has been more than ${ratio * 100} % busy for ${settings.for} ` +
      '({{ $value | humanizePercentage }} now): work queues up behind it.',
    actions: settings.actions,
    scenarios: [
      scenario(
        'the GPU runs flat out',
        [
          gpuSeries(
            config,
            'nvidia_smi_utilization_gpu_ratio',
            GPU,
            `0.5 0.5 ${busy}x${span(settings.for)}`,
          ),
        ],
        '2m',
        GPU,
        busy,
      ),
    ],
  });
}

function gpuIdleWhileJobsQueue(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.gpuIdleWhileJobsQueue;
  const { gpuIdleRatio, gpuIdleQueueDepth } = config.thresholds;
  const queueSeries = `probe_redis_queue_length{${matchers(config.selectors.probes, config.selectors.taskQueue)}}`;
  const n = span(settings.for);
  const idle = Number((gpuIdleRatio / 5).toFixed(4));
  const cluster = config.clusterLabel;
  const gpu = (extra: Record<string, string>, values: string) =>
    gpuSeries(config, 'nvidia_smi_utilization_gpu_ratio', { ...GPU, ...extra }, values);
  const queue = (extra: Record<string, string>, values: string) =>
    probeSeries(config, 'probe_redis_queue_length', { ...REDIS_QUEUE, ...extra }, values);
  return alert(config, {
    name: 'LayerwatchGpuIdleWhileJobsQueue',
    expr:
      `avg ${by(config, ['node', 'layer'])} (nvidia_smi_utilization_gpu_ratio{${config.selectors.gpu}}) < ${gpuIdleRatio}\n` +
      `and ${on(config)}\nsum ${by(config)} (${queueSeries}) > ${gpuIdleQueueDepth}`,
    for: settings.for,
    priority: settings.priority,
    summary: 'GPUs sit idle while tasks wait in the queue.',
    description:
      'The GPUs of node {{ $labels.node }} (layer {{ $labels.layer }}) are ' +
      `{{ $value | humanizePercentage }} busy while more than ${gpuIdleQueueDepth} tasks wait ` +
      'in the queue: the workers that should feed them are stuck or gone.',
    actions: settings.actions,
    scenarios: [
      scenario(
        'the queue fills while the GPU idles',
        [gpu({}, `0.8 0.8 ${idle}x${n}`), queue({}, `${gpuIdleQueueDepth * 5}x${n}`)],
        '2m',
        NODE,
        idle,
      ),
      scenario(
        "two clusters: both GPUs idle, only cluster a's queue is long",
        [
          gpu({ [cluster]: 'a' }, `0.8 0.8 ${idle}x${n}`),
          queue({ [cluster]: 'a' }, `${gpuIdleQueueDepth * 5}x${n}`),
          gpu({ [cluster]: 'b' }, `0.8 0.8 ${idle}x${n}`),
          queue({ [cluster]: 'b' }, `0x${n}`),
        ],
        '2m',
        { ...NODE, [cluster]: 'a' },
        idle,
      ),
    ],
  });
}

function gpuCollectorDown(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.gpuCollectorDown;
  return alert(config, {
    name: 'LayerwatchGpuCollectorDown',
    expr: `layerwatch_gpu_collector_up{${config.selectors.gpu}} == 0`,
    for: settings.for,
    priority: settings.priority,
    summary: 'nvidia-smi fails on a GPU node.',
    description:
      'The GPU collector on node {{ $labels.node }} (layer {{ $labels.layer }}) has failed ' +
      `every nvidia-smi run for ${settings.for} (exit, timeout or unreadable output): no GPU ` +
      'series are reported for this node.',
    actions: settings.actions,
    scenarios: [
      scenario(
        'nvidia-smi starts failing',
        [gpuSeries(config, 'layerwatch_gpu_collector_up', NODE, `1 1 0x${span(settings.for)}`)],
        '2m',
        NODE,
      ),
    ],
  });
}

function gpuDataStale(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.gpuDataStale;
  const staleAfter = seconds(config.thresholds.gpuStaleAfter);
  const n = span(settings.for, staleAfter / 60 + 1);
  // The last success stays at time 0: stale from the first minute past staleAfter.
  const onsetMinutes = Math.floor(staleAfter / 60) + 1;
  const cluster = config.clusterLabel;
  const lastSuccess = (extra: Record<string, string>) =>
    gpuSeries(
      config,
      'layerwatch_gpu_collector_last_success_timestamp_seconds',
      { ...NODE, ...extra },
      `0x${n}`,
    );
  const collectorUp = (extra: Record<string, string>, value: number) =>
    gpuSeries(config, 'layerwatch_gpu_collector_up', { ...NODE, ...extra }, `${value}x${n}`);
  return alert(config, {
    name: 'LayerwatchGpuDataStale',
    expr:
      `(time() - layerwatch_gpu_collector_last_success_timestamp_seconds{${config.selectors.gpu}}) > ${staleAfter}\n` +
      `unless ${on(config, ['node'])}\n(layerwatch_gpu_collector_up{${config.selectors.gpu}} == 0)`,
    for: settings.for,
    priority: settings.priority,
    summary: 'GPU data is stale although the collector reports up.',
    description:
      'The last successful nvidia-smi run on node {{ $labels.node }} (layer ' +
      '{{ $labels.layer }}) finished {{ $value | humanizeDuration }} ago: the collector is ' +
      'stuck, and the GPU series shown are old.',
    actions: settings.actions,
    scenarios: [
      scenario(
        'the collector stops running but still says up',
        [lastSuccess({}), collectorUp({}, 1)],
        duration(onsetMinutes * 60),
        NODE,
        onsetMinutes * 60 + seconds(settings.for),
      ),
      scenario(
        // A node of the same name in cluster b, whose collector is down, mutes nothing in a.
        'two clusters with a node of one name: only cluster a is stale while up',
        [
          lastSuccess({ [cluster]: 'a' }),
          collectorUp({ [cluster]: 'a' }, 1),
          lastSuccess({ [cluster]: 'b' }),
          collectorUp({ [cluster]: 'b' }, 0),
        ],
        duration(onsetMinutes * 60),
        { ...NODE, [cluster]: 'a' },
        onsetMinutes * 60 + seconds(settings.for),
      ),
    ],
  });
}

function gpuNodeDown(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.gpuNodeDown;
  const job = config.jobs.gpuNodes;
  const labels = { job, instance: '10.0.0.8:9701', node: 'gpu-node-1' };
  return alert(config, {
    name: GPU_NODE_DOWN,
    expr: `up{job="${job}"} == 0`,
    for: settings.for,
    priority: settings.priority,
    labels: { layer: '8' },
    summary: 'A GPU node cannot be scraped.',
    description:
      'GPU node {{ $labels.node }} ({{ $labels.instance }}) has not answered scrapes for ' +
      `${settings.for}: the node or its Layerwatch daemon is down. Its other GPU alerts are ` +
      'muted while this one fires.',
    actions: settings.actions,
    scenarios: [
      scenario(
        'the node stops answering',
        [{ series: seriesLiteral('up', '', labels), values: `1 1 0x${span(settings.for)}` }],
        '2m',
        labels,
      ),
    ],
  });
}
