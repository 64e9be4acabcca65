/** Layer 7 evolution: generations, diversity, fitness, deployments and rollbacks. */
import type { DashboardSpec } from '../dashboard.js';
import { EXPORTED } from '../metrics.js';
import { panel, type PanelBuilder } from '../panels.js';
import { increase, quantile, rate, series, sumBy } from '../promql.js';
import type { DashboardSettings } from '../settings.js';
import { EXPORTER_ABSENT, layerEndpoints, layerExporter } from './layer-parts.js';

export function layer7Evolution(s: DashboardSettings): DashboardSpec {
  return {
    slug: 'layer-7-evolution',
    title: `Layerwatch / Layer 7 evolution (${s.layerTitle('7')})`,
    description:
      `Layer 7 (${s.layerTitle('7')}): generations to converge, population diversity and ` +
      'fitness, genome deployments, rollbacks and the enhancement validation gate.',
    tags: ['layer-7'],
    variables: [],
    panels: [
      ...population(s),
      ...deploymentsAndRollbacks(s),
      enhancementGate(s),
      layerEndpoints(
        s,
        '7',
        "The probe daemon's view of each layer 7 endpoint (health, population status): up or down.",
        24,
      ),
    ],
  };
}

/** The search itself: generations to converge, population diversity, best fitness. */
function population(s: DashboardSettings): PanelBuilder[] {
  const m = EXPORTED.layer7;
  const exporter = layerExporter(s, '7');
  return [
    panel(s, {
      kind: 'timeseries',
      title: 'Generations to converge',
      description:
        'Generations an evolution run needed to converge (p50 and p95): rising means the search got harder.',
      unit: 'short',
      queries: [
        { expr: quantile(0.5, m.generationsToConverge, [], ...exporter), legend: 'p50' },
        { expr: quantile(0.95, m.generationsToConverge, [], ...exporter), legend: 'p95' },
      ],
      alerts: [EXPORTER_ABSENT],
      span: 12,
    }),
    panel(s, {
      kind: 'timeseries',
      title: 'Population diversity',
      description:
        'Genetic diversity of the current population, 0 (all clones) to 1 (all distinct); a collapse towards 0 stalls evolution.',
      unit: 'percentunit',
      queries: [{ expr: series(m.diversity, ...exporter), legend: '{{instance}}' }],
      alerts: [EXPORTER_ABSENT],
      min: 0,
      max: 1,
      span: 12,
    }),
    panel(s, {
      kind: 'timeseries',
      title: 'Best fitness',
      description:
        'Fitness of the best genome in the current population; a drop after a deployment calls for a rollback.',
      unit: 'short',
      queries: [{ expr: series(m.bestFitness, ...exporter), legend: '{{instance}}' }],
      alerts: ['LayerwatchProbeDown', EXPORTER_ABSENT],
      span: 12,
    }),
  ];
}

/** Genome deployments by outcome, and rollbacks to an earlier generation. */
function deploymentsAndRollbacks(s: DashboardSettings): PanelBuilder[] {
  const m = EXPORTED.layer7;
  const exporter = layerExporter(s, '7');
  return [
    panel(s, {
      kind: 'timeseries',
      title: 'Genome deployments',
      description: 'Genome deployments in each interval, by outcome (succeeded or failed).',
      unit: 'short',
      queries: [
        { expr: sumBy(['outcome'], increase(m.deployments, ...exporter)), legend: '{{outcome}}' },
      ],
      alerts: [EXPORTER_ABSENT],
      min: 0,
      span: 12,
    }),
    panel(s, {
      kind: 'timeseries',
      title: 'Rollbacks',
      description:
        'Rollbacks to an earlier generation in each interval, by hand or from the Layerwatch app.',
      unit: 'short',
      queries: [{ expr: sumBy([], increase(m.rollbacks, ...exporter)), legend: 'rollbacks' }],
      alerts: ['LayerwatchProbeDown', EXPORTER_ABSENT],
      page: 'audit',
      min: 0,
      span: 12,
    }),
  ];
}

/** Enhancements reaching the validation gate: received, accepted, rejected by reason. */
function enhancementGate(s: DashboardSettings): PanelBuilder {
  const c = EXPORTED.common;
  const exporter = layerExporter(s, '7');
  return panel(s, {
    kind: 'timeseries',
    title: 'Enhancement validation gate',
    description:
      'Enhancements per second reaching the validation gate, accepted, and rejected by reason.',
    unit: 'ops',
    queries: [
      { expr: sumBy([], rate(c.enhancementsReceived, ...exporter)), legend: 'received' },
      { expr: sumBy([], rate(c.enhancementsAccepted, ...exporter)), legend: 'accepted' },
      {
        expr: sumBy(['reason'], rate(c.enhancementsRejected, ...exporter)),
        legend: 'rejected {{reason}}',
      },
    ],
    alerts: [EXPORTER_ABSENT],
    span: 12,
  });
}
