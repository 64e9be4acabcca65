/**
 * The series of one instrument and its cardinality guard. Series are found by walking one
 * `Map` per label, keyed by the label's value as given: no key string is built per
 * measurement. At most `limit` label sets are admitted; a new set past the cap is refused
 * (its measurement dropped) and reported once through `onRefused`, so
 * `layerwatch_exporter_dropped_label_sets_total` counts distinct sets.
 *
 * Refused sets are remembered in a set bounded like the admitted ones; when it fills it is
 * cleared, so past `limit` distinct refused sets one may be counted again (an upper bound).
 */
type Values = Readonly<Record<string, unknown>>;
type Node = Map<string, unknown>;

/** Stands for an optional label left out; label values are never this string. */
const ABSENT = '\u0000absent';

function part(value: unknown): string {
  if (value === undefined) return ABSENT;
  return typeof value === 'string' ? value : String(value as number);
}

export class SeriesTable<S> {
  readonly #root: Node = new Map();
  readonly #refused = new Set<string>();
  readonly #all: S[] = [];

  constructor(
    /** Label keys in series order; `values[key]` is read for each. */
    readonly keys: readonly string[],
    readonly limit: number,
    private readonly onRefused: () => void,
  ) {}

  /** The series of these label values, created on first use; undefined when the cap refuses it. */
  get(values: Values, create: () => S): S | undefined {
    const { keys } = this;
    const last = keys.length - 1;
    let node = this.#root;
    for (let i = 0; i < last; i += 1) {
      const key = part(values[keys[i] as string]);
      let next = node.get(key) as Node | undefined;
      if (next === undefined) {
        if (this.#all.length >= this.limit) return this.#refuse(values);
        next = new Map();
        node.set(key, next);
      }
      node = next;
    }
    const key = last < 0 ? '' : part(values[keys[last] as string]);
    const found = node.get(key) as S | undefined;
    if (found !== undefined) return found;
    if (this.#all.length >= this.limit) return this.#refuse(values);
    const series = create();
    node.set(key, series);
    this.#all.push(series);
    return series;
  }

  /** The series of these label values if admitted; never creates. */
  find(values: Values): S | undefined {
    if (this.keys.length === 0) return this.#root.get('') as S | undefined;
    let node: unknown = this.#root;
    for (const key of this.keys) {
      if (!(node instanceof Map)) return undefined;
      node = (node as Node).get(part(values[key]));
    }
    return node as S | undefined;
  }

  get size(): number {
    return this.#all.length;
  }

  /** Every admitted series, in admission order; what a collection walks. */
  get all(): readonly S[] {
    return this.#all;
  }

  #refuse(values: Values): undefined {
    const key = this.keys.map((name) => part(values[name])).join('\u0001');
    if (this.#refused.has(key)) return undefined;
    if (this.#refused.size >= this.limit) this.#refused.clear();
    this.#refused.add(key);
    this.onRefused();
    return undefined;
  }
}
