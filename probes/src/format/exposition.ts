import type { Labels, Sample } from './sample-sink.js';

/**
 * Prometheus text exposition (format 0.0.4) of probe samples. Pure: no I/O, no clocks, so
 * tests compare exact strings. Samples of one name are grouped under one HELP/TYPE header
 * in first-seen order; `extraLabels` go first on every sample (scheduled mode's
 * `layer`, `target`, `module`).
 */
export function serializeSamples(samples: readonly Sample[], extraLabels?: Labels): string {
  const byName = new Map<string, Sample[]>();
  for (const sample of samples) {
    const group = byName.get(sample.name);
    if (group) group.push(sample);
    else byName.set(sample.name, [sample]);
  }
  let out = '';
  for (const [name, group] of byName) {
    const first = group[0];
    if (!first) continue;
    out += `# HELP ${name} ${escapeHelp(first.help)}\n# TYPE ${name} ${first.type}\n`;
    out += serializeSampleLines(group, extraLabels);
  }
  return out;
}

/** The sample lines alone, without HELP/TYPE (for callers that group many targets). */
export function serializeSampleLines(samples: readonly Sample[], extraLabels?: Labels): string {
  let out = '';
  for (const sample of samples) {
    out += `${sample.name}${formatLabels(extraLabels, sample.labels)} ${formatValue(sample.value)}\n`;
  }
  return out;
}

export function formatLabels(first: Labels | undefined, second: Labels | undefined): string {
  let body = '';
  for (const labels of [first, second]) {
    if (!labels) continue;
    for (const key in labels) {
      body += `${body ? ',' : ''}${key}="${escapeLabelValue(labels[key] ?? '')}"`;
    }
  }
  return body ? `{${body}}` : '';
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
