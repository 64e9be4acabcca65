import type { Attributes } from '@opentelemetry/api';
import {
  DataPointType,
  type DataPoint,
  type Histogram,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ExemplarLookup } from '../instruments/factory.js';
import type { Exemplar } from '../instruments/guarded.js';
import {
  escapeHelp,
  formatNumber,
  labelPairs,
  labelSet,
  labelValue,
  type ExpositionFormat,
} from './format.js';
import { prometheusLabelName, prometheusMetricName, type PrometheusType } from './names.js';

export interface SerializeOptions {
  format: ExpositionFormat;
  /** Labels added to every series unless a series has its own of that name (e.g. `layer`). */
  constantLabels?: Readonly<Record<string, string>>;
  /** Exemplars for histogram buckets; written in OpenMetrics only. */
  exemplars?: ExemplarLookup;
}

type Pairs = [string, string][];

/**
 * One collection as Prometheus text 0.0.4 or OpenMetrics 1.0: `target_info` from the
 * resource, then every metric with data, in collection order. Instruments without data
 * points are left out. Pure: tested by exact output.
 */
export function serialize(collected: ResourceMetrics, options: SerializeOptions): string {
  const { format } = options;
  const constant = Object.entries(options.constantLabels ?? {});
  let out = targetInfo(collected.resource.attributes, format);
  for (const scope of collected.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.dataPoints.length > 0) out += family(metric, constant, options);
    }
  }
  return format === 'openmetrics' ? `${out}# EOF\n` : out;
}

function family(
  metric: MetricData,
  constant: readonly [string, string][],
  options: SerializeOptions,
): string {
  const { name: otelName, unit, description } = metric.descriptor;
  const type = typeOf(metric);
  if (type === undefined) return ''; // exponential histograms: no Prometheus form here
  const name = prometheusMetricName(otelName, unit, type);
  const familyName =
    options.format === 'openmetrics' && type === 'counter' ? name.replace(/_total$/, '') : name;
  let out = `# HELP ${familyName} ${escapeHelp(description || otelName, options.format)}\n`;
  out += `# TYPE ${familyName} ${type}\n`;
  if (metric.dataPointType === DataPointType.HISTOGRAM) {
    for (const point of metric.dataPoints) {
      const exemplars =
        options.format === 'openmetrics'
          ? options.exemplars?.(otelName, point.attributes)
          : undefined;
      out += histogramLines(name, pairsOf(point.attributes, constant), point, exemplars);
    }
    return out;
  }
  for (const point of metric.dataPoints as DataPoint<number>[]) {
    out += `${name}${labelSet(pairsOf(point.attributes, constant))} ${formatNumber(point.value)}\n`;
  }
  return out;
}

function typeOf(metric: MetricData): PrometheusType | undefined {
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return metric.isMonotonic ? 'counter' : 'gauge';
    case DataPointType.GAUGE:
      return 'gauge';
    case DataPointType.HISTOGRAM:
      return 'histogram';
    default:
      return undefined;
  }
}

function histogramLines(
  name: string,
  pairs: Pairs,
  point: DataPoint<Histogram>,
  exemplars: readonly (Exemplar | undefined)[] | undefined,
): string {
  const { boundaries, counts } = point.value.buckets;
  const inner = labelPairs(pairs);
  const open = inner === '' ? '{le="' : `{${inner},le="`;
  let out = '';
  let cumulative = 0;
  for (let i = 0; i <= boundaries.length; i += 1) {
    cumulative += counts[i] ?? 0;
    const le = i < boundaries.length ? formatNumber(boundaries[i] as number) : '+Inf';
    out += `${name}_bucket${open}${le}"} ${cumulative}${exemplarText(exemplars?.[i])}\n`;
  }
  const labels = labelSet(pairs);
  if (point.value.sum !== undefined)
    out += `${name}_sum${labels} ${formatNumber(point.value.sum)}\n`;
  out += `${name}_count${labels} ${point.value.count}\n`;
  return out;
}

/** ` # {trace_id="…",span_id="…"} value timestamp`, OpenMetrics' exemplar syntax. */
function exemplarText(exemplar: Exemplar | undefined): string {
  if (exemplar === undefined) return '';
  const labels = labelSet([
    ['trace_id', exemplar.traceId],
    ['span_id', exemplar.spanId],
  ]);
  return ` # ${labels} ${formatNumber(exemplar.value)} ${(exemplar.timestampMs / 1000).toFixed(3)}`;
}

function pairsOf(attributes: Attributes, constant: readonly [string, string][]): Pairs {
  const pairs: Pairs = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined) pairs.push([prometheusLabelName(key), labelValue(value)]);
  }
  for (const [name, value] of constant) {
    if (!pairs.some(([taken]) => taken === name)) pairs.push([name, value]);
  }
  return pairs;
}

/** The resource as one `target_info` series (an `info` family in OpenMetrics). */
function targetInfo(attributes: Attributes, format: ExpositionFormat): string {
  const pairs: Pairs = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined) pairs.push([prometheusLabelName(key), labelValue(value)]);
  }
  if (pairs.length === 0) return '';
  const family = format === 'openmetrics' ? 'target' : 'target_info';
  const type = format === 'openmetrics' ? 'info' : 'gauge';
  return `# HELP ${family} Target metadata\n# TYPE ${family} ${type}\ntarget_info${labelSet(pairs)} 1\n`;
}
