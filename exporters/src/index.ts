export { startLayerInstrumentation, INSTRUMENTATION_SCOPE } from './instrumentation.js';
export type { LayerInstrumentation } from './instrumentation.js';
export type {
  LayerInstrumentationOptions,
  OtlpOptions,
  OtlpProtocol,
  TraceContextMode,
} from './config/options.js';
export { InstrumentationConfigError } from './config/env.js';
export { DEFAULT_SERIES_LIMIT, DEFAULT_PROMETHEUS_PORT } from './config/resolve.js';
export {
  CATALOG,
  COMMON,
  CROSS_LAYER_BUCKETS,
  CROSS_LAYER_DURATION,
  CROSS_LAYER_ERRORS,
  DROPPED_LABEL_SETS,
  HTTP_SERVER_DURATION,
  LAYER4,
  LAYER5,
  LAYER7,
  LAYER8,
  OPTIMIZATION_BUCKETS,
  REQUEST_BUCKETS,
  TELEMETRY_EXPORTS,
} from './instruments/catalog.js';
export { prometheusLabelsOf, prometheusNameOf } from './instruments/definition.js';
export type {
  InstrumentDefinition,
  InstrumentKind,
  LabelValue,
  Labels,
} from './instruments/definition.js';
export { GuardedCounter, GuardedGauge, GuardedHistogram } from './instruments/guarded.js';
export type { Exemplar, LabelArgs } from './instruments/guarded.js';
export type { InstrumentFactory, ExemplarLookup } from './instruments/factory.js';
export { UNMATCHED_ROUTE, routeTemplate } from './http/route.js';
export type { RequestMiddleware } from './http/middleware.js';
export type { LayerFetch, LayerFetchInit } from './http/layer-fetch.js';
export { CIRCUIT_BREAKER_STATES } from './layers/layer4.js';
export type { CircuitBreakerState, Layer4Metrics } from './layers/layer4.js';
export type { Layer5Metrics } from './layers/layer5.js';
export type { DeploymentOutcome, Layer7Metrics } from './layers/layer7.js';
export type { Layer8Metrics } from './layers/layer8.js';
export type { CommonMetrics, ValidationGate } from './layers/common.js';
export type { TelemetryExports } from './layers/telemetry-exports.js';
export type { MetricsHandler } from './prometheus/handler.js';
export type { ExpositionFormat } from './prometheus/format.js';
export { CONTENT_TYPES } from './prometheus/format.js';
export { negotiateFormat } from './prometheus/negotiate.js';
export { serialize } from './prometheus/serialize.js';
export type { SerializeOptions } from './prometheus/serialize.js';
export { prometheusLabelName, prometheusMetricName } from './prometheus/names.js';
