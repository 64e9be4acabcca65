import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtobufExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import {
  type AggregationTemporality,
  InstrumentType,
  PeriodicExportingMetricReader,
  type MetricProducer,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ResolvedOtlp } from './config/resolve.js';
import { mergeScopes } from './merge-scopes.js';

/**
 * The OTLP/HTTP push reader: protobuf or JSON, every `intervalMillis`, and once more on
 * shutdown (the flush). Failed pushes go to `onError` instead of OpenTelemetry's global
 * error handler. `produce` makes the reader's histogram producer, in the temporality the
 * exporter asks for (`OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`).
 */
export function createOtlpReader(
  otlp: ResolvedOtlp,
  onError: (error: unknown) => void,
  produce: (temporality: () => AggregationTemporality) => MetricProducer,
  rank: (instrumentName: string) => number,
): PeriodicExportingMetricReader {
  const config = { url: otlp.url, timeoutMillis: otlp.timeoutMillis };
  const exporter =
    otlp.protocol === 'http/json' ? new JsonExporter(config) : new ProtobufExporter(config);
  const temporality = (): AggregationTemporality =>
    exporter.selectAggregationTemporality(InstrumentType.HISTOGRAM);
  return new PeriodicExportingMetricReader({
    exporter: reportingFailures(exporter, otlp.url, onError, rank),
    metricProducers: [produce(temporality)],
    exportIntervalMillis: otlp.intervalMillis,
    exportTimeoutMillis: Math.min(otlp.timeoutMillis, otlp.intervalMillis),
  });
}

function reportingFailures(
  inner: PushMetricExporter,
  url: string,
  onError: (error: unknown) => void,
  rank: (instrumentName: string) => number,
): PushMetricExporter {
  return {
    export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
      inner.export(mergeScopes(metrics, rank), (result) => {
        if (result.code !== ExportResultCode.SUCCESS) {
          const reason = result.error?.message ?? 'unknown error';
          onError(new Error(`OTLP push to ${url} failed: ${reason}`, { cause: result.error }));
        }
        done(result);
      });
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
    ...(inner.selectAggregationTemporality && {
      selectAggregationTemporality: inner.selectAggregationTemporality.bind(inner),
    }),
    ...(inner.selectAggregation && { selectAggregation: inner.selectAggregation.bind(inner) }),
  };
}
