/** Layer 7 evolution: generations, diversity, fitness, deployments and rollbacks. */
import type { DashboardSpec } from '../dashboard.js';
import { EXPORTED } from '../metrics.js';
import { overTime, type PanelBuilder } from '../panels.js';
import { increase, quantile, rate, series, sumBy } from '../promql.js';
import type { DashboardSettings } from '../settings.js';
import { exporterPanel, layerDashboard, type ExporterMatchers } from './layer-parts.js';

/** Layer 7's exporter series. */
const m = EXPORTED.layer7;

export function layer7Evolution(s: DashboardSettings): DashboardSpec {
  return layerDashboard(s, {
    layer: '7',
    topic: 'evolution',
    shows:
      'generations to converge, population diversity and fitness, genome deployments, ' +
      'rollbacks and the enhancement validation gate.',
    panels: (exporter) => [
      ...population(s, exporter),
      ...deploymentsAndRollbacks(s, exporter),
      enhancementGate(s, exporter),
    ],
    endpoints: {
      description:
        "The probe daemon's view of each layer 7 endpoint (health, population status): up or down.",
      span: 24,
    },
  });
}

/** The search itself: generations to converge, population diversity, best fitness. */
function population(s: DashboardSettings, exporter: ExporterMatchers): PanelBuilder[] {
  return [
    exporterPanel(s, {
      title: 'Generations to converge',
      description:
        'Generations an evolution run needed to converge (p50 and p95): rising means the search got harder.',
      unit: 'short',
      queries: [
        overTime(quantile(0.5, m.generationsToConverge, [], ...exporter), 'p50'),
        overTime(quantile(0.95, m.generationsToConverge, [], ...exporter), 'p95'),
      ],
    }),
    exporterPanel(s, {
      title: 'Population diversity',
      description:
        'Genetic diversity of the current population, 0 (all clones) to 1 (all distinct); a collapse towards 0 stalls evolution.',
      unit: 'percentunit',
      queries: [overTime(series(m.diversity, ...exporter), '{{instance}}')],
      min: 0,
      max: 1,
    }),
    exporterPanel(s, {
      title: 'Best fitness',
      description:
        'Fitness of the best genome in the current population; a drop after a deployment calls for a rollback.',
      unit: 'short',
      queries: [overTime(series(m.bestFitness, ...exporter), '{{instance}}')],
      alsoAlerts: ['LayerwatchProbeDown'],
    }),
  ];
}

/** Genome deployments by outcome, and rollbacks to an earlier generation. */
function deploymentsAndRollbacks(s: DashboardSettings, exporter: ExporterMatchers): PanelBuilder[] {
  return [
    exporterPanel(s, {
      title: 'Genome deployments',
      description: 'Genome deployments in each interval, by outcome (succeeded or failed).',
      unit: 'short',
      queries: [overTime(sumBy(['outcome'], increase(m.deployments, ...exporter)), '{{outcome}}')],
      min: 0,
    }),
    exporterPanel(s, {
      title: 'Rollbacks',
      description:
        'Rollbacks to an earlier generation in each interval, by hand or from the Layerwatch app.',
      unit: 'short',
      queries: [overTime(sumBy([], increase(m.rollbacks, ...exporter)), 'rollbacks')],
      alsoAlerts: ['LayerwatchProbeDown'],
      page: 'audit',
      min: 0,
    }),
  ];
}

/** Enhancements reaching the validation gate: received, accepted, rejected by reason. */
function enhancementGate(s: DashboardSettings, exporter: ExporterMatchers): PanelBuilder {
  const c = EXPORTED.common;
  return exporterPanel(s, {
    title: 'Enhancement validation gate',
    description:
      'Enhancements per second reaching the validation gate, accepted, and rejected by reason.',
    unit: 'ops',
    queries: [
      overTime(sumBy([], rate(c.enhancementsReceived, ...exporter)), 'received'),
      overTime(sumBy([], rate(c.enhancementsAccepted, ...exporter)), 'accepted'),
      overTime(sumBy(['reason'], rate(c.enhancementsRejected, ...exporter)), 'rejected {{reason}}'),
    ],
  });
}
