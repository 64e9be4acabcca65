import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { topSelfFrames } from './support/cpu-profile.js';
import { registryLike } from './support/metrics-peer.js';
import {
  CAN_PIN,
  cpuMs,
  startScript,
  startTargetServer,
  targetConnections,
  type Child,
} from './support/processes.js';
import { scheduledConfigYaml } from './support/scheduled-daemon.js';
import { fixed, printTable } from './support/table.js';

/**
 * Scheduled mode on one core: a daemon with TARGETS distinct HTTP targets probes them all,
 * round after round, for SECONDS; the peers are bare undici loops (one keep-alive Pool with
 * CONCURRENCY connections), one with `request()` + `body.dump()` and one with `dispatch()`
 * and a reused handler, against the same server at the same concurrency.
 * Then the cost of rendering `/metrics` with those results, against prom-client rendering
 * the same series. RUNS runs, each printed; then one more daemon run with the V8 profiler
 * on for its rounds, whose top self-time frames are printed. Printed, never asserted.
 */
const TARGETS = Number(process.env.BENCH_TARGETS ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 512); // scheduler default
const SCRAPES = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PROFILE_SECONDS = Number(process.env.BENCH_PROFILE_SECONDS ?? 10);
const PROFILE_FRAMES = 20;
/** `scheduler.worker_threads` values compared (BENCH_THREADS=0,1,2,4). */
const THREADS = (process.env.BENCH_THREADS ?? '0,1,2').split(',').map(Number);
const GOAL = 20_000;
/**
 * The daemon once more per run with V8's young generation raised (`--max-semi-space-size`,
 * MB; 0 skips it): at this rate the default scavenges often and copies every probe in
 * flight. A deployment choice (NODE_OPTIONS), not the default: it costs memory under load.
 */
const SEMI_SPACE_MB = Number(process.env.BENCH_SEMI_SPACE_MB ?? 64);

interface LoopResult {
  readonly probes: number;
  readonly wallS: number;
  readonly cpuS: number;
}

interface Measured extends LoopResult {
  /** Connections the target accepted during the measured rounds. */
  readonly connections: number;
}

/** Waits for a child's warm-up, then its result, counting the target's new connections. */
async function measureLoop(child: Child, targetPort: number): Promise<Measured> {
  await child.nextMessage<{ warm: true }>((SECONDS + 60) * 1000);
  const before = await targetConnections(targetPort);
  const result = await child.nextMessage<LoopResult & { ok?: number }>((SECONDS + 60) * 1000);
  if (result.ok !== undefined && result.ok !== result.probes) {
    throw new Error(`peer: ${result.probes - result.ok} requests failed`);
  }
  return { ...result, connections: (await targetConnections(targetPort)) - before - 1 };
}

function row(name: string, r: Measured): string[] {
  return [
    name,
    fixed(r.probes / r.wallS, 0),
    fixed(r.probes / r.cpuS, 0),
    fixed((r.cpuS * 1000) / r.probes, 4),
    fixed((r.connections * 1000) / r.probes, 1),
  ];
}

function configYaml(port: number, workerThreads = 0): string {
  return scheduledConfigYaml({ port, targets: TARGETS, concurrency: CONCURRENCY, workerThreads });
}

async function scrapeCost(
  url: string,
  pid: number,
): Promise<{ text: string; wallMs: number; cpuMs: number }> {
  let text = await (await fetch(`${url}/metrics`)).text(); // warm-up
  const cpu0 = cpuMs(pid);
  const started = performance.now();
  for (let i = 0; i < SCRAPES; i += 1) text = await (await fetch(`${url}/metrics`)).text();
  const wallMs = (performance.now() - started) / SCRAPES;
  return { text, wallMs, cpuMs: (cpuMs(pid) - cpu0) / SCRAPES };
}

async function promClientCost(
  text: string,
): Promise<{ series: number; wallMs: number; cpuMs: number }> {
  const { registry, series } = registryLike(text, (line) => line.includes('layer="1"'));
  await registry.metrics(); // warm-up
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < SCRAPES; i += 1) await registry.metrics();
  const used = process.cpuUsage(cpu);
  return {
    series,
    wallMs: (performance.now() - started) / SCRAPES,
    cpuMs: (used.user + used.system) / 1000 / SCRAPES,
  };
}

type PeerMode = 'request' | 'dispatch';

interface RunResult {
  readonly ours: Measured;
  /** `pool.request()` + `body.dump()`. */
  readonly peer: Measured;
  /** `pool.dispatch()` with a reused handler: no promise, no body stream. */
  readonly dispatchPeer: Measured;
  readonly scrape: { wallMs: number; cpuMs: number };
  readonly rendered: { series: number; wallMs: number; cpuMs: number };
  readonly lines: number;
  /** Ours with the young generation raised (SEMI_SPACE_MB); absent when skipped. */
  readonly tuned: Measured | undefined;
}

/** The daemon's rounds, on CPU 0 unless `cpu` says otherwise (undefined: not pinned). */
async function daemonRun(
  configFile: string,
  targetPort: number,
  cpu: number | undefined = 0,
  nodeArgs: readonly string[] = [],
) {
  const daemon = startScript(
    'daemon-child.ts',
    [configFile, 'scheduled', String(SECONDS), String(TARGETS)],
    cpu,
    nodeArgs,
  );
  try {
    const { url } = await daemon.nextMessage<{ url: string }>();
    const ours = await measureLoop(daemon, targetPort);
    const scrape = await scrapeCost(url, daemon.pid);
    const up = scrape.text.match(/^probe_success\{.*\} 1$/gm)?.length ?? 0;
    if (up !== TARGETS) throw new Error(`only ${up} of ${TARGETS} targets are up after the run`);
    return { ours, scrape };
  } finally {
    await daemon.stop();
  }
}

/** The bare undici loop in one mode (`request` or `dispatch`), in its own process. */
async function peerRun(targetPort: number, mode: PeerMode): Promise<Measured> {
  const peerChild = startScript(
    'undici-peer.ts',
    [String(targetPort), String(TARGETS), String(CONCURRENCY), String(SECONDS), mode],
    0,
  );
  try {
    return await measureLoop(peerChild, targetPort);
  } finally {
    await peerChild.stop();
  }
}

async function oneRun(configFile: string, targetPort: number): Promise<RunResult> {
  const { ours, scrape } = await daemonRun(configFile, targetPort);
  const lines = scrape.text.split('\n').filter((l) => l && !l.startsWith('#')).length;
  const peer = await peerRun(targetPort, 'request');
  const dispatchPeer = await peerRun(targetPort, 'dispatch');
  const rendered = await promClientCost(scrape.text);
  const tuned = SEMI_SPACE_MB
    ? (await daemonRun(configFile, targetPort, 0, [`--max-semi-space-size=${SEMI_SPACE_MB}`])).ours
    : undefined;
  return { ours, peer, dispatchPeer, scrape, rendered, lines, tuned };
}

function printRun(index: number, r: RunResult): void {
  console.log(`run ${index + 1} of ${RUNS}`);
  printTable(
    ['prober', 'probes/s', 'probes/CPU-s', 'CPU ms/probe', 'new conns/1k probes'],
    [
      row('layerwatch scheduler', r.ours),
      row('bare undici Pool request()', r.peer),
      row('bare undici Pool dispatch()', r.dispatchPeer),
      ...(r.tuned ? [row(`layerwatch, semi-space ${SEMI_SPACE_MB} MB`, r.tuned)] : []),
    ],
  );
  console.log(
    `/metrics with ${TARGETS} targets (${r.lines} sample lines), ${SCRAPES} scrapes; peer: prom-client registry.metrics() of the same ${r.rendered.series} per-target series`,
  );
  printTable(
    // Ours: the daemon's CPU from /proc (server side); wall includes this process fetching
    // and reading the body. prom-client: in this process, rendering only.
    ['renderer', 'wall ms/scrape', 'CPU ms/scrape'],
    [
      ['layerwatch GET /metrics', fixed(r.scrape.wallMs), fixed(r.scrape.cpuMs)],
      ['prom-client metrics()', fixed(r.rendered.wallMs), fixed(r.rendered.cpuMs)],
    ],
  );
  const perCpu = r.ours.probes / r.ours.cpuS;
  const peerPerCpu = r.peer.probes / r.peer.cpuS;
  const dispatchPerCpu = r.dispatchPeer.probes / r.dispatchPeer.cpuS;
  console.log(
    `RESULT scheduled run ${index + 1}: ours ${fixed(perCpu, 0)} probes/CPU-s (${fixed(r.ours.probes / r.ours.wallS, 0)} probes/s); bare undici request() ${fixed(peerPerCpu, 0)} probes/CPU-s, ratio ${fixed(perCpu / peerPerCpu, 2)}x; bare undici dispatch() ${fixed(dispatchPerCpu, 0)}, ratio ${fixed(perCpu / dispatchPerCpu, 2)}x (goals ≥ 0.9x and ≥ ${GOAL} probes/CPU-s)${r.tuned ? `; with --max-semi-space-size=${SEMI_SPACE_MB} ${fixed(r.tuned.probes / r.tuned.cpuS, 0)} probes/CPU-s, ratio ${fixed(r.tuned.probes / r.tuned.cpuS / peerPerCpu, 2)}x / ${fixed(r.tuned.probes / r.tuned.cpuS / dispatchPerCpu, 2)}x` : ''}; /metrics ${fixed(r.scrape.cpuMs)} ms CPU/scrape vs prom-client ${fixed(r.rendered.cpuMs)} ms (ratio ${fixed(r.rendered.cpuMs / r.scrape.cpuMs, 1)}x)`,
  );
}

/** One more daemon run with the V8 profiler on for its rounds; prints its top frames. */
async function profileRun(dir: string, configFile: string): Promise<void> {
  const profileDir = join(dir, 'profile');
  await mkdir(profileDir);
  const daemon = startScript(
    'daemon-child.ts',
    [
      configFile,
      'scheduled',
      String(PROFILE_SECONDS),
      String(TARGETS),
      join(profileDir, 'rounds.cpuprofile'),
    ],
    0,
  );
  try {
    await daemon.nextMessage<{ url: string }>();
    await daemon.nextMessage<{ warm: true }>((PROFILE_SECONDS + 60) * 1000);
    await daemon.nextMessage<LoopResult>((PROFILE_SECONDS + 60) * 1000);
  } finally {
    await daemon.stop();
  }
  // BENCH_PROFILE_OUT=file keeps the profile (for Chrome DevTools or speedscope).
  const keep = process.env.BENCH_PROFILE_OUT;
  if (keep) await copyFile(join(profileDir, 'rounds.cpuprofile'), keep);
  const frames = await topSelfFrames(profileDir, PROFILE_FRAMES);
  console.log(
    `profile: the daemon's ${PROFILE_SECONDS}s of rounds under the V8 profiler (start-up and warm-up left out), top ${PROFILE_FRAMES} functions by self time, % of busy samples`,
  );
  printTable(
    ['self %', 'function', 'where'],
    frames.map((f) => [fixed(f.selfPercent, 1), f.name, f.where]),
  );
}

/**
 * Item 3 of the plan: the same rounds with the probes in 0 (this thread), 1, 2 … worker
 * threads, the daemon not pinned, so the threads can spread over the cores the machine has.
 */
async function threadsRun(dir: string, targetPort: number): Promise<void> {
  const counts = THREADS.filter((n) => Number.isInteger(n) && n >= 0);
  const rows: string[][] = [];
  let base: Measured | undefined;
  const gains: string[] = [];
  for (const threads of counts) {
    const file = join(dir, `probes-${threads}-threads.yml`);
    await writeFile(file, configYaml(targetPort, threads));
    const { ours } = await daemonRun(file, targetPort, undefined);
    base ??= ours;
    const gain = ours.probes / ours.wallS / (base.probes / base.wallS);
    rows.push([
      threads === 0 ? 'main thread' : `${threads} worker thread${threads > 1 ? 's' : ''}`,
      fixed(ours.probes / ours.wallS, 0),
      fixed(ours.probes / ours.cpuS, 0),
      fixed(ours.cpuS / ours.wallS, 2),
      `${fixed(gain, 2)}x`,
    ]);
    gains.push(`${threads}: ${fixed(ours.probes / ours.wallS, 0)}/s (${fixed(gain, 2)}x)`);
  }
  console.log(
    `worker threads: the daemon not pinned, ${availableParallelism()} CPUs here, the target server on CPU 1; probes/s against the main-thread daemon`,
  );
  printTable(['probes run in', 'probes/s', 'probes/CPU-s', 'CPUs busy', 'probes/s gain'], rows);
  console.log(`RESULT scheduled worker threads: ${gains.join(', ')}`);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'layerwatch-bench-'));
  const children: Child[] = [];
  try {
    // One core each when the machine allows: the prober on CPU 0, the target on CPU 1.
    const target = await startTargetServer(1);
    children.push(target);
    const configFile = join(dir, 'probes.yml');
    await writeFile(configFile, configYaml(target.port));
    console.log(
      `scheduled: ${TARGETS} HTTP targets on one server, concurrency ${CONCURRENCY}, ${SECONDS}s of rounds, ${RUNS} runs, ${CAN_PIN ? 'prober pinned to CPU 0, target to CPU 1' : 'not pinned (no taskset)'}`,
    );
    const ratios: string[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const r = await oneRun(configFile, target.port);
      printRun(i, r);
      const perCpu = r.ours.probes / r.ours.cpuS;
      ratios.push(
        `${fixed(perCpu / (r.peer.probes / r.peer.cpuS), 2)}x / ${fixed(perCpu / (r.dispatchPeer.probes / r.dispatchPeer.cpuS), 2)}x (${fixed(perCpu, 0)})`,
      );
    }
    console.log(
      `RESULT scheduled: ratio to bare undici request() / dispatch() (ours probes/CPU-s) per run: ${ratios.join(', ')}`,
    );
    await threadsRun(dir, target.port);
    await profileRun(dir, configFile);
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
