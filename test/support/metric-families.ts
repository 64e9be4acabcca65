/** One metric family of a Prometheus text exposition: its name, type, help and label names. */
export interface MetricFamily {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly labels: readonly string[];
}

const SAMPLE_SUFFIXES = ['_bucket', '_sum', '_count', '_created', ''];
/** Labels every scrape or every histogram has: not part of what a family means. */
const IMPLIED = new Set(['le', 'quantile']);

/** The families of a text-format exposition, with the label names their samples use. */
export function metricFamilies(exposition: string): MetricFamily[] {
  const families = new Map<string, { type: string; help: string; labels: Set<string> }>();
  const family = (name: string) => {
    let found = families.get(name);
    if (found === undefined) {
      found = { type: 'untyped', help: '', labels: new Set() };
      families.set(name, found);
    }
    return found;
  };
  for (const line of exposition.split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const entry = family(meta[2] ?? '');
      if (meta[1] === 'HELP') entry.help = (meta[3] ?? '').replace(/\\n/g, ' ');
      else entry.type = meta[3] ?? 'untyped';
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?/.exec(line);
    if (!sample) continue;
    const name = sample[1] ?? '';
    const owner = SAMPLE_SUFFIXES.map((suffix) =>
      suffix && name.endsWith(suffix) ? name.slice(0, -suffix.length) : name,
    ).find((candidate) => families.has(candidate));
    const entry = family(owner ?? name);
    for (const match of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) {
      const label = match[1] ?? '';
      if (!IMPLIED.has(label)) entry.labels.add(label);
    }
  }
  return [...families]
    .map(([name, f]) => ({ name, type: f.type, help: f.help, labels: [...f.labels].sort() }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A Markdown table of families, one row each. */
export function familyTable(families: readonly MetricFamily[]): string {
  const rows = families.map(
    (f) =>
      `| \`${f.name}\` | ${f.type} | ${f.labels.map((l) => `\`${l}\``).join(', ') || '—'} | ${f.help.replace(/\|/g, '\\|')} |`,
  );
  return ['| metric | type | labels | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
