import type { Env } from './env.js';

/** OTLP/HTTP push settings; each one falls back to its standard `OTEL_*` variable. */
export interface OtlpOptions {
  /**
   * Full URL of the metrics endpoint.
   * @default OTEL_EXPORTER_OTLP_METRICS_ENDPOINT as is, else OTEL_EXPORTER_OTLP_ENDPOINT +
   * `/v1/metrics`, else `http://localhost:4318/v1/metrics`
   */
  url?: string;
  /**
   * Wire encoding. `grpc` is not supported (no gRPC exporter is bundled).
   * @default OTEL_EXPORTER_OTLP_METRICS_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, else `http/protobuf`
   */
  protocol?: OtlpProtocol;
  /** Push interval. @default OTEL_METRIC_EXPORT_INTERVAL, else 60000 */
  intervalMillis?: number;
  /** Timeout of one push. @default OTEL_METRIC_EXPORT_TIMEOUT, else 30000 */
  timeoutMillis?: number;
}

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export type TraceContextMode = 'request' | 'async';

/**
 * Everything `startLayerInstrumentation` takes. Each setting resolves option → environment
 * variable → default; headers, compression and temporality of OTLP are read from their
 * `OTEL_EXPORTER_OTLP_*` variables by the OpenTelemetry exporter itself.
 */
export interface LayerInstrumentationOptions {
  /**
   * Resource attribute `service.name`.
   * @default OTEL_SERVICE_NAME, else `service.name` in OTEL_RESOURCE_ATTRIBUTES, else `unknown_service:node`
   */
  serviceName?: string;
  /**
   * Resource attribute `service.version`.
   * @default `service.version` in OTEL_RESOURCE_ATTRIBUTES, else npm_package_version, else `unknown`
   */
  serviceVersion?: string;
  /**
   * Resource attribute `layer` (`4`, `5`, `7`, `8` …), also a label on every Prometheus
   * series. Required: @default LAYERWATCH_LAYER, else `layer` in OTEL_RESOURCE_ATTRIBUTES
   */
  layer?: string;
  /**
   * Serve `/metrics` on its own port (0: a free one). Without it, mount `metricsHandler`
   * on the service's Express app. `false`: never, whatever the environment says (for a
   * process that runs several services, each mounting its own).
   * @default OTEL_EXPORTER_PROMETHEUS_PORT, else 9464 when OTEL_METRICS_EXPORTER lists
   * `prometheus`, else no own server
   */
  metricsPort?: number | false;
  /** Interface of the own metrics server. @default OTEL_EXPORTER_PROMETHEUS_HOST, else `127.0.0.1` */
  metricsHost?: string;
  /** Path of the own metrics server. @default `/metrics` */
  metricsPath?: string;
  /**
   * OTLP/HTTP push, beside the pull endpoint. `false` never pushes; `true` or settings push.
   * @default on when OTEL_METRICS_EXPORTER lists `otlp`, or when OTEL_METRICS_EXPORTER is
   * unset and OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_METRICS_ENDPOINT is set
   */
  otlp?: boolean | OtlpOptions;
  /**
   * Cardinality guard: label sets admitted per instrument. Past it, new sets are dropped and
   * counted in `layerwatch_exporter_dropped_label_sets_total{instrument}`.
   * @default LAYERWATCH_MAX_SERIES_PER_INSTRUMENT, else 2000
   */
  maxSeriesPerInstrument?: number;
  /**
   * W3C trace context per request. `request`: continue the caller's trace (or start one),
   * keep it with the request; the request histogram gets trace-ID exemplars, and
   * `layerFetch(…, { parent: req })` propagates it. `async`: also run each request in an
   * AsyncLocalStorage context, so `layerFetch` inside a handler finds the trace by itself;
   * on Node 20 that costs every promise and tick of the process (about 25 % of a minimal
   * Express app's throughput). `false`: none.
   * @default `request`
   */
  traceContext?: TraceContextMode | false;
  /** Where collection and export failures go; never thrown. @default one line on stderr */
  onError?: (error: unknown) => void;
  /** The environment read for the `OTEL_*` and `LAYERWATCH_*` variables. @default process.env */
  env?: Env;
}
