import { ValueType, type HrTime } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type DataPoint,
  type Histogram,
  type HistogramMetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import type { GuardedHistogram, HistogramSeries } from './guarded.js';

/** The histograms a producer reads, looked up at each collection (instruments come later). */
export type HistogramSource = () => Iterable<GuardedHistogram<string, string>>;

interface Reported {
  counts: number[];
  sum: number;
  count: number;
  time: HrTime;
}

/**
 * Hands the guarded histograms, which aggregate themselves, to one OpenTelemetry reader
 * (`metricProducers`), in the reader's temporality: cumulative (start time = when the series
 * was admitted) or delta (the change since this reader's previous collection, only series
 * that changed, without min/max). One producer per reader, because delta remembers what
 * that reader was last given. Histograms without series are left out, as the SDK does.
 */
export class HistogramProducer implements MetricProducer {
  readonly #reported = new WeakMap<HistogramSeries, Reported>();
  #lastCollection: HrTime | undefined;

  constructor(
    private readonly source: HistogramSource,
    private readonly scope: { name: string; version?: string },
    private readonly temporality: () => AggregationTemporality = () =>
      AggregationTemporality.CUMULATIVE,
  ) {}

  collect(): Promise<CollectionResult> {
    const endTime = hrTime();
    const delta = this.temporality() === AggregationTemporality.DELTA;
    const since = this.#lastCollection;
    this.#lastCollection = endTime;
    const metrics: HistogramMetricData[] = [];
    for (const histogram of this.source()) {
      const dataPoints: DataPoint<Histogram>[] = [];
      for (const series of histogram.allSeries) {
        const point = delta
          ? this.#delta(histogram.bounds, series, since, endTime)
          : cumulative(histogram.bounds, series, endTime);
        if (point !== undefined) dataPoints.push(point);
      }
      if (dataPoints.length === 0) continue;
      const { name, description, unit } = histogram.definition;
      metrics.push({
        descriptor: { name, description, unit, valueType: ValueType.DOUBLE },
        aggregationTemporality: delta
          ? AggregationTemporality.DELTA
          : AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints,
      });
    }
    return Promise.resolve({
      resourceMetrics: {
        resource: emptyResource(),
        scopeMetrics: [{ scope: this.scope, metrics }],
      },
      errors: [],
    });
  }

  #delta(
    bounds: readonly number[],
    series: HistogramSeries,
    since: HrTime | undefined,
    endTime: HrTime,
  ): DataPoint<Histogram> | undefined {
    const last = this.#reported.get(series);
    const now: Reported = {
      counts: [...series.counts],
      sum: series.sum,
      count: series.count,
      time: endTime,
    };
    this.#reported.set(series, now);
    const count = now.count - (last?.count ?? 0);
    if (count === 0) return undefined;
    return {
      attributes: series.attributes,
      startTime: last?.time ?? since ?? series.startTime,
      endTime,
      value: {
        buckets: {
          boundaries: [...bounds],
          counts: now.counts.map((n, i) => n - (last?.counts[i] ?? 0)),
        },
        sum: now.sum - (last?.sum ?? 0),
        count,
      },
    };
  }
}

function cumulative(
  bounds: readonly number[],
  series: HistogramSeries,
  endTime: HrTime,
): DataPoint<Histogram> | undefined {
  if (series.count === 0) return undefined;
  return {
    attributes: series.attributes,
    startTime: series.startTime,
    endTime,
    value: {
      buckets: { boundaries: [...bounds], counts: [...series.counts] },
      sum: series.sum,
      count: series.count,
      min: series.min,
      max: series.max,
    },
  };
}
