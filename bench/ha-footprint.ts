import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { globalPrometheusDir, HA_TOPOLOGY } from '@layerwatch/stack';
import { cycle, emptyOutcome, startLoopStack, type CycleOutcome } from './support/ha-loop.js';
import { fixed, printTable } from './support/table.js';

/**
 * What the HA stack costs to keep, for docs/scale-out.md: the HA stack at the production
 * scrape interval (FOOTPRINT_INTERVAL, default 15 s) runs the fault → page → rollback loop
 * every FAULT_EVERY_S for FOOTPRINT_MINUTES (default 60). Every REPORT_EVERY_MIN it prints
 * the global receiver's series, samples and TSDB size on disk (WAL, head chunks, blocks:
 * Debian's Prometheus 2.42 has no WAL size metric, so the folder is measured), and at the
 * end the series each scrape target brings. Printed, never asserted.
 */
const MINUTES = Number(process.env.FOOTPRINT_MINUTES ?? 60);
const INTERVAL_S = Number(process.env.FOOTPRINT_INTERVAL ?? 15);
const FAULT_EVERY_S = Number(process.env.FAULT_EVERY_S ?? 300);
const REPORT_EVERY_MIN = Number(process.env.REPORT_EVERY_MIN ?? 10);

interface Look {
  readonly minute: number;
  readonly series: number;
  readonly samples: number;
  readonly diskBytes: number;
  readonly rssBytes: number;
}

type Sample = { metric: Record<string, string>; value: [number, string] };

async function query(url: string, expr: string): Promise<Sample[]> {
  const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return ((await response.json()) as { data: { result: Sample[] } }).data.result;
}

/** Bytes of every file below `dir`. */
async function bytesBelow(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  const sizes = await Promise.all(
    files.map(async (f) => (await stat(f).catch(() => null))?.size ?? 0),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

/** One family's value in a Prometheus's own /metrics, summed over its label sets. */
function family(text: string, name: string): number {
  const lines = text
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return lines.length === 0 ? NaN : lines.reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

async function look(url: string, dataDir: string, minute: number): Promise<Look> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return {
    minute,
    series: family(text, 'prometheus_tsdb_head_series'),
    samples: family(text, 'prometheus_tsdb_head_samples_appended_total'),
    diskBytes: await bytesBelow(dataDir),
    rssBytes: family(text, 'process_resident_memory_bytes'),
  };
}

const row = (l: Look): string[] => [
  String(l.minute),
  String(l.series),
  fixed(l.samples / l.series, 0),
  fixed(l.diskBytes / 1024 / 1024, 2),
  fixed(l.diskBytes / l.series, 0),
  fixed(l.diskBytes / l.samples, 2),
  fixed(l.rssBytes / 1024 / 1024, 0),
];

/** Series per scrape target, by job, on the replica that writes to the global. */
async function seriesPerTarget(replicaUrl: string): Promise<string[][]> {
  const by = (fn: string) => query(replicaUrl, `${fn} by (job) (scrape_samples_scraped)`);
  const [avg, max, count] = await Promise.all([by('avg'), by('max'), by('count')]);
  const of = (rows: Sample[], job: string | undefined) =>
    rows.find((r) => r.metric.job === job)?.value[1] ?? 'n/a';
  return avg.map(({ metric, value }) => [
    metric.job ?? '',
    of(count, metric.job),
    fixed(Number(value[1]), 0),
    of(max, metric.job),
  ]);
}

const stack = await startLoopStack('footprint', { ha: {}, intervalSeconds: INTERVAL_S });
const globalUrl = stack.running.state.prometheus!.url;
const dataDir = join(globalPrometheusDir(stack.dir), 'data');
const outcome: CycleOutcome = emptyOutcome('HA');
const looks: Look[] = [];
try {
  const started = Date.now();
  const minute = () => Math.round((Date.now() - started) / 60_000);
  let nextReport = started + REPORT_EVERY_MIN * 60_000;
  let nextFault = started;
  while (Date.now() < started + MINUTES * 60_000) {
    if (Date.now() >= nextFault) {
      nextFault = Date.now() + FAULT_EVERY_S * 1000;
      await cycle(stack, outcome);
    }
    if (Date.now() >= nextReport) {
      nextReport += REPORT_EVERY_MIN * 60_000;
      looks.push(await look(globalUrl, dataDir, minute()));
      console.log(`  ${row(looks.at(-1)!).join('  ')}`);
    }
    await sleep(1000);
  }
  const last = await look(globalUrl, dataDir, minute());
  printTable(
    ['minute', 'series', 'samples/series', 'disk MiB', 'B/series', 'B/sample', 'RSS MiB'],
    [...looks, last].map(row),
  );
  const writer = stack.running.state.prometheusReplicas![HA_TOPOLOGY.remoteWriter]!;
  const perTarget = await seriesPerTarget(writer.url);
  printTable(['job', 'targets', 'series/target', 'max'], perTarget);
  console.log(
    `RESULT ha-footprint: ${MINUTES} min at ${INTERVAL_S} s scrapes, ${outcome.toPageMs.length} fault cycles (${outcome.failedCycles} failed, ${outcome.duplicateActions} duplicate actions); global receiver ${last.series} series, ${fixed(last.diskBytes / last.series, 0)} B/series and ${fixed(last.diskBytes / last.samples, 2)} B/sample on disk, ${fixed(last.rssBytes / 1024 / 1024, 0)} MiB resident; series per target: ${perTarget.map((r) => `${r[0]} ${r[2]}`).join(', ')}`,
  );
} finally {
  await stack.stop();
}
