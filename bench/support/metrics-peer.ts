import { Gauge, Registry } from 'prom-client';

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * A prom-client registry holding the same per-target series as an exposition: one Gauge per
 * family with the same label names, label values and values (the lines selected by `keep`).
 */
export function registryLike(
  exposition: string,
  keep: (line: string) => boolean,
): {
  registry: Registry;
  series: number;
} {
  const registry = new Registry();
  const gauges = new Map<string, Gauge>();
  let series = 0;
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#') || !keep(line)) continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const [, name = '', body = '', value = ''] = match;
    const labels: Record<string, string> = {};
    for (const [, key, labelValue] of body.matchAll(LABEL)) {
      if (key !== undefined && labelValue !== undefined) labels[key] = labelValue;
    }
    let gauge = gauges.get(name);
    if (!gauge) {
      gauge = new Gauge({
        name,
        help: name,
        labelNames: Object.keys(labels),
        registers: [registry],
      });
      gauges.set(name, gauge);
    }
    gauge.set(labels, Number(value));
    series += 1;
  }
  return { registry, series };
}
