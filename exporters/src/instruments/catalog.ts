import type { InstrumentDefinition, InstrumentKind, KindedDefinition } from './definition.js';

/**
 * Every instrument this package records, in one place: the README's metric table and the
 * tests' pinned names are both checked against this file. The kind stays in the type, so
 * `InstrumentFactory.create` knows which guarded instrument a definition becomes.
 */
function define<
  L extends string = never,
  O extends string = never,
  K extends InstrumentKind = InstrumentKind,
>(definition: InstrumentDefinition<L, O> & { readonly kind: K }): KindedDefinition<L, O, K> {
  return definition;
}

/** Resolves the runbook's thresholds: 50 ms, 100 ms and 500 ms are bucket bounds. */
export const REQUEST_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10,
];
/** Cross-layer calls: the 50 ms target is a bound, with resolution below it. */
export const CROSS_LAYER_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
/** Layer 5 optimisation: the 100 ms target is a bound. */
export const OPTIMIZATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5];
const TASK_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const GENERATION_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

export const HTTP_SERVER_DURATION = define({
  name: 'http.server.request.duration',
  kind: 'histogram',
  unit: 's',
  description: 'Duration of HTTP server requests, by route template.',
  labels: ['http.request.method', 'http.route'],
  optionalLabels: ['http.response.status_code', 'error.type'],
  buckets: REQUEST_BUCKETS,
});

export const CROSS_LAYER_DURATION = define({
  name: 'layerwatch.cross_layer.request.duration',
  kind: 'histogram',
  unit: 's',
  description: 'Duration of HTTP calls from one layer to another, until the response headers.',
  labels: ['from_layer', 'to_layer'],
  buckets: CROSS_LAYER_BUCKETS,
});

export const CROSS_LAYER_ERRORS = define({
  name: 'layerwatch.cross_layer.request.errors',
  kind: 'counter',
  unit: '{request}',
  description: 'Cross-layer calls that failed: no answer (error_type timeout or network) or a 5xx.',
  labels: ['from_layer', 'to_layer', 'error.type'],
});

export const DROPPED_LABEL_SETS = define({
  name: 'layerwatch.exporter.dropped_label_sets',
  kind: 'counter',
  unit: '{label_set}',
  description: 'Label sets refused because their instrument reached its series cap.',
  labels: ['instrument'],
});

export const LAYER4 = {
  queueWait: define({
    name: 'layerwatch.task.queue_wait.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time a task waited in its queue before a worker took it.',
    labels: ['queue'],
    buckets: TASK_BUCKETS,
  }),
  processing: define({
    name: 'layerwatch.task.processing.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time a worker spent processing a task.',
    labels: ['queue'],
    buckets: TASK_BUCKETS,
  }),
  tasksProcessed: define({
    name: 'layerwatch.tasks.processed',
    kind: 'counter',
    unit: '{task}',
    description: 'Tasks processed successfully.',
    labels: ['queue'],
  }),
  tasksFailed: define({
    name: 'layerwatch.tasks.failed',
    kind: 'counter',
    unit: '{task}',
    description: 'Tasks that failed, by reason.',
    labels: ['queue', 'reason'],
  }),
  wasmFailures: define({
    name: 'layerwatch.wasm.runtime.failures',
    kind: 'counter',
    unit: '{failure}',
    description:
      'WASM runtime failures (traps, instantiation and memory errors), by module and reason.',
    labels: ['module', 'reason'],
  }),
  circuitBreakerState: define({
    name: 'layerwatch.circuit_breaker.state',
    kind: 'gauge',
    unit: '',
    description: 'Circuit-breaker state: 1 for the current state, 0 for the others.',
    labels: ['breaker', 'state'],
  }),
};

export const LAYER5 = {
  optimization: define({
    name: 'layerwatch.optimization.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Duration of one optimisation run.',
    labels: [],
    buckets: OPTIMIZATION_BUCKETS,
  }),
  modelHealthy: define({
    name: 'layerwatch.model.healthy',
    kind: 'gauge',
    unit: '',
    description: 'Whether a model is loaded and healthy (1) or not (0).',
    labels: ['model'],
  }),
  experiments: define({
    name: 'layerwatch.ab.experiments',
    kind: 'gauge',
    unit: '{experiment}',
    description: 'A/B experiments, by status (running, concluded, ...).',
    labels: ['status'],
  }),
  assignments: define({
    name: 'layerwatch.ab.assignments',
    kind: 'counter',
    unit: '{assignment}',
    description: 'Requests assigned to an A/B experiment variant.',
    labels: ['experiment', 'variant'],
  }),
  kpiIngestionLag: define({
    name: 'layerwatch.kpi.ingestion.lag',
    kind: 'gauge',
    unit: 's',
    description: 'Age of the newest KPI sample ingested.',
    labels: [],
  }),
};

export const LAYER7 = {
  generationsToConverge: define({
    name: 'layerwatch.evolution.generations_to_converge',
    kind: 'histogram',
    unit: '{generation}',
    description: 'Generations an evolution run needed to converge.',
    labels: [],
    buckets: GENERATION_BUCKETS,
  }),
  diversity: define({
    name: 'layerwatch.population.diversity',
    kind: 'gauge',
    unit: '',
    description: 'Genetic diversity of the current population (0 = clones, 1 = all distinct).',
    labels: [],
  }),
  bestFitness: define({
    name: 'layerwatch.population.best_fitness',
    kind: 'gauge',
    unit: '',
    description: 'Fitness of the best genome in the current population.',
    labels: [],
  }),
  deployments: define({
    name: 'layerwatch.genome.deployments',
    kind: 'counter',
    unit: '{deployment}',
    description: 'Genome deployments, by outcome (succeeded or failed).',
    labels: ['outcome'],
  }),
  rollbacks: define({
    name: 'layerwatch.evolution.rollbacks',
    kind: 'counter',
    unit: '{rollback}',
    description: 'Rollbacks to an earlier generation.',
    labels: [],
  }),
};

export const LAYER8 = {
  gpuAllocated: define({
    name: 'layerwatch.gpu.allocated',
    kind: 'gauge',
    unit: '{gpu}',
    description: 'GPUs allocated to workloads, by node.',
    labels: ['node'],
  }),
  gpuCapacity: define({
    name: 'layerwatch.gpu.capacity',
    kind: 'gauge',
    unit: '{gpu}',
    description: 'GPUs that can be allocated, by node.',
    labels: ['node'],
  }),
  costPerHour: define({
    name: 'layerwatch.gpu.cost',
    kind: 'gauge',
    unit: 'usd/h',
    description: 'Running cost of the allocated GPUs, in US dollars per hour.',
    labels: ['node'],
  }),
};

/** Every layer: the runbook queries `auth_failures_total` by that exact name. */
export const COMMON = {
  authFailures: define({
    name: 'auth_failures',
    kind: 'counter',
    unit: '{failure}',
    description: 'Requests refused for failed authentication or authorisation, by reason.',
    labels: ['reason'],
  }),
  enhancementsReceived: define({
    name: 'layerwatch.enhancements.received',
    kind: 'counter',
    unit: '{enhancement}',
    description: 'Enhancements that reached the validation gate.',
    labels: [],
  }),
  enhancementsAccepted: define({
    name: 'layerwatch.enhancements.accepted',
    kind: 'counter',
    unit: '{enhancement}',
    description: 'Enhancements the validation gate accepted.',
    labels: [],
  }),
  enhancementsRejected: define({
    name: 'layerwatch.enhancements.rejected',
    kind: 'counter',
    unit: '{enhancement}',
    description: 'Enhancements the validation gate rejected, by reason.',
    labels: ['reason'],
  }),
};

/** The factory pipeline's telemetry exports, counted as the ledger records them. */
export const TELEMETRY_EXPORTS = {
  exports: define({
    name: 'layerwatch.telemetry.exports',
    kind: 'counter',
    unit: '{export}',
    description: 'Telemetry exports written and recorded in the ledger.',
    labels: [],
  }),
  bytes: define({
    name: 'layerwatch.telemetry.exported',
    kind: 'counter',
    unit: 'By',
    description: 'Bytes of evidence files written by recorded telemetry exports.',
    labels: [],
  }),
};

/** The whole catalogue, in the order the README's table lists it. */
export const CATALOG: readonly InstrumentDefinition<string, string>[] = [
  HTTP_SERVER_DURATION,
  CROSS_LAYER_DURATION,
  CROSS_LAYER_ERRORS,
  ...Object.values(LAYER4),
  ...Object.values(LAYER5),
  ...Object.values(LAYER7),
  ...Object.values(LAYER8),
  ...Object.values(COMMON),
  ...Object.values(TELEMETRY_EXPORTS),
  DROPPED_LABEL_SETS,
];
