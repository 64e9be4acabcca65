import { SampleList, type Sample } from '../../src/format/sample-sink.js';
import { probeContext } from './probe-context.js';
import type { ProbeLog, ProbeOutcome, Prober } from '../../src/prober/types.js';

export interface ProberRun {
  readonly outcome: ProbeOutcome;
  readonly samples: readonly Sample[];
  /** Every line the prober logged, as `debug: …` or `info: …`. */
  readonly logLines: readonly string[];
  /** Milliseconds until the probe resolved. */
  readonly elapsedMs: number;
}

/**
 * Runs one prober directly, the handler left out: `prepare`, one probe under an
 * `AbortSignal.timeout`, then `close`. Settings are the schema's output (defaults applied).
 */
export async function runProber<Settings, Prepared>(
  prober: Prober<Settings, Prepared>,
  settings: Settings,
  target: string,
  timeoutMs = 2000,
): Promise<ProberRun> {
  const prepared = prober.prepare(settings);
  const metrics = new SampleList();
  const logLines: string[] = [];
  const log: Omit<ProbeLog, 'debugging'> = {
    debug: (message) => logLines.push(`debug: ${message}`),
    info: (message) => logLines.push(`info: ${message}`),
  };
  const started = performance.now();
  try {
    const outcome = await prober.probe(
      probeContext({
        target,
        settings: prepared,
        signal: AbortSignal.timeout(timeoutMs),
        timeoutMs,
        metrics,
        log,
      }),
    );
    return { outcome, samples: metrics.samples, logLines, elapsedMs: performance.now() - started };
  } finally {
    await prober.close?.(prepared);
  }
}

/** The value of the sample named `name` whose labels include `labels`, or undefined. */
export function valueOf(
  samples: readonly Sample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  return samples.find(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value),
  )?.value;
}

/** Every sample as `name{k="v"} value`, sorted: one exact comparison covers them all. */
export function sampleLines(samples: readonly Sample[]): string[] {
  return samples
    .map((sample) => {
      const labels = Object.entries(sample.labels ?? {})
        .map(([key, value]) => `${key}="${value}"`)
        .join(',');
      return `${sample.name}${labels ? `{${labels}}` : ''} ${sample.value}`;
    })
    .sort();
}
