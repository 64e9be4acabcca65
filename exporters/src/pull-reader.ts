import { MetricReader } from '@opentelemetry/sdk-metrics';

/**
 * The reader behind `/metrics`: collects on demand (cumulative, as Prometheus expects) and
 * has nothing to flush. Serialization is ours (`prometheus/serialize.ts`), because the
 * OpenTelemetry Prometheus exporter writes neither OpenMetrics nor exemplars.
 */
export class PullMetricReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}
