/** System health: every layer up or down, availability against the SLO, budget, alerts. */
import { WATCHDOG } from '@layerwatch/alert-rules';
import { PRIORITIES } from '@layerwatch/vocabulary';
import { firingAlertsExpr, type DashboardSpec } from '../dashboard.js';
import {
  atLeastOne,
  flag,
  goodFrom,
  instant,
  panel,
  tableRows,
  UP_DOWN,
  type PanelSpec,
  overTime,
  ZERO_WHEN_HEALTHY,
} from '../panels.js';
import { byVariable, orZero, quantile, rate, RATE_INTERVAL, series, sumBy } from '../promql.js';
import type { DashboardSettings } from '../settings.js';

export function systemHealth(s: DashboardSettings): DashboardSpec {
  const probes = probedLayers(s);
  const specs = [
    ...layerUpDown(probes),
    ...availabilityAndBudget(s, probes),
    ...firingAlerts(s),
    ...probeTimingsAndFailures(s, probes),
    probeDaemon(s),
  ];
  return {
    slug: 'system-health',
    title: 'Layerwatch / System health',
    description:
      'Every layer up or down as the probe daemon sees it, availability against the SLO, ' +
      'error budget remaining and firing alerts by priority.',
    tags: ['overview'],
    variables: ['layer'],
    panels: specs.map((spec) => panel(s, spec)),
  };
}

/** The matchers of the probe daemon's series: its job, and the picked layers. */
type ProbeMatchers = readonly [string, string];

/** The probe daemon's series of the picked layers. */
function probedLayers(s: DashboardSettings): ProbeMatchers {
  return [s.probes, byVariable('layer')];
}

/** Each layer UP or DOWN now, and each probed endpoint over time. */
function layerUpDown(probes: ProbeMatchers): PanelSpec[] {
  return [
    {
      kind: 'stat',
      ...flag(UP_DOWN),
      title: 'Layer up',
      description:
        'UP when every probed endpoint of the layer answered its last probe, DOWN when any ' +
        'failed (min of probe_success per layer).',
      unit: 'none',
      queries: [instant(`min by (layer) (${series('probe_success', ...probes)})`, '{{layer}}')],
      alerts: ['LayerwatchProbeDown', 'LayerwatchLayerProbesAbsent'],
      page: 'overview',
      span: 24,
      height: 4,
    },
    {
      kind: 'state',
      ...flag(UP_DOWN),
      title: 'Probed endpoints',
      description:
        'Each probed endpoint over time, green while it answers and red while it fails; ' +
        'the daemon logs the reason of each failure.',
      unit: 'none',
      queries: [overTime(series('probe_success', ...probes), '{{layer}} {{name}}')],
      alerts: ['LayerwatchProbeDown'],
      span: 24,
      height: 9,
    },
  ];
}

/** Availability over the range and per interval against the objective, and budget left. */
function availabilityAndBudget(s: DashboardSettings, probes: ProbeMatchers): PanelSpec[] {
  const slo = s.slo('availability');
  /** Share of successful probes per layer, averaged over `window`. */
  const availableOver = (window: string): string =>
    `avg by (layer) (avg_over_time(${series('probe_success', ...probes)}[${window}]))`;
  const againstObjective = {
    unit: 'percentunit',
    alerts: [slo.alert],
    thresholds: goodFrom(s.availabilityObjective),
  } as const;
  return [
    {
      kind: 'stat',
      ...againstObjective,
      title: 'Availability over the time range',
      description:
        `Share of successful probes per layer over the dashboard's time range; green at or ` +
        `above the objective (${slo.title}).`,
      queries: [instant(availableOver('$__range'), '{{layer}}')],
      decimals: 3,
    },
    {
      kind: 'timeseries',
      ...againstObjective,
      title: 'Availability',
      description:
        'Share of successful probes per layer in each interval; the dashed line is the ' +
        'availability objective the burn-rate alerts defend.',
      queries: [overTime(availableOver(RATE_INTERVAL), '{{layer}}')],
      max: 1,
    },
    {
      kind: 'bargauge',
      title: 'Error budget remaining',
      description:
        `Share of each SLO's ${s.config.sloPeriod} error budget still unspent, per layer: ` +
        '100 % at the start of the period, 0 when spent, negative once overspent.',
      unit: 'percentunit',
      queries: [
        instant(
          series(s.records.budgetRemaining, byVariable('layer'), s.cluster),
          '{{slo}} {{layer}}',
        ),
      ],
      alerts: atLeastOne(
        s.config.slos.map((slo) => slo.alert),
        'SLO alerts',
      ),
      page: 'overview',
      thresholds: goodFrom(0),
      max: 1,
    },
  ];
}

/** Firing alerts counted by priority (every priority shown, 0 when none), and listed. */
function firingAlerts(s: DashboardSettings): PanelSpec[] {
  const anyPriority = PRIORITIES.map(
    (p) => `label_replace(vector(0), "priority", "${p}", "", "")`,
  ).join(' or ');
  return [
    {
      kind: 'stat',
      ...ZERO_WHEN_HEALTHY,
      title: 'Firing alerts by priority',
      description:
        'Alerts firing now, by priority: P0 pages at once, P1 within 1 h, P2 within 4 h, ' +
        'P3 within 24 h. The always-firing watchdog is left out.',
      queries: [
        instant(
          `count by (priority) (${firingAlertsExpr(s)})\nor\n(${anyPriority})`,
          '{{priority}}',
        ),
      ],
      alerts: [WATCHDOG],
    },
    {
      kind: 'table',
      title: 'Firing alerts',
      description:
        'Every alert firing now with its labels; the Layerwatch app lists them with their ' +
        'remediation actions.',
      unit: 'none',
      queries: [tableRows(firingAlertsExpr(s))],
      noValue: 'No alert is firing',
      alerts: [WATCHDOG],
      span: 24,
    },
  ];
}

/** How long probes take, per layer and per endpoint, and why they fail. */
function probeTimingsAndFailures(s: DashboardSettings, probes: ProbeMatchers): PanelSpec[] {
  const alerts = ['LayerwatchProbeDown'] as const;
  return [
    {
      kind: 'timeseries',
      title: 'Probe latency p95 by layer',
      description:
        "95th percentile of scheduled probe durations per layer, from the daemon's " +
        'per-layer histogram; a rise precedes timeouts.',
      unit: 's',
      queries: [
        overTime(
          quantile(0.95, 'layerwatch_layer_probe_duration_seconds', ['layer'], ...probes),
          '{{layer}}',
        ),
      ],
      alerts,
    },
    {
      kind: 'timeseries',
      title: 'Probe duration by endpoint',
      description: 'Duration of the latest probe of each endpoint, failed or not.',
      unit: 's',
      queries: [overTime(series('probe_duration_seconds', ...probes), '{{layer}} {{name}}')],
      alerts,
    },
    {
      kind: 'timeseries',
      title: 'Probe failures by reason',
      description:
        'Failed probes per second by module and reason (timeout, connection_refused, ' +
        "status_code…): the reason points at the layer's runbook section.",
      unit: 'ops',
      queries: [
        overTime(
          orZero(sumBy(['module', 'reason'], rate('layerwatch_probe_failures_total', s.probes))),
          '{{module}} {{reason}}',
        ),
      ],
      alerts,
    },
  ];
}

/** Whether Prometheus scrapes the probe daemon and its config loaded. */
function probeDaemon(s: DashboardSettings): PanelSpec {
  return {
    kind: 'stat',
    ...flag(UP_DOWN),
    title: 'Probe daemon',
    description:
      'Whether Prometheus scrapes the probe daemon and its last config reload succeeded; ' +
      'without it no layer alert can fire.',
    unit: 'none',
    queries: [
      instant(series('up', `job="${s.config.jobs.probes}"`, s.cluster), 'scraped {{instance}}'),
      instant(series('layerwatch_config_last_reload_successful', s.probes), 'config {{instance}}'),
    ],
    alerts: ['LayerwatchProbeDaemonAbsent', 'LayerwatchProbeConfigReloadFailed'],
  };
}
