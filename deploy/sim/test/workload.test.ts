import {
  COMMON,
  LAYER4,
  LAYER5,
  LAYER7,
  LAYER8,
  prometheusLabelsOf,
  prometheusNameOf,
  type InstrumentDefinition,
} from '@layerwatch/exporters';
import { LAYERS, TASK_QUEUE } from '@layerwatch/vocabulary';
import { describe, expect, it } from 'vitest';
import { CROSS_LAYER_PAIRS } from '../src/instrumentation/cross-layer-calls.js';
import { SERVICE_NAMES, type ServiceName } from '../src/index.js';
import { call, fastClock, send, startTestSim } from './helpers.js';
import { scrape, total, type Sample } from './metrics-text.js';

type Definition = InstrumentDefinition<string, string>;

/** The catalogue's instruments the workloads drive, with the layer whose services record them. */
const DRIVEN: readonly { readonly layer: string; readonly definitions: readonly Definition[] }[] = [
  { layer: '4', definitions: Object.values(LAYER4) },
  { layer: '5', definitions: Object.values(LAYER5) },
  { layer: '7', definitions: Object.values(LAYER7) },
  { layer: '8', definitions: Object.values(LAYER8) },
  // The enhancement validation gate (COMMON but for auth failures) is layer 7's, where its
  // dashboard panel looks.
  { layer: '7', definitions: Object.values(COMMON).filter((d) => d !== COMMON.authFailures) },
];

/** The series name that shows a sample was recorded: `_count` for histograms. */
function sampleName(definition: Definition): string {
  const name = prometheusNameOf(definition);
  return definition.kind === 'histogram' ? `${name}_count` : name;
}

async function scrapeAll(
  services: Record<ServiceName, { url: string }>,
): Promise<Map<ServiceName, Sample[]>> {
  const entries = await Promise.all(
    SERVICE_NAMES.map(async (name) => [name, await scrape(services[name].url)] as const),
  );
  return new Map(entries);
}

/** Definitions with no sample yet on a service of their layer. */
function missing(all: Map<ServiceName, Sample[]>): string[] {
  const samples = [...all.values()].flat();
  return DRIVEN.flatMap(({ layer, definitions }) =>
    definitions
      .filter((d) => !samples.some((s) => s.name === sampleName(d) && s.labels['layer'] === layer))
      .map((d) => `${sampleName(d)}{layer="${layer}"}`),
  );
}

describe('workloads (real HTTP, a clock 50× faster than real time)', () => {
  it('record every layer 4, 5, 7 and 8 instrument of the catalog and the validation gate', async () => {
    const sim = await startTestSim({
      clock: fastClock(50),
      workloadIntervalMs: 20,
      crossLayerIntervalMs: 0,
    });
    const deadline = Date.now() + 8_000;
    let all = await scrapeAll(sim.services);
    while (missing(all).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      all = await scrapeAll(sim.services);
    }
    expect(missing(all)).toEqual([]);
    // Each series carries its instrument's labels; the queue is the platform's task queue.
    const samples = [...all.values()].flat();
    for (const definition of DRIVEN.flatMap((d) => d.definitions)) {
      for (const sample of samples.filter((s) => s.name === sampleName(definition))) {
        const keys = Object.keys(sample.labels).filter((k) => k !== 'layer');
        expect(keys.sort(), sample.name).toEqual(prometheusLabelsOf(definition).sort());
        if ('queue' in sample.labels) expect(sample.labels['queue']).toBe(TASK_QUEUE);
      }
    }
  });

  it('call every layer pair, so each layer the app shows (and the shared stores) is called', async () => {
    const sim = await startTestSim({ crossLayerIntervalMs: 50, workloadIntervalMs: 0 });
    const count = 'layerwatch_cross_layer_request_duration_seconds_count';
    const seen = new Set<string>();
    const deadline = Date.now() + 5_000;
    while (seen.size < CROSS_LAYER_PAIRS.length && Date.now() < deadline) {
      const all = await scrapeAll(sim.services);
      for (const { from, to } of CROSS_LAYER_PAIRS) {
        const toLayer = to === 'shared' ? 'shared' : sim.services[to].layer;
        const labels = { from_layer: sim.services[from].layer, to_layer: toLayer };
        if (total(all.get(from) ?? [], count, labels) > 0) seen.add(`${from}→${to}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seen.size).toBe(CROSS_LAYER_PAIRS.length);
    const called = new Set(
      CROSS_LAYER_PAIRS.map(({ to }) => (to === 'shared' ? to : sim.services[to].layer)),
    );
    const rows = LAYERS.filter((l) => l.id === 'shared' || l.services.length > 0).map((l) => l.id);
    expect([...called].sort()).toEqual([...rows].sort());
    const errors = [...(await scrapeAll(sim.services)).values()]
      .flat()
      .filter((s) => s.name === 'layerwatch_cross_layer_request_errors_total');
    expect(errors).toEqual([]);
  });

  it('answer the health routes with the values the gauges show; a rollback counts one', async () => {
    // One tick, at start: the values stay put while the test reads them.
    const sim = await startTestSim({ workloadIntervalMs: 3_600_000, crossLayerIntervalMs: 0 });
    const { refinement, evolution } = sim.services;
    const kpi = (await call(`${refinement.url}/health/kpi`)).body as Record<string, number>;
    const models = (await call(`${refinement.url}/health/models`)).body as {
      models: { name: string; status: string }[];
    };
    const layer5 = await scrape(refinement.url);
    expect(kpi['kpi_ingestion_lag_seconds']).toBe(
      total(layer5, 'layerwatch_kpi_ingestion_lag_seconds'),
    );
    for (const { name, status } of models.models) {
      expect(status).toBe('loaded');
      expect(total(layer5, 'layerwatch_model_healthy', { model: name })).toBe(1);
    }
    expect(layer5.filter((s) => s.name === 'layerwatch_model_healthy')).toHaveLength(2);

    const population = (await call(`${evolution.url}/api/population/status`)).body as Record<
      string,
      number
    >;
    const layer7 = await scrape(evolution.url);
    expect(population['diversity']).toBe(total(layer7, 'layerwatch_population_diversity'));
    expect(population['best_fitness']).toBe(total(layer7, 'layerwatch_population_best_fitness'));
    const rollbacks = total(layer7, 'layerwatch_evolution_rollbacks_total');
    const rolledBack = await send('POST', `${evolution.url}/api/evolution/rollback`, {});
    expect(rolledBack.body).toEqual({
      status: 'rolled_back',
      generation: (population['generation'] ?? 0) - 1,
    });
    expect(total(await scrape(evolution.url), 'layerwatch_evolution_rollbacks_total')).toBe(
      rollbacks + 1,
    );
  });
});
