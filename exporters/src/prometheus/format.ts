/** Text-level pieces shared by both exposition formats. Pure. */

/** `text`: Prometheus text format 0.0.4. `openmetrics`: OpenMetrics 1.0, with exemplars. */
export type ExpositionFormat = 'text' | 'openmetrics';

export const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

/** A sample value: `+Inf`, `-Inf` and `NaN` spelled as both formats expect. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** HELP text: the text format escapes `\` and newlines; OpenMetrics also escapes `"`. */
export function escapeHelp(text: string, format: ExpositionFormat): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return format === 'openmetrics' ? escaped.replace(/"/g, '\\"') : escaped;
}

/** `{a="1",b="2"}`, or nothing for no labels. Names must already be valid label names. */
export function labelSet(pairs: readonly (readonly [string, string])[]): string {
  const inner = labelPairs(pairs);
  return inner === '' ? '' : `{${inner}}`;
}

/** `a="1",b="2"`: the inside of a label set, for callers that append more labels. */
export function labelPairs(pairs: readonly (readonly [string, string])[]): string {
  let text = '';
  for (const [name, value] of pairs) {
    text += `${text === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  }
  return text;
}

/** Attribute values as label values: arrays as JSON, the rest as their string form. */
export function labelValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}
