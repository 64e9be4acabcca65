import { createNoopMeter, type Meter } from '@opentelemetry/api';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  MeterProvider,
  type AggregationTemporality,
  type MetricReader,
} from '@opentelemetry/sdk-metrics';
import type { LayerInstrumentationOptions } from './config/options.js';
import { resolveConfig, type ResolvedConfig } from './config/resolve.js';
import { createLayerFetch, type LayerFetch } from './http/layer-fetch.js';
import { createRequestMiddleware, type RequestMiddleware } from './http/middleware.js';
import {
  CROSS_LAYER_DURATION,
  CROSS_LAYER_ERRORS,
  HTTP_SERVER_DURATION,
} from './instruments/catalog.js';
import { InstrumentFactory, type ExemplarLookup } from './instruments/factory.js';
import { createCommonMetrics, type CommonMetrics } from './layers/common.js';
import { HistogramProducer, type HistogramSource } from './instruments/histogram-producer.js';
import { createLayer4Metrics, type Layer4Metrics } from './layers/layer4.js';
import { createLayer5Metrics, type Layer5Metrics } from './layers/layer5.js';
import { createLayer7Metrics, type Layer7Metrics } from './layers/layer7.js';
import { createLayer8Metrics, type Layer8Metrics } from './layers/layer8.js';
import {
  createTelemetryExports,
  preloadLedgerWhereNeeded,
  type TelemetryExports,
} from './layers/telemetry-exports.js';
import { mergeScopes } from './merge-scopes.js';
import type { createOtlpReader } from './otlp.js';
import type { ExpositionFormat } from './prometheus/format.js';
import { createMetricsHandler, type MetricsHandler } from './prometheus/handler.js';
import { serialize } from './prometheus/serialize.js';
import type { MetricsServer } from './prometheus/server.js';
import { PullMetricReader } from './pull-reader.js';
import { ensureContextManager } from './trace/context.js';

export const INSTRUMENTATION_SCOPE = '@layerwatch/exporters';

/** One layer service's instrumentation; what `startLayerInstrumentation` returns. */
export interface LayerInstrumentation {
  /** The resource every metric carries: `service.name`, `service.version`, `layer`, … */
  readonly resource: Readonly<Record<string, string>>;
  /** Request metrics (and trace context): `app.use(instrumentation.requestMetrics)` before the routes. */
  readonly requestMetrics: RequestMiddleware;
  /** `/metrics` for the service's own app: `app.get('/metrics', instrumentation.metricsHandler)`. */
  readonly metricsHandler: MetricsHandler;
  /** URL of the own metrics server, when one was started (`metricsPort`). */
  readonly metricsUrl: string | undefined;
  /** `fetch` to another layer, with the trace propagated and the latency recorded. */
  readonly layerFetch: LayerFetch;
  readonly layer4: Layer4Metrics;
  readonly layer5: Layer5Metrics;
  readonly layer7: Layer7Metrics;
  readonly layer8: Layer8Metrics;
  readonly common: CommonMetrics;
  /** The factory pipeline's exports: a counted ledger writer. */
  readonly telemetryExports: TelemetryExports;
  /** Guarded instruments of your own, under the same series cap. */
  readonly instruments: Pick<InstrumentFactory, 'counter' | 'gauge' | 'histogram'>;
  /** The raw OpenTelemetry meter (not guarded: OpenTelemetry's own cardinality limit applies). */
  readonly meter: Meter;
  /** What a scrape would answer, e.g. for a debug endpoint or a test. */
  render(format?: ExpositionFormat): Promise<string>;
  /** Pushes what OTLP has not sent yet; a no-op without OTLP. */
  forceFlush(): Promise<void>;
  /** Flushes OTLP, stops the own server; safe to call twice. Failures go to `onError`. */
  shutdown(): Promise<void>;
}

/**
 * Sets up OpenTelemetry metrics for one layer service: the resource, a Prometheus pull
 * endpoint (own port or the service's Express app), OTLP/HTTP push when configured, request
 * metrics, cross-layer fetch and the per-layer helpers.
 */
export async function startLayerInstrumentation(
  options: LayerInstrumentationOptions = {},
): Promise<LayerInstrumentation> {
  const config = resolveConfig(options);
  if (config.traceContext === 'async') await ensureContextManager();
  await preloadLedgerWhereNeeded();
  // Loaded only when OTLP pushes: the exporters and their transformer are about 80 modules
  // (and their heap) that a service scraped by Prometheus alone never uses.
  const otlpReader =
    config.otlp !== undefined && !config.disabled
      ? (await import('./otlp.js')).createOtlpReader
      : undefined;
  // The readers' histogram producers find the factory's histograms at each collection, which
  // never runs before the factory exists (no await in between).
  const pipeline = createPipeline(config, otlpReader, {
    histograms: () => factory.histograms(),
    rank: (name) => factory.rank(name),
  });
  const factory = new InstrumentFactory(pipeline.meter, config.seriesLimit);
  const render = (format: ExpositionFormat): Promise<string> =>
    pipeline.render(format, factory.exemplars);
  const metricsHandler = createMetricsHandler(render, config.onError);
  let server: MetricsServer | undefined;
  if (config.metricsServer !== undefined) {
    try {
      // The own server (and `@layerwatch/local/net`) only when a port was asked for.
      const { startMetricsServer } = await import('./prometheus/server.js');
      server = await startMetricsServer(metricsHandler, config.metricsServer);
    } catch (error) {
      await pipeline.shutdown();
      throw error;
    }
  }
  let stopping: Promise<void> | undefined;
  return {
    resource: config.resource,
    requestMetrics: createRequestMiddleware(
      factory.histogram(HTTP_SERVER_DURATION),
      config.traceContext,
    ),
    metricsHandler,
    metricsUrl: server?.url,
    layerFetch: createLayerFetch(
      config.layer,
      factory.histogram(CROSS_LAYER_DURATION),
      factory.counter(CROSS_LAYER_ERRORS),
    ),
    layer4: createLayer4Metrics(factory),
    layer5: createLayer5Metrics(factory),
    layer7: createLayer7Metrics(factory),
    layer8: createLayer8Metrics(factory),
    common: createCommonMetrics(factory),
    telemetryExports: createTelemetryExports(factory),
    instruments: factory,
    meter: pipeline.meter,
    render: (format = 'text') => render(format),
    forceFlush: () => pipeline.forceFlush(),
    shutdown() {
      stopping ??= Promise.all([server?.stop(), pipeline.shutdown()]).then(() => undefined);
      return stopping;
    },
  };
}

interface Pipeline {
  meter: Meter;
  render(format: ExpositionFormat, exemplars: ExemplarLookup): Promise<string>;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** What the readers need from the instruments created later. */
interface Instruments {
  histograms: HistogramSource;
  rank: (instrumentName: string) => number;
}

/**
 * The MeterProvider with its readers: one pull reader for `/metrics`, one OTLP reader when
 * pushing. A catch-all view gives every instrument one shared aggregation (recorded once for
 * both readers) and lifts OpenTelemetry's own cardinality limit above the guard's cap. The
 * guarded histograms aggregate themselves and reach each reader through its own producer.
 */
function createPipeline(
  config: ResolvedConfig,
  otlpReader: typeof createOtlpReader | undefined,
  instruments: Instruments,
): Pipeline {
  if (config.disabled) {
    return {
      meter: createNoopMeter(),
      render: (format) =>
        Promise.resolve(
          `# OpenTelemetry SDK disabled by OTEL_SDK_DISABLED=true\n${format === 'openmetrics' ? '# EOF\n' : ''}`,
        ),
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
  }
  const scope = { name: INSTRUMENTATION_SCOPE };
  const pull = new PullMetricReader({
    metricProducers: [new HistogramProducer(instruments.histograms, scope)],
  });
  const readers: MetricReader[] = [pull];
  if (config.otlp !== undefined && otlpReader !== undefined) {
    const produce = (temporality: () => AggregationTemporality): HistogramProducer =>
      new HistogramProducer(instruments.histograms, scope, temporality);
    readers.push(otlpReader(config.otlp, config.onError, produce, instruments.rank));
  }
  const provider = new MeterProvider({
    resource: defaultResource().merge(resourceFromAttributes(config.resource)),
    readers,
    views: [{ instrumentName: '*', aggregationCardinalityLimit: config.seriesLimit + 2 }],
  });
  const constantLabels = { layer: config.layer };
  return {
    meter: provider.getMeter(scope.name),
    async render(format, exemplars) {
      const { resourceMetrics, errors } = await pull.collect();
      for (const error of errors) config.onError(error);
      const merged = mergeScopes(resourceMetrics, instruments.rank);
      return serialize(merged, { format, constantLabels, exemplars });
    },
    forceFlush: () => provider.forceFlush().catch(config.onError),
    shutdown: () => provider.shutdown().catch(config.onError),
  };
}
