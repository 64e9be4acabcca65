import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { registryLike } from './support/metrics-peer.js';
import {
  CAN_PIN,
  cpuMs,
  startScript,
  startTargetServer,
  targetConnections,
  type Child,
} from './support/processes.js';
import { fixed, printTable } from './support/table.js';

/**
 * Scheduled mode on one core: a daemon with TARGETS distinct HTTP targets probes them all,
 * round after round, for SECONDS; the peer is a bare `undici.request` loop with keep-alive
 * against the same server at the same concurrency. Then the cost of rendering `/metrics`
 * with those results, against prom-client rendering the same series. Printed, never asserted.
 */
const TARGETS = Number(process.env.BENCH_TARGETS ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 512); // scheduler default
const SCRAPES = 20;
const GOAL = 20_000;

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

function configYaml(port: number): string {
  // Cron never fires during the run (hourly, and the scheduler is off): the bench drives
  // the rounds itself through probeScheduledTargets().
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
        targets: Array.from({ length: TARGETS }, (_, i) => ({
          name: `t${i}`,
          target: `http://127.0.0.1:${port}/t/${i}`,
          module: 'http_2xx',
        })),
      },
    ],
  });
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

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'layerwatch-bench-'));
  const children: Child[] = [];
  try {
    // One core each when the machine allows: the prober on CPU 0, the target on CPU 1.
    const target = await startTargetServer(1);
    children.push(target);
    const configFile = join(dir, 'probes.yml');
    await writeFile(configFile, configYaml(target.port));

    const daemon = startScript(
      'daemon-child.ts',
      [configFile, 'scheduled', String(SECONDS), String(TARGETS)],
      0,
    );
    children.push(daemon);
    const { url } = await daemon.nextMessage<{ url: string }>();
    const ours = await measureLoop(daemon, target.port);
    const scrape = await scrapeCost(url, daemon.pid);
    const up = scrape.text.match(/^probe_success\{.*\} 1$/gm)?.length ?? 0;
    if (up !== TARGETS) throw new Error(`only ${up} of ${TARGETS} targets are up after the run`);
    const lines = scrape.text.split('\n').filter((l) => l && !l.startsWith('#')).length;
    await daemon.stop();

    const peerChild = startScript(
      'undici-peer.ts',
      [String(target.port), String(TARGETS), String(CONCURRENCY), String(SECONDS)],
      0,
    );
    children.push(peerChild);
    const peer = await measureLoop(peerChild, target.port);
    const rendered = await promClientCost(scrape.text);

    console.log(
      `scheduled: ${TARGETS} HTTP targets on one server, concurrency ${CONCURRENCY}, ${SECONDS}s of rounds, ${CAN_PIN ? 'prober pinned to CPU 0, target to CPU 1' : 'not pinned (no taskset)'}`,
    );
    printTable(
      ['prober', 'probes/s', 'probes/CPU-s', 'CPU ms/probe', 'new conns/1k probes'],
      [row('layerwatch scheduler', ours), row('bare undici.request', peer)],
    );
    console.log(
      `/metrics with ${TARGETS} targets (${lines} sample lines), ${SCRAPES} scrapes; peer: prom-client registry.metrics() of the same ${rendered.series} per-target series`,
    );
    printTable(
      // Ours: the daemon's CPU from /proc (server side); wall includes this process fetching
      // and reading the body. prom-client: in this process, rendering only.
      ['renderer', 'wall ms/scrape', 'CPU ms/scrape'],
      [
        ['layerwatch GET /metrics', fixed(scrape.wallMs), fixed(scrape.cpuMs)],
        ['prom-client metrics()', fixed(rendered.wallMs), fixed(rendered.cpuMs)],
      ],
    );
    const perCpu = ours.probes / ours.cpuS;
    const peerPerCpu = peer.probes / peer.cpuS;
    console.log(
      `RESULT scheduled: ours ${fixed(perCpu, 0)} probes/CPU-s (${fixed(ours.probes / ours.wallS, 0)} probes/s), bare undici ${fixed(peerPerCpu, 0)} probes/CPU-s, ratio ${fixed(perCpu / peerPerCpu, 2)}x (goal ≥ ${GOAL} probes/CPU-s); /metrics ${fixed(scrape.cpuMs)} ms CPU/scrape vs prom-client ${fixed(rendered.cpuMs)} ms (ratio ${fixed(rendered.cpuMs / scrape.cpuMs, 1)}x)`,
    );
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
