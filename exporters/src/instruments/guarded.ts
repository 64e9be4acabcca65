import {
  context as contextApi,
  isSpanContextValid,
  trace,
  type Attributes,
  type Context,
  type Counter,
  type Gauge,
  type HrTime,
  type SpanContext,
  type UpDownCounter,
} from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import type { InstrumentDefinition, LabelValue, Labels } from './definition.js';
import { LazyRootSpan } from '../trace/ids.js';
import { SeriesTable } from './series-table.js';

/** The trace a histogram measurement was recorded under, shown on its bucket in OpenMetrics. */
export interface Exemplar {
  traceId: string;
  spanId: string;
  value: number;
  /** Milliseconds since the epoch. */
  timestampMs: number;
}

/** Labels are optional for an instrument that has none. */
export type LabelArgs<L extends string, O extends string> = [L] extends [never]
  ? [labels?: Labels<L, O>, context?: Context]
  : [labels: Labels<L, O>, context?: Context];

interface Series {
  readonly attributes: Attributes;
}

/**
 * One histogram series, aggregated here rather than by OpenTelemetry's SDK: bucket counts
 * (`+Inf` last), sum, count, min and max since `startTime`, cumulative. The SDK would hash
 * the attributes on every measurement to find its series; the table has already found it.
 */
export interface HistogramSeries extends Series {
  readonly startTime: HrTime;
  readonly counts: number[];
  sum: number;
  count: number;
  min: number;
  max: number;
  /** Latest exemplar per bucket, `+Inf` last. */
  exemplars?: (Exemplar | undefined)[];
}

const EMPTY: Labels<never, never> = {};

/**
 * What every guarded instrument shares: the series table with its cardinality cap, and one
 * attributes object per series, so OpenTelemetry sees the same object each time.
 */
abstract class Guarded<L extends string, O extends string, S extends Series = Series> {
  readonly #table: SeriesTable<S>;

  constructor(
    readonly definition: InstrumentDefinition<L, O>,
    limit: number,
    onRefused: () => void,
  ) {
    const keys = [...definition.labels, ...(definition.optionalLabels ?? [])];
    this.#table = new SeriesTable(keys, limit, onRefused);
  }

  protected series(labels: Labels<L, O> | undefined): S | undefined {
    const given = labels ?? EMPTY;
    return this.#table.get(given, () => this.createSeries(this.#attributes(given)));
  }

  protected abstract createSeries(attributes: Attributes): S;

  /** The admitted series with these collected attributes (same keys, same values). */
  protected find(attributes: Attributes): S | undefined {
    return this.#table.find(attributes);
  }

  /** Every admitted series, in admission order. */
  protected get admitted(): readonly S[] {
    return this.#table.all;
  }

  /** Series admitted so far (at most the cap). */
  get seriesCount(): number {
    return this.#table.size;
  }

  #attributes(labels: Readonly<Record<string, LabelValue | undefined>>): Attributes {
    const attributes: Attributes = {};
    for (const name of this.#table.keys) {
      const value = labels[name];
      if (value !== undefined) attributes[name] = value;
    }
    return attributes;
  }
}

/**
 * A counter or a gauge: each measurement goes on to the OpenTelemetry instrument, with the
 * series' one attributes object, through `forward` (chosen once, at construction).
 */
abstract class Forwarding<L extends string, O extends string> extends Guarded<L, O> {
  constructor(
    definition: InstrumentDefinition<L, O>,
    limit: number,
    onRefused: () => void,
    private readonly forward: (value: number, attributes: Attributes, context?: Context) => void,
  ) {
    super(definition, limit, onRefused);
  }

  protected createSeries(attributes: Attributes): Series {
    return { attributes };
  }

  protected measure(value: number, labels: Labels<L, O> | undefined, context?: Context): void {
    const series = this.series(labels);
    if (series !== undefined) this.forward(value, series.attributes, context);
  }
}

export class GuardedCounter<L extends string, O extends string = never> extends Forwarding<L, O> {
  constructor(
    definition: InstrumentDefinition<L, O>,
    instrument: Counter | UpDownCounter,
    limit: number,
    onRefused: () => void,
  ) {
    super(definition, limit, onRefused, (value, attributes, context) =>
      instrument.add(value, attributes, context),
    );
  }

  /** Adds `value` (≥ 0 for counters; an up-down counter takes negatives). */
  add(value: number, ...[labels, context]: LabelArgs<L, O>): void {
    this.measure(value, labels, context);
  }

  inc(...[labels, context]: LabelArgs<L, O>): void {
    this.measure(1, labels, context);
  }
}

export class GuardedGauge<L extends string, O extends string = never> extends Forwarding<L, O> {
  constructor(
    definition: InstrumentDefinition<L, O>,
    instrument: Gauge,
    limit: number,
    onRefused: () => void,
  ) {
    super(definition, limit, onRefused, (value, attributes, context) =>
      instrument.record(value, attributes, context),
    );
  }

  set(value: number, ...[labels, context]: LabelArgs<L, O>): void {
    this.measure(value, labels, context);
  }
}

export class GuardedHistogram<L extends string, O extends string = never> extends Guarded<
  L,
  O,
  HistogramSeries
> {
  /** Explicit bucket upper bounds, ascending; `+Inf` is implied. */
  readonly bounds: readonly number[];

  constructor(definition: InstrumentDefinition<L, O>, limit: number, onRefused: () => void) {
    super(definition, limit, onRefused);
    this.bounds = definition.buckets ?? [];
  }

  protected createSeries(attributes: Attributes): HistogramSeries {
    return {
      attributes,
      startTime: hrTime(),
      counts: new Array<number>(this.bounds.length + 1).fill(0),
      sum: 0,
      count: 0,
      min: Infinity,
      max: -Infinity,
    };
  }

  /**
   * Records `value`; when `context` (by default the active one) carries a valid span, its
   * trace becomes the exemplar of the bucket the value falls in.
   */
  record(value: number, ...[labels, context]: LabelArgs<L, O>): void {
    this.recordInSpan(value, labels, trace.getSpanContext(context ?? contextApi.active()));
  }

  /** `record` with the span given directly: no Context built. */
  recordInSpan(
    value: number,
    labels: Labels<L, O> | undefined,
    span: SpanContext | undefined,
  ): void {
    // NaN and negative values are dropped, as OpenTelemetry's histograms drop them.
    if (!(value >= 0)) return;
    const series = this.series(labels);
    if (series !== undefined) this.observe(series, value, span);
  }

  /**
   * The series of these labels, admitted on first use; undefined when the cap refuses it
   * (reported as `record` would). For a caller that keeps it: series are never removed.
   */
  seriesOf(labels: Labels<L, O> | undefined): HistogramSeries | undefined {
    return this.series(labels);
  }

  /**
   * `recordInSpan` into a series from `seriesOf`: the request middleware's path. A caller
   * that has just read the clock passes the exemplar's time (`timeOrigin + now`, what
   * OpenTelemetry's `hrTime` reads) rather than have it read again; `Date.now()` otherwise.
   */
  observe(
    series: HistogramSeries,
    value: number,
    span: SpanContext | undefined,
    timestampMs?: number,
  ): void {
    this.observeValid(
      series,
      value,
      span !== undefined && isSpanContextValid(span) ? span : undefined,
      timestampMs,
    );
  }

  /**
   * `observe` with `span` already known valid (or undefined: no exemplar), e.g. the span IDs
   * the request middleware made itself: no ID check per measurement.
   */
  observeValid(
    series: HistogramSeries,
    value: number,
    span: SpanContext | undefined,
    timestampMs?: number,
  ): void {
    if (!(value >= 0)) return;
    const bucket = bucketIndex(this.bounds, value);
    series.counts[bucket] = (series.counts[bucket] as number) + 1;
    series.count += 1;
    series.sum += value;
    if (value < series.min) series.min = value;
    if (value > series.max) series.max = value;
    if (span === undefined) return;
    const at = timestampMs ?? Date.now();
    const exemplars = (series.exemplars ??= []);
    let slot = exemplars[bucket];
    // One object per bucket, reused: no allocation per measurement once a bucket has one.
    if (!(slot instanceof ExemplarSlot)) exemplars[bucket] = slot = new ExemplarSlot();
    (slot as ExemplarSlot).setSpan(span);
    // Numbers written here, not passed on: a double argument may be boxed (a heap number).
    slot.value = value;
    slot.timestampMs = at;
  }

  /** Every admitted series with its aggregation; what a collection reads. */
  get allSeries(): readonly HistogramSeries[] {
    return this.admitted;
  }

  /** Latest exemplar per bucket for the series with these collected attributes. */
  exemplarsFor(attributes: Attributes): readonly (Exemplar | undefined)[] | undefined {
    // Plain objects, their IDs written as hex now (the buckets' own may hold bytes).
    return this.find(attributes)?.exemplars?.map((exemplar) =>
      exemplar === undefined
        ? undefined
        : {
            traceId: exemplar.traceId,
            spanId: exemplar.spanId,
            value: exemplar.value,
            timestampMs: exemplar.timestampMs,
          },
    );
  }
}

/**
 * A bucket's latest exemplar, overwritten by each measurement with a span. The request
 * middleware's own spans (`LazyRootSpan`) are copied as bytes, and their IDs written as hex
 * only when read (when the exemplar is rendered); any other span's ID strings are kept.
 */
class ExemplarSlot implements Exemplar {
  value = 0;
  timestampMs = 0;
  #traceId = '';
  #spanId = '';
  #own: LazyRootSpan | undefined;
  #fromOwn = false;

  get traceId(): string {
    return this.#fromOwn && this.#own !== undefined ? this.#own.traceId : this.#traceId;
  }

  get spanId(): string {
    return this.#fromOwn && this.#own !== undefined ? this.#own.spanId : this.#spanId;
  }

  setSpan(span: SpanContext): void {
    if (span instanceof LazyRootSpan) {
      (this.#own ??= new LazyRootSpan()).copyFrom(span);
      this.#fromOwn = true;
    } else {
      this.#traceId = span.traceId;
      this.#spanId = span.spanId;
      this.#fromOwn = false;
    }
  }
}

/** Index of the first bucket whose upper bound is ≥ value; `bounds.length` is `+Inf`. */
export function bucketIndex(bounds: readonly number[], value: number): number {
  let low = 0;
  let high = bounds.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (value <= (bounds[middle] as number)) high = middle;
    else low = middle + 1;
  }
  return low;
}
