/** Layer 4 performance: p95 against its line, traffic, errors, the task queue, WASM. */
import type { DashboardSpec } from '../dashboard.js';
import { EXPORTED } from '../metrics.js';
import { badFrom, timeseriesPanel, type PanelBuilder, overTime } from '../panels.js';
import { orZero, quantile, rate, series, sumBy } from '../promql.js';
import type { DashboardSettings, LatencySlo } from '../settings.js';
import { exporterPanel, latencyLayerDashboard, type ExporterMatchers } from './layer-parts.js';

/** Layer 4's exporter series. */
const m = EXPORTED.layer4;

export function layer4Performance(s: DashboardSettings): DashboardSpec {
  return latencyLayerDashboard(s, {
    layer: '4',
    topic: 'performance',
    shows: ({ ms }) =>
      `request latency against its ${ms} ms line, traffic, errors, task queue depth and ` +
      'wait, WASM runtime failures and circuit breakers.',
    latency: {
      slo: 'execution-latency',
      title: 'Request latency',
      description: ({ latency, percentile, ms }) =>
        `${percentile} of layer 4 request durations (the /metrics route left out); the ` +
        `dashed line is the SLO's ${ms} ms target (${latency.slo.title}).`,
      counted: 'Requests',
      withinDescription: ({ q, ms }) =>
        `Share of requests answered within ${ms} ms, against the objective of ` +
        `${q * 100} %: below it the error budget burns.`,
    },
    panels: (exporter, { latency }) => [
      ...trafficAndErrors(s, latency),
      ...taskQueue(s, exporter),
      ...runtimeFailures(s, exporter),
    ],
    endpoints: {
      description: "The probe daemon's view of each layer 4 endpoint from outside: up or down.",
      span: 12,
    },
  });
}

/** Requests served per route, and the 5xx among them. */
function trafficAndErrors(s: DashboardSettings, latency: LatencySlo): PanelBuilder[] {
  const requests = (labels: readonly string[], ...matchers: string[]): string =>
    sumBy(
      ['http_route', ...labels],
      rate(`${EXPORTED.httpServerDuration}_count`, latency.selector, ...matchers),
    );
  return [
    exporterPanel(s, {
      title: 'Request rate by route',
      description:
        'Requests per second that layer 4 served, per route template and method (the ' +
        '/metrics scrapes left out, as the SLO leaves them out).',
      unit: 'reqps',
      queries: [
        overTime(requests(['http_request_method']), '{{http_request_method}} {{http_route}}'),
      ],
      alsoAlerts: [latency.slo.alert],
    }),
    exporterPanel(s, {
      title: 'Server errors by route',
      description:
        'Requests per second that ended in a 5xx status, per route and status: failures of ' +
        'layer 4 itself rather than of its callers.',
      unit: 'reqps',
      queries: [
        overTime(
          orZero(requests(['http_response_status_code'], 'http_response_status_code=~"5.."')),
          '{{http_response_status_code}} {{http_route}}',
        ),
      ],
      alsoAlerts: ['LayerwatchProbeDown'],
    }),
  ];
}

/** The task queue: its depth against the line, how long tasks wait, what workers finish. */
function taskQueue(s: DashboardSettings, exporter: ExporterMatchers): PanelBuilder[] {
  const alsoAlerts = ['LayerwatchRedisQueueGrowing'];
  return [
    timeseriesPanel(s, {
      title: 'Task queue depth',
      description:
        `Tasks waiting in the platform's task queue (Redis LLEN from the probe daemon); ` +
        `above the line (${s.thresholds.queueDepth}) and still growing, it pages.`,
      unit: 'short',
      queries: [
        overTime(
          series('probe_redis_queue_length', s.probes, s.config.selectors.taskQueue),
          '{{queue}}',
        ),
      ],
      alerts: ['LayerwatchRedisQueueGrowing'],
      thresholds: badFrom(s.thresholds.queueDepth),
      min: 0,
      span: 12,
    }),
    exporterPanel(s, {
      title: 'Task queue wait p95',
      description: 'How long tasks waited in their queue before a worker took them (p95).',
      unit: 's',
      queries: [overTime(quantile(0.95, m.queueWait, ['queue'], ...exporter), '{{queue}}')],
      alsoAlerts,
    }),
    exporterPanel(s, {
      title: 'Tasks processed and failed',
      description:
        'Tasks per second that workers finished, and that failed by reason; failures ' +
        'without a queue backlog point at the workers, not the queue.',
      unit: 'ops',
      queries: [
        overTime(sumBy(['queue'], rate(m.tasksProcessed, ...exporter)), 'processed {{queue}}'),
        overTime(
          sumBy(['queue', 'reason'], rate(m.tasksFailed, ...exporter)),
          'failed {{queue}} {{reason}}',
        ),
      ],
      alsoAlerts,
    }),
  ];
}

/** WASM runtime failures, and the circuit breakers that shed calls. */
function runtimeFailures(s: DashboardSettings, exporter: ExporterMatchers): PanelBuilder[] {
  return [
    exporterPanel(s, {
      title: 'WASM runtime failures',
      description:
        'WASM runtime failures per second (traps, instantiation and memory errors), by ' +
        'module and reason.',
      unit: 'ops',
      queries: [
        overTime(
          sumBy(['module', 'reason'], rate(m.wasmFailures, ...exporter)),
          '{{module}} {{reason}}',
        ),
      ],
    }),
    exporterPanel(s, {
      kind: 'state',
      title: 'Circuit breakers',
      description:
        "Each circuit breaker's state over time: closed (calls pass), open (calls refused) " +
        'or half_open (trying again).',
      unit: 'none',
      queries: [
        overTime(
          `max by (breaker, state) (${series(m.circuitBreakerState, ...exporter)}) == 1`,
          '{{breaker}} {{state}}',
        ),
      ],
    }),
  ];
}
