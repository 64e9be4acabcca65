import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  CAN_PIN,
  cpuMs,
  rssBytes,
  startScript,
  startTargetServer,
  type Child,
} from './support/processes.js';
import { fixed, printTable } from './support/table.js';

/**
 * Scheduled mode at scale (#19 item 4): the daemon with N HTTP targets (BENCH_TARGETS,
 * default 10,000 and 50,000) on one loopback server probes them ROUNDS times, collects
 * garbage, and then (a) its resident memory above the same daemon with BASE targets, per
 * target, and (b) the CPU of one `GET /metrics`, from /proc, over SCRAPES scrapes. The peer
 * is prom-client holding the same per-target series (parsed from the daemon's `/metrics`)
 * in its own process behind a plain Node HTTP server, measured the same way against its own
 * BASE-target baseline. RUNS runs, each printed, then the goals per run. Printed, never
 * asserted.
 */
const SIZES = (process.env.BENCH_TARGETS ?? '10000,50000').split(',').map(Number);
const BASE = Number(process.env.BENCH_BASE_TARGETS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SCRAPES = Number(process.env.BENCH_SCRAPES ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CONCURRENCY = 512; // scheduler default
const GOAL_SCRAPE_MS = 20;
const GOAL_SCRAPE_AT = 10_000;
const GOAL_BYTES = 2048;
/** Start-up, rounds and scrapes of 50,000 targets on a loaded 2-core machine stay well under this. */
const CHILD_TIMEOUT_MS = 180_000;

interface Footprint {
  readonly rss: number;
  readonly heapUsed: number;
  /** CPU ms and wall ms per `GET /metrics`; NaN when not scraped. */
  readonly scrapeCpuMs: number;
  readonly scrapeWallMs: number;
}

interface Measured {
  readonly ours: Footprint;
  readonly peer: Footprint;
  readonly series: number;
}

function configYaml(port: number, targets: number): string {
  // Cron never fires (hourly, and the scheduler is off): the child drives its rounds.
  return stringify({
    scheduler: {
      enabled: false,
      default_schedule: '0 0 * * * *',
      max_concurrent_probes: CONCURRENCY,
    },
    modules: { http_2xx: { prober: 'http', timeout: '5s' } },
    layers: [
      {
        layer: '1',
        name: 'bench',
        targets: Array.from({ length: targets }, (_, i) => ({
          name: `t${i}`,
          target: `http://127.0.0.1:${port}/t/${i}`,
          module: 'http_2xx',
        })),
      },
    ],
  });
}

/** One warm-up scrape (its text is returned), then SCRAPES timed ones. */
async function scrape(
  url: string,
  pid: number,
  timed: boolean,
): Promise<{ text: string; cpuMs: number; wallMs: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  if (!timed) return { text, cpuMs: NaN, wallMs: NaN };
  const cpu0 = cpuMs(pid);
  const started = performance.now();
  for (let i = 0; i < SCRAPES; i += 1) await (await fetch(`${url}/metrics`)).text();
  const wallMs = (performance.now() - started) / SCRAPES;
  return { text, cpuMs: (cpuMs(pid) - cpu0) / SCRAPES, wallMs };
}

/** Starts a footprint child, waits until it has settled, reads its RSS, scrapes it, stops it. */
async function footprint(
  script: string,
  args: readonly string[],
  expected: number,
  timed: boolean,
): Promise<Footprint & { text: string; series: number | undefined }> {
  const child = startScript(script, args, 0, ['--expose-gc']);
  try {
    const ready = await child.nextMessage<{ url: string; heapUsed: number; series?: number }>(
      CHILD_TIMEOUT_MS,
    );
    const rss = rssBytes(child.pid);
    const {
      text,
      cpuMs: scrapeCpuMs,
      wallMs: scrapeWallMs,
    } = await scrape(ready.url, child.pid, timed);
    const up = text.match(/^probe_success\{.*\} 1$/gm)?.length ?? 0;
    if (up !== expected) throw new Error(`${script}: ${up} of ${expected} targets are up`);
    return { rss, heapUsed: ready.heapUsed, scrapeCpuMs, scrapeWallMs, text, series: ready.series };
  } finally {
    await child.stop();
  }
}

/** The daemon with `targets`, then the peer holding what its `/metrics` showed. */
async function measure(dir: string, port: number, targets: number): Promise<Measured> {
  const configFile = join(dir, `probes-${targets}.yml`);
  await writeFile(configFile, configYaml(port, targets));
  const timed = targets !== BASE;
  const ours = await footprint('footprint-daemon.ts', [configFile, String(ROUNDS)], targets, timed);
  const exposition = join(dir, `metrics-${targets}.txt`);
  await writeFile(exposition, ours.text);
  const peer = await footprint('prom-footprint.ts', [exposition], targets, timed);
  return { ours, peer, series: peer.series ?? 0 };
}

const MiB = (bytes: number): string => fixed(bytes / 2 ** 20, 1);

interface RunResult {
  readonly base: Measured;
  readonly sizes: readonly (Measured & { targets: number })[];
}

const perTarget = (m: Measured, base: Measured, targets: number, side: 'ours' | 'peer'): number =>
  (m[side].rss - base[side].rss) / (targets - BASE);

function printRun(index: number, r: RunResult): void {
  console.log(`run ${index + 1} of ${RUNS} (load average ${fixed(loadavg()[0] ?? NaN, 1)})`);
  const rows: string[][] = [];
  for (const side of ['ours', 'peer'] as const) {
    const name = side === 'ours' ? 'layerwatch daemon' : 'prom-client registry';
    rows.push([name, String(BASE), MiB(r.base[side].rss), MiB(r.base[side].heapUsed), '', '', '']);
    for (const m of r.sizes) {
      rows.push([
        name,
        String(m.targets),
        MiB(m[side].rss),
        MiB(m[side].heapUsed),
        fixed(perTarget(m, r.base, m.targets, side), 0),
        fixed(m[side].scrapeCpuMs),
        fixed(m[side].scrapeWallMs),
      ]);
    }
  }
  printTable(
    [
      'process',
      'targets',
      'RSS MiB',
      'heap MiB',
      'RSS B/target',
      'CPU ms/scrape',
      'wall ms/scrape',
    ],
    rows,
  );
}

function verdicts(index: number, r: RunResult): string {
  const parts: string[] = [];
  for (const m of r.sizes) {
    const ours = perTarget(m, r.base, m.targets, 'ours');
    const peer = perTarget(m, r.base, m.targets, 'peer');
    parts.push(
      `${m.targets} targets ${fixed(ours, 0)} B/target (prom-client ${fixed(peer, 0)}) ${ours <= GOAL_BYTES ? 'met' : 'NOT met'}`,
    );
    if (m.targets === GOAL_SCRAPE_AT) {
      const met = m.ours.scrapeCpuMs <= GOAL_SCRAPE_MS ? 'met' : 'NOT met';
      parts.push(
        `/metrics ${fixed(m.ours.scrapeCpuMs)} ms CPU/scrape (prom-client ${fixed(m.peer.scrapeCpuMs)}) ${met}`,
      );
    }
  }
  return `run ${index + 1}: ${parts.join('; ')}`;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'layerwatch-bench-'));
  const children: Child[] = [];
  try {
    const target = await startTargetServer(1);
    children.push(target);
    console.log(
      `scheduled-footprint: ${SIZES.join(' and ')} HTTP targets on one server (baseline ${BASE}), ${ROUNDS} rounds, then RSS after GC and ${SCRAPES} scrapes; ${RUNS} runs; ${CAN_PIN ? 'measured processes pinned to CPU 0, target to CPU 1' : 'not pinned (no taskset)'}`,
    );
    const lines: string[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const base = await measure(dir, target.port, BASE);
      const sizes = [];
      for (const targets of SIZES)
        sizes.push({ ...(await measure(dir, target.port, targets)), targets });
      const run = { base, sizes };
      printRun(i, run);
      lines.push(verdicts(i, run));
    }
    console.log(
      `RESULT scheduled-footprint goals: ≤ ${GOAL_SCRAPE_MS} ms CPU per /metrics scrape at ${GOAL_SCRAPE_AT} targets, ≤ ${GOAL_BYTES} B RSS per target at ${SIZES.join(' and ')}`,
    );
    for (const line of lines) console.log(`RESULT scheduled-footprint ${line}`);
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
