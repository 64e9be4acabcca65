/**
 * Turns a configured selector (`job="x",http_route!="/metrics"`) into the labels of a test
 * series that it matches, so promtool scenarios follow the config when a selector changes.
 */
const MATCHER = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

export function selectorLabels(selector: string): Record<string, string> {
  const labels: Record<string, string> = {};
  MATCHER.lastIndex = 0;
  while (MATCHER.lastIndex < selector.length) {
    const start = MATCHER.lastIndex;
    const match = MATCHER.exec(selector);
    if (!match) {
      throw new Error(
        `selector ${JSON.stringify(selector)}: cannot read a matcher at "${selector.slice(start)}"`,
      );
    }
    const [, name = '', op, value = ''] = match;
    if (op === '=') labels[name] = value;
    else if (op === '=~') {
      throw new Error(
        `selector ${JSON.stringify(selector)}: ${name}=~ cannot be turned into a test series; ` +
          'use = in the config, or give the scenario its own series',
      );
    }
    // != and !~ hold for a series without the label: leave it out.
  }
  return labels;
}

/** `metric{a="1",b="2"}` of a series the selector matches, with `extra` labels added. */
export function seriesLiteral(
  metric: string,
  selector: string,
  extra: Readonly<Record<string, string>> = {},
): string {
  const labels = { ...selectorLabels(selector), ...extra };
  const body = Object.entries(labels)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(',');
  return `${metric}{${body}}`;
}
