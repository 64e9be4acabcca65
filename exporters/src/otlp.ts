import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtobufExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import {
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ResolvedOtlp } from './config/resolve.js';

/**
 * The OTLP/HTTP push reader: protobuf or JSON, every `intervalMillis`, and once more on
 * shutdown (the flush). Failed pushes go to `onError` instead of OpenTelemetry's global
 * error handler.
 */
export function createOtlpReader(
  otlp: ResolvedOtlp,
  onError: (error: unknown) => void,
): PeriodicExportingMetricReader {
  const config = { url: otlp.url, timeoutMillis: otlp.timeoutMillis };
  const exporter =
    otlp.protocol === 'http/json' ? new JsonExporter(config) : new ProtobufExporter(config);
  return new PeriodicExportingMetricReader({
    exporter: reportingFailures(exporter, otlp.url, onError),
    exportIntervalMillis: otlp.intervalMillis,
    exportTimeoutMillis: Math.min(otlp.timeoutMillis, otlp.intervalMillis),
  });
}

function reportingFailures(
  inner: PushMetricExporter,
  url: string,
  onError: (error: unknown) => void,
): PushMetricExporter {
  return {
    export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
      inner.export(metrics, (result) => {
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
