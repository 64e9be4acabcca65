/**
 * Every query of every generated dashboard, sent to a real Prometheus (Debian's 2.42) that
 * runs alert-rules/generated rules and scrapes the probe daemon (1-second schedule) and the
 * layer simulator's services (their exporters' /metrics), every second. Every query must
 * parse; the core panels must return data. The GPU is a stand-in `nvidia-smi` script
 * printing a two-GPU capture, since this machine has none.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, GENERATED, packagePath, prometheusConfig } from '@layerwatch/alert-rules';
import { buildDashboards } from '@layerwatch/dashboards';
import { startPrometheus, type RunningPrometheus } from '@layerwatch/local';
import { startDaemon, type RunningDaemon } from '@layerwatch/probes';
import { startSimulator, type RunningSimulator } from '@layerwatch/sim';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownFixtures, writeFakeNvidiaSmi } from '../probes/test/support/fake-nvidia-smi.js';
import {
  dashboardQueries,
  instantQuery,
  type DashboardQuery,
} from './support/dashboard-queries.js';

const queries = dashboardQueries(buildDashboards());

/** Panels that must show data within seconds of the stack starting (`*`: a title prefix). */
const CORE_PANELS: readonly (readonly [dashboard: string, panel: string])[] = [
  ['System health', 'Layer up'],
  ['System health', 'Probed endpoints'],
  ['System health', 'Availability over the time range'],
  ['System health', 'Availability'],
  ['System health', 'Probe latency p95 by layer'],
  ['System health', 'Probe duration by endpoint'],
  ['System health', 'Probe daemon'],
  ['System health', 'Firing alerts by priority'],
  ['System health', 'Error budget remaining'],
  ['Layer 4', 'Request latency p95'],
  ['Layer 4', 'Requests within 500 ms'],
  ['Layer 4', 'Request rate by route'],
  ['Layer 4', 'Layer 4 endpoints'],
  ['Layer 5', 'Layer 5 endpoints'],
  ['Layer 7', 'Layer 7 endpoints'],
  ['GPU', 'GPU utilization'],
  ['GPU', 'GPU collector'],
  ['Telemetry', 'Ledger entries'],
  ['Telemetry', 'Checksum mismatches'],
  ['Telemetry', 'Readiness gate'],
  ['SLO overview', 'Error budget remaining'],
  ['SLO overview', 'Objectives'],
  ['SLO overview', 'Burn rate *'],
  ['SLO overview', 'Cross-layer latency p99'],
];

let root: string;
let sim: RunningSimulator | undefined;
let daemon: RunningDaemon | undefined;
let prometheus: RunningPrometheus | undefined;

const hostPort = (url: string): string => new URL(url).host;

async function probeConfig(dir: string, simulator: RunningSimulator): Promise<string> {
  const gpu = await writeFakeNvidiaSmi(dir, {
    kind: 'print',
    file: join(ownFixtures, 'two-gpus.csv'),
  });
  const s = simulator.services;
  const target = (name: string, url: string): string =>
    `      - { name: ${name}, target: '${url}', module: http_healthy }`;
  const file = join(dir, 'probes.yml');
  await writeFile(
    file,
    [
      'scheduler:',
      "  default_schedule: '* * * * * *'",
      'modules:',
      '  http_healthy: { prober: http, timeout: 2s, http: { valid_status_codes: [200] } }',
      'layers:',
      "  - layer: '4'\n    name: execution\n    targets:",
      target('agent', `${s.agent.url}/health`),
      target('scheduler', `${s.scheduler.url}/health`),
      "  - layer: '5'\n    name: refinement\n    targets:",
      target('refinement', `${s.refinement.url}/health`),
      target('models', `${s.refinement.url}/health/models`),
      "  - layer: '7'\n    name: evolution\n    targets:",
      target('evolution', `${s.evolution.url}/health`),
      'collectors:',
      `  gpu: { enabled: true, nvidia_smi_path: '${gpu.path}', interval: 1s, node: gpu-node-1 }`,
      '  checksums: { enabled: true, root: factory, interval: 1s }',
      '  readiness: { enabled: true, file: factory/logs/ops_readiness.json, interval: 1s }',
      '',
    ].join('\n'),
  );
  return file;
}

async function run(
  query: DashboardQuery,
): Promise<{ query: DashboardQuery; problem?: string; series: number }> {
  const result = await instantQuery(prometheus?.url ?? '', query.expr);
  const ok = result.httpStatus === 200 && result.status === 'success';
  return {
    query,
    series: result.series,
    ...(ok ? {} : { problem: `HTTP ${result.httpStatus}: ${result.error ?? result.status}` }),
  };
}

const matches = (q: DashboardQuery, [d, p]: readonly [string, string]): boolean =>
  q.dashboard.includes(d) && (p.endsWith('*') ? q.panel.startsWith(p.slice(0, -1)) : q.panel === p);
const isCore = (q: DashboardQuery): boolean => CORE_PANELS.some((core) => matches(q, core));

async function coreWithoutData(): Promise<string[]> {
  const core = queries.filter(isCore);
  const results = await Promise.all(core.map(run));
  const panels = new Map<string, number>();
  for (const r of results) {
    const key = `${r.query.dashboard} / ${r.query.panel}`;
    panels.set(key, (panels.get(key) ?? 0) + r.series);
  }
  return [...panels].filter(([, series]) => series === 0).map(([key]) => key);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'layerwatch-dashboards-'));
  const quiet = pino({ level: 'silent' });
  sim = await startSimulator({
    ports: { agent: 0, scheduler: 0, refinement: 0, evolution: 0 },
    factoryRoot: join(root, 'factory'),
    crossLayerIntervalMs: 250,
  });
  daemon = await startDaemon({
    configFile: await probeConfig(root, sim),
    listen: '127.0.0.1:0',
    logger: quiet,
  });
  const configFile = join(root, 'prometheus.yml');
  await writeFile(
    configFile,
    prometheusConfig(DEFAULT_CONFIG, {
      probes: [hostPort(daemon.url)],
      layers: Object.values(sim.services).map((s) => ({ target: hostPort(s.url), layer: s.layer })),
      alertmanagers: [],
      ruleFiles: [packagePath(GENERATED.rulesGlob)],
      scrapeInterval: '1s',
    }),
  );
  prometheus = await startPrometheus({ dataDir: join(root, 'prometheus'), configFile });
  // A few scrapes and rule evaluations: rates need two samples in their window.
  const deadline = Date.now() + 30_000;
  while ((await coreWithoutData()).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await daemon?.stop();
  await sim?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the dashboards against a real Prometheus', () => {
  it('cover every panel of the seven dashboards', () => {
    expect(new Set(queries.map((q) => q.dashboard)).size).toBe(7);
    expect(queries.length).toBeGreaterThan(70);
    expect(queries.every((q) => !q.expr.includes('$'))).toBe(true);
    const unknown = CORE_PANELS.filter((core) => !queries.some((q) => matches(q, core)));
    expect(unknown).toEqual([]);
  });

  it('send only queries that Prometheus parses and runs', async () => {
    const results = await Promise.all(queries.map(run));
    const failed = results
      .filter((r) => r.problem !== undefined)
      .map(
        (r) =>
          `${r.query.dashboard} / ${r.query.panel} / ${r.query.refId}: ${r.problem}\n  ${r.query.expr}`,
      );
    expect(failed.join('\n')).toBe('');
  });

  it('show data on the core panels after a few scrapes', async () => {
    expect(await coreWithoutData()).toEqual([]);
  });

  it('list the probed layers in the layer variable', async () => {
    const response = await fetch(
      `${prometheus?.url ?? ''}/api/v1/label/layer/values?match[]=${encodeURIComponent(`probe_success{${DEFAULT_CONFIG.selectors.probes}}`)}`,
    );
    const body = (await response.json()) as { data: string[] };
    expect(body.data).toEqual(['4', '5', '7']);
  });
});
