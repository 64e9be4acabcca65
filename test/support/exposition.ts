/**
 * A reader for the Prometheus text format, enough to compare two exporters' `/probe`
 * answers: families by name, each sample with its labels and value.
 */
export interface ParsedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** Every sample line; throws on a line that is neither a comment nor a sample. */
export function parseExposition(text: string): ParsedSample[] {
  const samples: ParsedSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) {
      if (key !== undefined && value !== undefined) labels[key] = unescape(value);
    }
    samples.push({ name: match[1] ?? '', labels, value: parseValue(match[3] ?? '') });
  }
  return samples;
}

/** The metric names present, sorted. */
export function metricNames(samples: readonly ParsedSample[]): string[] {
  return [...new Set(samples.map((s) => s.name))].sort();
}

/** The value of an unlabelled series, or undefined when absent. */
export function valueOf(samples: readonly ParsedSample[], name: string): number | undefined {
  return samples.find((s) => s.name === name && Object.keys(s.labels).length === 0)?.value;
}

/** The values one label takes across a family, sorted (e.g. `phase` of the HTTP durations). */
export function labelValues(
  samples: readonly ParsedSample[],
  name: string,
  label: string,
): string[] {
  return samples
    .filter((s) => s.name === name)
    .map((s) => s.labels[label] ?? '')
    .sort();
}

/** Label names used by a family, sorted and de-duplicated. */
export function labelNames(samples: readonly ParsedSample[], name: string): string[] {
  return [
    ...new Set(samples.filter((s) => s.name === name).flatMap((s) => Object.keys(s.labels))),
  ].sort();
}
