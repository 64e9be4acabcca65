/** Layer 4 performance: p95 against its line, traffic, errors, the task queue, WASM. */
import type { DashboardSpec } from '../dashboard.js';
import { EXPORTED } from '../metrics.js';
import { badFrom, goodFrom, panel, type PanelBuilder } from '../panels.js';
import { quantile, rate, series, shareUnder, sumBy } from '../promql.js';
import type { DashboardSettings } from '../settings.js';
import { EXPORTER_ABSENT, latencyLine, layerEndpoints, layerExporter } from './layer-parts.js';

const LATENCY_SLO = 'execution-latency';

export function layer4Performance(s: DashboardSettings): DashboardSpec {
  const { ms } = latencyLine(s, LATENCY_SLO);
  return {
    slug: 'layer-4-performance',
    title: `Layerwatch / Layer 4 performance (${s.layerTitle('4')})`,
    description:
      `Layer 4 (${s.layerTitle('4')}): request latency against its ${ms} ms line, traffic, ` +
      'errors, task queue depth and wait, WASM runtime failures and circuit breakers.',
    tags: ['layer-4'],
    variables: [],
    panels: [
      ...requestLatency(s),
      ...trafficAndErrors(s),
      ...taskQueue(s),
      ...runtimeFailures(s),
      layerEndpoints(
        s,
        '4',
        "The probe daemon's view of each layer 4 endpoint from outside: up or down.",
        12,
      ),
    ],
  };
}

/** Request latency against the SLO's line, and the share of requests within it. */
function requestLatency(s: DashboardSettings): PanelBuilder[] {
  const { latency, q, percentile, ms } = latencyLine(s, LATENCY_SLO);
  return [
    panel(s, {
      kind: 'timeseries',
      title: `Request latency ${percentile}`,
      description:
        `${percentile} of layer 4 request durations (the /metrics route left out); the ` +
        `dashed line is the SLO's ${ms} ms target (${latency.slo.title}).`,
      unit: 's',
      queries: [
        { expr: quantile(q, latency.metric, [], latency.selector), legend: percentile },
        { expr: quantile(0.5, latency.metric, [], latency.selector), legend: 'p50' },
      ],
      alerts: [latency.slo.alert],
      thresholds: badFrom(latency.bound),
      span: 16,
    }),
    panel(s, {
      kind: 'stat',
      title: `Requests within ${ms} ms`,
      description:
        `Share of requests answered within ${ms} ms, against the objective of ` +
        `${q * 100} %: below it the error budget burns.`,
      unit: 'percentunit',
      queries: [
        {
          expr: shareUnder(latency.metric, latency.le, [], latency.selector),
          legend: 'within target',
        },
      ],
      alerts: [latency.slo.alert],
      thresholds: goodFrom(q),
      decimals: 2,
      span: 8,
    }),
  ];
}

/** Requests served per route, and the 5xx among them. */
function trafficAndErrors(s: DashboardSettings): PanelBuilder[] {
  const { latency } = latencyLine(s, LATENCY_SLO);
  const http = EXPORTED.httpServerDuration;
  return [
    panel(s, {
      kind: 'timeseries',
      title: 'Request rate by route',
      description:
        'Requests per second that layer 4 served, per route template and method (the ' +
        '/metrics scrapes left out, as the SLO leaves them out).',
      unit: 'reqps',
      queries: [
        {
          expr: sumBy(
            ['http_route', 'http_request_method'],
            rate(`${http}_count`, latency.selector),
          ),
          legend: '{{http_request_method}} {{http_route}}',
        },
      ],
      alerts: [latency.slo.alert, EXPORTER_ABSENT],
      span: 12,
    }),
    panel(s, {
      kind: 'timeseries',
      title: 'Server errors by route',
      description:
        'Requests per second that ended in a 5xx status, per route and status: failures of ' +
        'layer 4 itself rather than of its callers.',
      unit: 'reqps',
      queries: [
        {
          expr: sumBy(
            ['http_route', 'http_response_status_code'],
            rate(`${http}_count`, latency.selector, 'http_response_status_code=~"5.."'),
          ),
          legend: '{{http_response_status_code}} {{http_route}}',
        },
      ],
      alerts: ['LayerwatchProbeDown', EXPORTER_ABSENT],
      span: 12,
    }),
  ];
}

/** The task queue: its depth against the line, how long tasks wait, what workers finish. */
function taskQueue(s: DashboardSettings): PanelBuilder[] {
  const m = EXPORTED.layer4;
  const exporter = layerExporter(s, '4');
  return [
    panel(s, {
      kind: 'timeseries',
      title: 'Task queue depth',
      description:
        `Tasks waiting in the platform's task queue (Redis LLEN from the probe daemon); ` +
        `above the line (${s.thresholds.queueDepth}) and still growing, it pages.`,
      unit: 'short',
      queries: [
        {
          expr: series('probe_redis_queue_length', s.probes, s.config.selectors.taskQueue),
          legend: '{{queue}}',
        },
      ],
      alerts: ['LayerwatchRedisQueueGrowing'],
      thresholds: badFrom(s.thresholds.queueDepth),
      min: 0,
      span: 12,
    }),
    panel(s, {
      kind: 'timeseries',
      title: 'Task queue wait p95',
      description: 'How long tasks waited in their queue before a worker took them (p95).',
      unit: 's',
      queries: [{ expr: quantile(0.95, m.queueWait, ['queue'], ...exporter), legend: '{{queue}}' }],
      alerts: ['LayerwatchRedisQueueGrowing', EXPORTER_ABSENT],
      span: 12,
    }),
    panel(s, {
      kind: 'timeseries',
      title: 'Tasks processed and failed',
      description:
        'Tasks per second that workers finished, and that failed by reason; failures ' +
        'without a queue backlog point at the workers, not the queue.',
      unit: 'ops',
      queries: [
        {
          expr: sumBy(['queue'], rate(m.tasksProcessed, ...exporter)),
          legend: 'processed {{queue}}',
        },
        {
          expr: sumBy(['queue', 'reason'], rate(m.tasksFailed, ...exporter)),
          legend: 'failed {{queue}} {{reason}}',
        },
      ],
      alerts: ['LayerwatchRedisQueueGrowing', EXPORTER_ABSENT],
      span: 12,
    }),
  ];
}

/** WASM runtime failures, and the circuit breakers that shed calls. */
function runtimeFailures(s: DashboardSettings): PanelBuilder[] {
  const m = EXPORTED.layer4;
  const exporter = layerExporter(s, '4');
  return [
    panel(s, {
      kind: 'timeseries',
      title: 'WASM runtime failures',
      description:
        'WASM runtime failures per second (traps, instantiation and memory errors), by ' +
        'module and reason.',
      unit: 'ops',
      queries: [
        {
          expr: sumBy(['module', 'reason'], rate(m.wasmFailures, ...exporter)),
          legend: '{{module}} {{reason}}',
        },
      ],
      alerts: [EXPORTER_ABSENT],
      span: 12,
    }),
    panel(s, {
      kind: 'state',
      title: 'Circuit breakers',
      description:
        "Each circuit breaker's state over time: closed (calls pass), open (calls refused) " +
        'or half_open (trying again).',
      unit: 'none',
      queries: [
        {
          expr: `max by (breaker, state) (${series(m.circuitBreakerState, ...exporter)}) == 1`,
          legend: '{{breaker}} {{state}}',
        },
      ],
      alerts: [EXPORTER_ABSENT],
      span: 12,
    }),
  ];
}
