import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CAN_PIN,
  cpuMs,
  rssBytes,
  startScript,
  startTargetServer,
  targetConnections,
  type Child,
} from './support/processes.js';
import { scheduledConfigYaml } from './support/scheduled-daemon.js';
import { fixed, printTable } from './support/table.js';

/**
 * Scheduled mode at scale (#19 item 4): the daemon with N HTTP targets (BENCH_TARGETS,
 * default 10,000 and 50,000) on one loopback server probes them ROUNDS times, settles as an
 * idle daemon (two full collections, then idle until V8 has shrunk its young generation, at
 * most BENCH_IDLE_MS; support/scheduled-daemon.ts `settleIdle`), and then (a) its resident
 * memory above the same daemon with BASE targets, per target, both right after the rounds
 * and idle, and (b) the CPU of one `GET /metrics`, from /proc, over SCRAPES scrapes. BASE
 * defaults to the scheduler's concurrency, so the baseline holds as many keep-alive
 * connections to the target as the measured daemon (each daemon's count is printed). The
 * peer is prom-client holding the same per-target series (parsed from the daemon's
 * `/metrics`) in its own process behind a plain Node HTTP server, settled and measured the
 * same way against its own BASE-target baseline. RUNS runs, each printed, then the goals
 * per run (on the idle RSS; the figure right after the rounds beside it). Printed, never
 * asserted.
 */
const SIZES = (process.env.BENCH_TARGETS ?? '10000,50000').split(',').map(Number);
const CONCURRENCY = 512; // scheduler default
const BASE = Number(process.env.BENCH_BASE_TARGETS ?? CONCURRENCY);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SCRAPES = Number(process.env.BENCH_SCRAPES ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GOAL_SCRAPE_MS = 20;
const GOAL_SCRAPE_AT = 10_000;
const GOAL_BYTES = 2048;
/** Start-up, rounds and scrapes of 50,000 targets on a loaded 2-core machine stay well under this. */
const CHILD_TIMEOUT_MS = 180_000;
/** The longest a child idles before it reports (`settleIdle`'s BENCH_IDLE_MS), with margin. */
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 20_000);
const IDLE_TIMEOUT_MS = IDLE_MS + 5_000;

interface Footprint {
  /** RSS once settled as an idle process (what the goal is judged on). */
  readonly rss: number;
  /** RSS right after the work and two full collections, before the idle wait. */
  readonly busyRss: number;
  readonly heapUsed: number;
  /** How long it sat idle, and whether V8 shrank its young generation meanwhile. */
  readonly idleMs: number;
  readonly shrank: boolean;
  /** Connections the target server accepted from it (NaN for the peer, which probes nothing). */
  readonly connections: number;
  /** CPU ms and wall ms per `GET /metrics`; NaN when not scraped. */
  readonly scrapeCpuMs: number;
  readonly scrapeWallMs: number;
}

interface Measured {
  readonly ours: Footprint;
  readonly peer: Footprint;
  readonly series: number;
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

interface Ready {
  readonly url: string;
  readonly heapUsed: number;
  readonly busyRss: number;
  readonly idleMs: number;
  readonly shrank: boolean;
  readonly series?: number;
}

/**
 * Starts a footprint child, waits until it has settled, reads its RSS, scrapes it, stops it;
 * with `targetPort`, counts the connections the target server accepted meanwhile.
 */
async function footprint(
  script: string,
  args: readonly string[],
  expected: number,
  timed: boolean,
  targetPort?: number,
): Promise<Footprint & { text: string; series: number | undefined }> {
  const before = targetPort === undefined ? NaN : await targetConnections(targetPort);
  const child = startScript(script, args, 0, ['--expose-gc']);
  try {
    const ready = await child.nextMessage<Ready>(CHILD_TIMEOUT_MS + IDLE_TIMEOUT_MS);
    const rss = rssBytes(child.pid);
    const connections =
      targetPort === undefined ? NaN : (await targetConnections(targetPort)) - before - 1;
    const {
      text,
      cpuMs: scrapeCpuMs,
      wallMs: scrapeWallMs,
    } = await scrape(ready.url, child.pid, timed);
    const up = text.match(/^probe_success\{.*\} 1$/gm)?.length ?? 0;
    if (up !== expected) throw new Error(`${script}: ${up} of ${expected} targets are up`);
    return {
      rss,
      busyRss: ready.busyRss,
      heapUsed: ready.heapUsed,
      idleMs: ready.idleMs,
      shrank: ready.shrank,
      connections,
      scrapeCpuMs,
      scrapeWallMs,
      text,
      series: ready.series,
    };
  } finally {
    await child.stop();
  }
}

/** The daemon with `targets`, then the peer holding what its `/metrics` showed. */
async function measure(dir: string, port: number, targets: number): Promise<Measured> {
  const configFile = join(dir, `probes-${targets}.yml`);
  await writeFile(configFile, scheduledConfigYaml({ port, targets, concurrency: CONCURRENCY }));
  const timed = targets !== BASE;
  const args = [configFile, String(ROUNDS)];
  const ours = await footprint('footprint-daemon.ts', args, targets, timed, port);
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

type Side = 'ours' | 'peer';
type Figure = 'rss' | 'busyRss' | 'heapUsed';

/** Bytes per target above the BASE-target baseline: idle RSS unless `figure` says otherwise. */
const perTarget = (
  m: Measured,
  base: Measured,
  targets: number,
  side: Side,
  figure: Figure = 'rss',
) => (m[side][figure] - base[side][figure]) / (targets - BASE);

function printRun(index: number, r: RunResult): void {
  console.log(`run ${index + 1} of ${RUNS} (load average ${fixed(loadavg()[0] ?? NaN, 1)})`);
  const rows: string[][] = [];
  const idle = (f: Footprint): string => `${fixed(f.idleMs / 1000, 1)}${f.shrank ? '' : '*'}`;
  const conns = (f: Footprint): string =>
    Number.isNaN(f.connections) ? '' : String(f.connections);
  for (const side of ['ours', 'peer'] as const) {
    const name = side === 'ours' ? 'layerwatch daemon' : 'prom-client registry';
    const b = r.base[side];
    rows.push([name, String(BASE), conns(b), MiB(b.busyRss), MiB(b.rss), MiB(b.heapUsed), idle(b)]);
    for (const m of r.sizes) {
      const f = m[side];
      rows.push([
        name,
        String(m.targets),
        conns(f),
        MiB(f.busyRss),
        MiB(f.rss),
        MiB(f.heapUsed),
        idle(f),
        fixed(perTarget(m, r.base, m.targets, side, 'busyRss'), 0),
        fixed(perTarget(m, r.base, m.targets, side), 0),
        fixed(perTarget(m, r.base, m.targets, side, 'heapUsed'), 0),
        fixed(f.scrapeCpuMs),
        fixed(f.scrapeWallMs),
      ]);
    }
  }
  printTable(
    [
      'process',
      'targets',
      'conns',
      'RSS MiB after rounds',
      'RSS MiB idle',
      'heap MiB',
      'idle s',
      'RSS B/target after rounds',
      'RSS B/target idle',
      'heap B/target',
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
    const busy = perTarget(m, r.base, m.targets, 'ours', 'busyRss');
    parts.push(
      `${m.targets} targets ${fixed(ours, 0)} B/target idle (prom-client ${fixed(peer, 0)}; ours right after the rounds ${fixed(busy, 0)}) ${ours <= GOAL_BYTES ? 'met' : 'NOT met'}`,
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
      `scheduled-footprint: ${SIZES.join(' and ')} HTTP targets on one server (baseline ${BASE}, concurrency ${CONCURRENCY}), ${ROUNDS} rounds, then RSS after GC and after idling (until V8 shrank its young generation, at most ${IDLE_MS / 1000} s; * where it did not), and ${SCRAPES} scrapes; ${RUNS} runs; ${CAN_PIN ? 'measured processes pinned to CPU 0, target to CPU 1' : 'not pinned (no taskset)'}`,
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
