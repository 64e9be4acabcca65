import type { Labels, Sample } from './sample-sink.js';

/**
 * Prometheus text exposition (format 0.0.4) of probe samples. Pure: no I/O, no clocks, so
 * tests compare exact strings. Samples of one name are grouped under one HELP/TYPE header
 * in first-seen order; `extraLabels` go first on every sample (scheduled mode's
 * `layer`, `target`, `module`).
 */
export function serializeSamples(samples: readonly Sample[], extraLabels?: Labels): string {
  if (!namesAreContiguous(samples)) return serializeGrouped(samples, extraLabels);
  // The usual case (a prober writes a family's samples together): one pass, no grouping.
  let out = '';
  let previous: string | undefined;
  for (const sample of samples) {
    if (sample.name !== previous) out += header(sample);
    previous = sample.name;
    out += `${sample.name}${formatLabels(extraLabels, sample.labels)} ${formatValue(sample.value)}\n`;
  }
  return out;
}

/** Whether each name's samples come one after another (no name comes back later). */
function namesAreContiguous(samples: readonly Sample[]): boolean {
  for (let i = 1; i < samples.length; i += 1) {
    const name = (samples[i] as Sample).name;
    if (name === (samples[i - 1] as Sample).name) continue;
    for (let j = 0; j < i - 1; j += 1) if ((samples[j] as Sample).name === name) return false;
  }
  return true;
}

function serializeGrouped(samples: readonly Sample[], extraLabels?: Labels): string {
  const byName = new Map<string, Sample[]>();
  for (const sample of samples) {
    const group = byName.get(sample.name);
    if (group) group.push(sample);
    else byName.set(sample.name, [sample]);
  }
  let out = '';
  for (const group of byName.values()) {
    const first = group[0];
    if (!first) continue;
    out += header(first) + serializeSampleLines(group, extraLabels);
  }
  return out;
}

/**
 * `# HELP …\n# TYPE …\n` of a family, made once per name while its help and type stay the
 * same (probers pass the same constant strings probe after probe).
 */
function header(sample: Sample): string {
  const cached = HEADERS.get(sample.name);
  if (cached && cached.help === sample.help && cached.type === sample.type) return cached.text;
  const text = `# HELP ${sample.name} ${escapeHelp(sample.help)}\n# TYPE ${sample.name} ${sample.type}\n`;
  if (HEADERS.size >= MAX_HEADERS) HEADERS.clear();
  HEADERS.set(sample.name, { help: sample.help, type: sample.type, text });
  return text;
}

/** Family names are few (each prober's and collector's own); the bound is only a guard. */
const MAX_HEADERS = 4096;
const HEADERS = new Map<string, { help: string; type: Sample['type']; text: string }>();

/** The sample lines alone, without HELP/TYPE. */
function serializeSampleLines(samples: readonly Sample[], extraLabels?: Labels): string {
  let out = '';
  for (const sample of samples) {
    out += `${sample.name}${formatLabels(extraLabels, sample.labels)} ${formatValue(sample.value)}\n`;
  }
  return out;
}

export function formatLabels(first: Labels | undefined, second: Labels | undefined): string {
  const body = labelPairs(second, labelPairs(first, ''));
  return body ? `{${body}}` : '';
}

function labelPairs(labels: Labels | undefined, body: string): string {
  if (!labels) return body;
  for (const key in labels) {
    body += `${body ? ',' : ''}${key}="${escapeLabelValue(labels[key] ?? '')}"`;
  }
  return body;
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
    : value;
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
