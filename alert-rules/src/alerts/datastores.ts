/** Alerts on the shared data stores: the task queue in Redis, PostgreSQL's readiness. */
import { alert, matchers, ruleGroup } from '../builders.js';
import type { AlertRulesConfig } from '../config-types.js';
import type { RuleGroup, TestedAlert } from '../types.js';
import { duration, seconds } from '../duration.js';
import { probeLabels, probeSeries, scenario, span } from './scenario.js';

export function datastoreAlerts(config: AlertRulesConfig): RuleGroup {
  return ruleGroup('layerwatch-datastores', {
    alerts: [redisQueueGrowing(config), postgresNotReady(config)],
  });
}

function redisQueueGrowing(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.redisQueueGrowing;
  const { queueDepth, queueGrowthWindow } = config.thresholds;
  const series = `probe_redis_queue_length{${matchers(config.selectors.probes, config.selectors.taskQueue)}}`;
  const labels = {
    layer: 'shared',
    name: 'redis',
    target: '127.0.0.1:6379',
    module: 'redis_queue',
    queue: 'agent-tasks',
  };
  // 20 more tasks a minute: above the threshold from this minute on.
  const onset = Math.floor(queueDepth / 20) + 1;
  return alert(config, {
    name: 'LayerwatchRedisQueueGrowing',
    expr: `${series} > ${queueDepth}\nand\nderiv(${series}[${queueGrowthWindow}]) > 0`,
    ...settings,
    summary: 'The task queue is long and still growing.',
    description:
      `Queue {{ $labels.queue }} on {{ $labels.target }} (layer {{ $labels.layer }}) holds ` +
      `{{ $value }} tasks, more than ${queueDepth}, and has kept growing for ${settings.for}: ` +
      'the agents take tasks more slowly than they arrive.',
    scenarios: [
      scenario(
        'tasks arrive faster than the agents take them',
        [
          probeSeries(
            config,
            'probe_redis_queue_length',
            labels,
            `0+20x${span(settings.for, onset)}`,
          ),
        ],
        duration(onset * 60),
        probeLabels(config, labels),
        (onset + seconds(settings.for) / 60) * 20,
      ),
    ],
  });
}

function postgresNotReady(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.postgresNotReady;
  const labels = {
    layer: 'shared',
    name: 'postgres',
    target: '127.0.0.1:5432',
    module: 'postgres_ready',
  };
  return alert(config, {
    name: 'LayerwatchPostgresNotReady',
    expr: `probe_postgres_ready{${config.selectors.probes}} == 0`,
    ...settings,
    summary: 'PostgreSQL does not accept connections.',
    description:
      `PostgreSQL at {{ $labels.target }} (layer {{ $labels.layer }}) has not been ready for ` +
      `${settings.for}: pg_isready's handshake is rejected (starting, shutting down, in ` +
      'recovery) or unanswered. Every layer that writes state is failing.',
    scenarios: [
      scenario(
        'PostgreSQL stops accepting connections',
        [probeSeries(config, 'probe_postgres_ready', labels, `1 1 0x${span(settings.for)}`)],
        '2m',
        probeLabels(config, labels),
      ),
    ],
  });
}
