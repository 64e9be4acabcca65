import {
  prometheusLabelName,
  prometheusMetricName,
  type PrometheusType,
} from '../prometheus/names.js';

/** The OpenTelemetry instrument kinds the catalogue uses. */
export type InstrumentKind = 'counter' | 'updowncounter' | 'gauge' | 'histogram';

/** A label value as recorded; numbers stay numbers in OTLP (`http.response.status_code`). */
export type LabelValue = string | number;

/**
 * The labels one measurement carries: every required key, and the optional ones when they
 * apply (an optional key left out is absent from the series, not an empty label).
 */
export type Labels<L extends string, O extends string = never> = {
  readonly [K in L]: LabelValue;
} & {
  readonly [K in O]?: LabelValue;
};

/**
 * One instrument: its OpenTelemetry identity (what OTLP receives) and what it means. The
 * Prometheus name is derived from it by `prometheusNameOf`, never written twice.
 */
export interface InstrumentDefinition<L extends string = string, O extends string = never> {
  /** OpenTelemetry instrument name, e.g. `http.server.request.duration`. */
  readonly name: string;
  readonly kind: InstrumentKind;
  /** UCUM unit (`s`, `By`, `usd/h`) or an annotation such as `{task}`. */
  readonly unit: string;
  /** Becomes the Prometheus `# HELP` text. */
  readonly description: string;
  /** Attribute keys every measurement carries, in series-key order. */
  readonly labels: readonly L[];
  /** Attribute keys a measurement may leave out. @default none */
  readonly optionalLabels?: readonly O[];
  /** Explicit histogram bucket upper bounds, ascending (histograms only). */
  readonly buckets?: readonly number[];
}

/** A definition whose kind the compiler knows: `InstrumentFactory.create` types by it. */
export type KindedDefinition<
  L extends string = string,
  O extends string = never,
  K extends InstrumentKind = InstrumentKind,
> = InstrumentDefinition<L, O> & { readonly kind: K };

export function prometheusTypeOf(kind: InstrumentKind): PrometheusType {
  if (kind === 'counter') return 'counter';
  if (kind === 'histogram') return 'histogram';
  return 'gauge';
}

/** The family name Prometheus shows for this instrument. */
export function prometheusNameOf(definition: InstrumentDefinition<string, string>): string {
  return prometheusMetricName(definition.name, definition.unit, prometheusTypeOf(definition.kind));
}

/** The Prometheus label names, required then optional, in series-key order. */
export function prometheusLabelsOf(definition: InstrumentDefinition<string, string>): string[] {
  return [...definition.labels, ...(definition.optionalLabels ?? [])].map(prometheusLabelName);
}

/**
 * Construction-time checks, so a misspelt definition fails where it is written and never on
 * the recording path.
 */
export function validateDefinition(definition: InstrumentDefinition<string, string>): void {
  const where = `instrument ${JSON.stringify(definition.name)}`;
  if (!/^[A-Za-z][A-Za-z0-9_.\-/]{0,254}$/.test(definition.name)) {
    throw new Error(
      `${where}: invalid name; use letters, digits, "_", ".", "-" or "/", starting with a letter`,
    );
  }
  const keys = [...definition.labels, ...(definition.optionalLabels ?? [])];
  const seen = new Set<string>();
  for (const key of keys) {
    const label = prometheusLabelName(key);
    if (label.startsWith('__') || label === 'le' || label === 'quantile') {
      throw new Error(`${where}: label ${JSON.stringify(key)} is reserved by Prometheus`);
    }
    if (seen.has(label)) throw new Error(`${where}: label ${JSON.stringify(key)} is listed twice`);
    seen.add(label);
  }
  if (definition.kind !== 'histogram') {
    if (definition.buckets !== undefined)
      throw new Error(`${where}: buckets are for histograms only`);
    return;
  }
  const buckets = definition.buckets ?? [];
  for (let i = 0; i < buckets.length; i += 1) {
    const bound = buckets[i] as number;
    if (!Number.isFinite(bound) || (i > 0 && bound <= (buckets[i - 1] as number))) {
      throw new Error(
        `${where}: buckets must be finite and strictly ascending; got [${buckets.join(', ')}]`,
      );
    }
  }
}
