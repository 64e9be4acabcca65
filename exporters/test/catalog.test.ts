import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOG, prometheusLabelsOf, prometheusNameOf } from '../src/index.js';
import { validateDefinition } from '../src/instruments/definition.js';

/**
 * The documented names, pinned: OpenTelemetry instrument, Prometheus family, type, labels
 * (every series also carries `layer`) and unit. The README's table must list exactly these.
 */
const DOCUMENTED: [string, string, string, string[], string][] = [
  [
    'http.server.request.duration',
    'http_server_request_duration_seconds',
    'histogram',
    ['http_request_method', 'http_route', 'http_response_status_code', 'error_type'],
    's',
  ],
  [
    'layerwatch.cross_layer.request.duration',
    'layerwatch_cross_layer_request_duration_seconds',
    'histogram',
    ['from_layer', 'to_layer'],
    's',
  ],
  [
    'layerwatch.cross_layer.request.errors',
    'layerwatch_cross_layer_request_errors_total',
    'counter',
    ['from_layer', 'to_layer', 'error_type'],
    '{request}',
  ],
  [
    'layerwatch.task.queue_wait.duration',
    'layerwatch_task_queue_wait_duration_seconds',
    'histogram',
    ['queue'],
    's',
  ],
  [
    'layerwatch.task.processing.duration',
    'layerwatch_task_processing_duration_seconds',
    'histogram',
    ['queue'],
    's',
  ],
  [
    'layerwatch.tasks.processed',
    'layerwatch_tasks_processed_total',
    'counter',
    ['queue'],
    '{task}',
  ],
  [
    'layerwatch.tasks.failed',
    'layerwatch_tasks_failed_total',
    'counter',
    ['queue', 'reason'],
    '{task}',
  ],
  [
    'layerwatch.wasm.runtime.failures',
    'layerwatch_wasm_runtime_failures_total',
    'counter',
    ['module', 'reason'],
    '{failure}',
  ],
  [
    'layerwatch.circuit_breaker.state',
    'layerwatch_circuit_breaker_state',
    'gauge',
    ['breaker', 'state'],
    '',
  ],
  [
    'layerwatch.optimization.duration',
    'layerwatch_optimization_duration_seconds',
    'histogram',
    [],
    's',
  ],
  ['layerwatch.model.healthy', 'layerwatch_model_healthy', 'gauge', ['model'], ''],
  ['layerwatch.ab.experiments', 'layerwatch_ab_experiments', 'gauge', ['status'], '{experiment}'],
  [
    'layerwatch.ab.assignments',
    'layerwatch_ab_assignments_total',
    'counter',
    ['experiment', 'variant'],
    '{assignment}',
  ],
  ['layerwatch.kpi.ingestion.lag', 'layerwatch_kpi_ingestion_lag_seconds', 'gauge', [], 's'],
  [
    'layerwatch.evolution.generations_to_converge',
    'layerwatch_evolution_generations_to_converge',
    'histogram',
    [],
    '{generation}',
  ],
  ['layerwatch.population.diversity', 'layerwatch_population_diversity', 'gauge', [], ''],
  ['layerwatch.population.best_fitness', 'layerwatch_population_best_fitness', 'gauge', [], ''],
  [
    'layerwatch.genome.deployments',
    'layerwatch_genome_deployments_total',
    'counter',
    ['outcome'],
    '{deployment}',
  ],
  [
    'layerwatch.evolution.rollbacks',
    'layerwatch_evolution_rollbacks_total',
    'counter',
    [],
    '{rollback}',
  ],
  ['layerwatch.gpu.allocated', 'layerwatch_gpu_allocated', 'gauge', ['node'], '{gpu}'],
  ['layerwatch.gpu.capacity', 'layerwatch_gpu_capacity', 'gauge', ['node'], '{gpu}'],
  ['layerwatch.gpu.cost', 'layerwatch_gpu_cost_usd_per_hour', 'gauge', ['node'], 'usd/h'],
  ['auth_failures', 'auth_failures_total', 'counter', ['reason'], '{failure}'],
  [
    'layerwatch.enhancements.received',
    'layerwatch_enhancements_received_total',
    'counter',
    [],
    '{enhancement}',
  ],
  [
    'layerwatch.enhancements.accepted',
    'layerwatch_enhancements_accepted_total',
    'counter',
    [],
    '{enhancement}',
  ],
  [
    'layerwatch.enhancements.rejected',
    'layerwatch_enhancements_rejected_total',
    'counter',
    ['reason'],
    '{enhancement}',
  ],
  ['layerwatch.telemetry.exports', 'layerwatch_telemetry_exports_total', 'counter', [], '{export}'],
  [
    'layerwatch.telemetry.exported',
    'layerwatch_telemetry_exported_bytes_total',
    'counter',
    [],
    'By',
  ],
  [
    'layerwatch.exporter.dropped_label_sets',
    'layerwatch_exporter_dropped_label_sets_total',
    'counter',
    ['instrument'],
    '{label_set}',
  ],
];

/** One README table row: `| otel | prometheus | type | labels | unit |`. */
function row([otel, prometheus, type, labels, unit]: (typeof DOCUMENTED)[number]): string {
  const labelText = labels.length === 0 ? '—' : labels.map((l) => `\`${l}\``).join(', ');
  return `| \`${otel}\` | \`${prometheus}\` | ${type} | ${labelText} | ${unit === '' ? '—' : `\`${unit}\``} |`;
}

describe('instrument catalogue', () => {
  it('derives exactly the documented Prometheus names, types and labels', () => {
    const actual = CATALOG.map((d) => [
      d.name,
      prometheusNameOf(d),
      d.kind === 'counter' ? 'counter' : d.kind === 'histogram' ? 'histogram' : 'gauge',
      prometheusLabelsOf(d),
      d.unit,
    ]);
    expect(actual).toEqual(DOCUMENTED);
  });

  it('is valid: names, labels and ascending buckets', () => {
    for (const definition of CATALOG) expect(() => validateDefinition(definition)).not.toThrow();
  });

  it('request and cross-layer buckets resolve the runbook thresholds', () => {
    const request = CATALOG.find((d) => d.name === 'http.server.request.duration')?.buckets;
    expect(request).toEqual(expect.arrayContaining([0.05, 0.1, 0.5]));
    const crossLayer = CATALOG.find((d) => d.name === 'layerwatch.cross_layer.request.duration');
    expect(crossLayer?.buckets).toContain(0.05);
    const optimization = CATALOG.find((d) => d.name === 'layerwatch.optimization.duration');
    expect(optimization?.buckets).toContain(0.1);
  });

  it('the README lists every instrument, and nothing else, in its metric table', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const tableRows = readme
      .split('\n')
      .filter((line) => /^\| `[^`]+` \| `[^`]+` \| (counter|gauge|histogram) \|/.test(line));
    expect(tableRows).toEqual(DOCUMENTED.map(row));
  });
});

describe('validateDefinition', () => {
  it.each([
    [
      { name: '1bad', kind: 'counter', unit: '', description: '', labels: [] },
      'instrument "1bad": invalid name; use letters, digits, "_", ".", "-" or "/", starting with a letter',
    ],
    [
      { name: 'x', kind: 'counter', unit: '', description: '', labels: ['le'] },
      'instrument "x": label "le" is reserved by Prometheus',
    ],
    [
      { name: 'x', kind: 'counter', unit: '', description: '', labels: ['a.b', 'a_b'] },
      'instrument "x": label "a_b" is listed twice',
    ],
    [
      { name: 'x', kind: 'gauge', unit: '', description: '', labels: [], buckets: [1] },
      'instrument "x": buckets are for histograms only',
    ],
    [
      { name: 'x', kind: 'histogram', unit: 's', description: '', labels: [], buckets: [1, 0.5] },
      'instrument "x": buckets must be finite and strictly ascending; got [1, 0.5]',
    ],
  ] as const)('rejects %j', (definition, message) => {
    expect(() => validateDefinition(definition as never)).toThrow(message);
  });
});
