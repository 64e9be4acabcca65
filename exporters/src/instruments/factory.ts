import type { Attributes, Counter, Meter } from '@opentelemetry/api';
import { DROPPED_LABEL_SETS } from './catalog.js';
import {
  prometheusNameOf,
  validateDefinition,
  type InstrumentDefinition,
  type KindedDefinition,
} from './definition.js';
import { GuardedCounter, GuardedGauge, GuardedHistogram, type Exemplar } from './guarded.js';

/** Finds the exemplars of a collected histogram series; what the serializer asks. */
export type ExemplarLookup = (
  instrumentName: string,
  attributes: Attributes,
) => readonly (Exemplar | undefined)[] | undefined;

/** The guarded instrument a definition of its kind is created as. */
export type GuardedOf<D> =
  D extends KindedDefinition<infer L, infer O, infer K>
    ? K extends 'histogram'
      ? GuardedHistogram<L, O>
      : K extends 'gauge'
        ? GuardedGauge<L, O>
        : GuardedCounter<L, O>
    : never;

/**
 * Creates guarded instruments on one meter, all under the same series cap, and counts the
 * label sets the cap refuses in `layerwatch_exporter_dropped_label_sets_total{instrument}`.
 */
export class InstrumentFactory {
  readonly #meter: Meter;
  readonly #dropped: Counter;
  readonly #histograms = new Map<string, GuardedHistogram<string, string>>();
  /** Instrument names in creation order (the SDK's collection order). */
  readonly #names = new Map<string, number>();

  constructor(
    meter: Meter,
    readonly seriesLimit: number,
  ) {
    this.#meter = meter;
    this.#dropped = meter.createCounter(DROPPED_LABEL_SETS.name, {
      unit: DROPPED_LABEL_SETS.unit,
      description: DROPPED_LABEL_SETS.description,
    });
  }

  counter<L extends string, O extends string = never>(
    definition: InstrumentDefinition<L, O>,
  ): GuardedCounter<L, O> {
    this.#check(definition, ['counter', 'updowncounter']);
    const options = { unit: definition.unit, description: definition.description };
    const instrument =
      definition.kind === 'counter'
        ? this.#meter.createCounter(definition.name, options)
        : this.#meter.createUpDownCounter(definition.name, options);
    return new GuardedCounter(
      definition,
      instrument,
      this.seriesLimit,
      this.#onRefused(definition),
    );
  }

  gauge<L extends string, O extends string = never>(
    definition: InstrumentDefinition<L, O>,
  ): GuardedGauge<L, O> {
    this.#check(definition, ['gauge']);
    const instrument = this.#meter.createGauge(definition.name, {
      unit: definition.unit,
      description: definition.description,
    });
    return new GuardedGauge(definition, instrument, this.seriesLimit, this.#onRefused(definition));
  }

  histogram<L extends string, O extends string = never>(
    definition: InstrumentDefinition<L, O>,
  ): GuardedHistogram<L, O> {
    this.#check(definition, ['histogram']);
    // Aggregated by the histogram itself; readers get it through a `HistogramProducer`.
    const guarded = new GuardedHistogram(definition, this.seriesLimit, this.#onRefused(definition));
    this.#histograms.set(definition.name, guarded as GuardedHistogram<string, string>);
    return guarded;
  }

  /**
   * Each definition as the guarded instrument of its kind, created in key order (the order
   * the instruments are collected in): a layer's plain instruments in one call.
   */
  create<T extends Record<string, KindedDefinition<string, string>>>(
    definitions: T,
  ): { [K in keyof T]: GuardedOf<T[K]> } {
    const created = Object.entries(definitions).map(([key, definition]) => {
      if (definition.kind === 'histogram') return [key, this.histogram(definition)];
      if (definition.kind === 'gauge') return [key, this.gauge(definition)];
      return [key, this.counter(definition)];
    });
    // Object.fromEntries loses the keys' types; each entry is its definition's GuardedOf.
    return Object.fromEntries(created) as { [K in keyof T]: GuardedOf<T[K]> };
  }

  /** For the serializer: exemplars of one collected histogram series, if any. */
  readonly exemplars: ExemplarLookup = (name, attributes) =>
    this.#histograms.get(name)?.exemplarsFor(attributes);

  /** The guarded histograms, for the readers' `HistogramProducer`s. */
  histograms(): Iterable<GuardedHistogram<string, string>> {
    return this.#histograms.values();
  }

  /** Creation order of an instrument (0 for one not created here); orders merged scopes. */
  readonly rank = (instrumentName: string): number => this.#names.get(instrumentName) ?? 0;

  #check(definition: InstrumentDefinition<string, string>, kinds: readonly string[]): void {
    validateDefinition(definition);
    if (!kinds.includes(definition.kind)) {
      throw new Error(
        `instrument ${JSON.stringify(definition.name)}: kind ${definition.kind} cannot be created as ${kinds.join(' or ')}`,
      );
    }
    if (this.#names.has(definition.name)) {
      throw new Error(`instrument ${JSON.stringify(definition.name)} is already defined`);
    }
    this.#names.set(definition.name, this.#names.size + 1);
  }

  #onRefused(definition: InstrumentDefinition<string, string>): () => void {
    const attributes = { instrument: prometheusNameOf(definition) };
    return () => this.#dropped.add(1, attributes);
  }
}
