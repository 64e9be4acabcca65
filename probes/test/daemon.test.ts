import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FREE_SIM_PORTS, type RunningSimulator, startSimulator } from '@layerwatch/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDaemon } from '../src/server/daemon.js';
import { startTestDaemon } from './support/daemon.js';
import { promtoolCheckMetrics } from './support/promtool.js';

let sim: RunningSimulator;
let daemon: RunningDaemon;
let dir: string;
let configFile: string;

function configYaml(sim: RunningSimulator, extraTarget = ''): string {
  const s = sim.services;
  return `
server:
  max_concurrent_probes: 2
  timeout_offset: 500ms
scheduler:
  default_schedule: '0 0 * * * *'
modules:
  http_healthy:
    prober: http
    timeout: 5s
    http:
      valid_status_codes: [200]
      json_assertions: ['$.status == "healthy"']
layers:
  - layer: '4'
    name: execution
    targets:
      - { name: agent, target: '${s.agent.url}/health', module: http_healthy }
      - { name: scheduler, target: '${s.scheduler.url}/health', module: http_healthy }
  - layer: '5'
    name: refinement
    targets:
      - { name: models, target: '${s.refinement.url}/health/models', module: http_healthy }
  - layer: '7'
    name: evolution
    targets:
      - { name: evolution, target: '${s.evolution.url}/health', module: http_healthy }
${extraTarget}`;
}

async function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${daemon.url}${path}`, { headers });
  return { status: response.status, text: await response.text() };
}

function metricValue(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  sim = await startSimulator({ ports: FREE_SIM_PORTS });
  dir = await mkdtemp(join(tmpdir(), 'layerwatch-daemon-'));
  ({ daemon, configFile } = await startTestDaemon(dir, configYaml(sim)));
});

afterAll(async () => {
  await daemon.stop();
  await sim.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('scheduled mode against the layer simulator', () => {
  it('shows every target up with layer, name, target and module labels', async () => {
    await daemon.probeScheduledTargets();
    const { text } = await get('/metrics');
    const agent = `probe_success{layer="4",name="agent",target="${sim.services.agent.url}/health",module="http_healthy"}`;
    expect(metricValue(text, agent)).toBe(1);
    expect(text.match(/^probe_success\{.*\} 1$/gm)).toHaveLength(4);
    expect(text).toContain(
      'layerwatch_layer_probe_duration_seconds_bucket{le="0.05",layer="4",module="http_healthy"}',
    );
  });

  it('shows a layer down after one probe once it fails, and up again after it recovers', async () => {
    sim.setFault('evolution', { mode: 'fail' });
    await daemon.probeScheduledTargets();
    const down = (await get('/metrics')).text;
    const series = `probe_success{layer="7",name="evolution",target="${sim.services.evolution.url}/health",module="http_healthy"}`;
    expect(metricValue(down, series)).toBe(0);
    expect(down).toMatch(
      /layerwatch_probe_failures_total\{module="http_healthy",prober="http",mode="scheduled",reason="status_code"\} [1-9]/,
    );
    sim.setFault('evolution', { mode: 'ok' });
    await daemon.probeScheduledTargets();
    expect(metricValue((await get('/metrics')).text, series)).toBe(1);
  });

  it('passes promtool check metrics', async () => {
    const { status, output } = promtoolCheckMetrics((await get('/metrics')).text);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('sends /metrics with the exposition content type and the length of its bytes', async () => {
    const response = await fetch(`${daemon.url}/metrics`);
    const body = Buffer.from(await response.arrayBuffer());
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(Number(response.headers.get('content-length'))).toBe(body.length);
    const text = body.toString('utf8');
    expect(text).toMatch(/^# HELP /);
    expect(text).toContain('\nlayerwatch_build_info{');
    expect(text.match(/^probe_success\{.*\} [01]$/gm)).toHaveLength(4);
  });

  it('answers concurrent scrapes with complete bodies while probes rewrite the results', async () => {
    const scrape = async (): Promise<string> => {
      const response = await fetch(`${daemon.url}/metrics`);
      const body = Buffer.from(await response.arrayBuffer());
      expect(Number(response.headers.get('content-length'))).toBe(body.length);
      return body.toString('utf8');
    };
    const [texts] = await Promise.all([
      Promise.all(Array.from({ length: 16 }, scrape)),
      daemon.probeScheduledTargets(),
      daemon.probeScheduledTargets(),
    ]);
    for (const text of texts) {
      expect(text.endsWith('\n')).toBe(true);
      // Every line is a comment or a whole sample: no torn or interleaved line.
      const bad = text
        .split('\n')
        .filter(
          (line) =>
            line && !/^(# (HELP|TYPE) .+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? \S+)$/.test(line),
        );
      expect(bad).toEqual([]);
      expect(text.match(/^probe_success\{.*\} 1$/gm)).toHaveLength(4);
    }
  });
});

describe('/probe endpoint', () => {
  it('answers blackbox_exporter series for a target and module', async () => {
    const { status, text } = await get(
      `/probe?module=http_healthy&target=${encodeURIComponent(`${sim.services.agent.url}/health`)}`,
    );
    expect(status).toBe(200);
    expect(metricValue(text, 'probe_success')).toBe(1);
    expect(metricValue(text, 'probe_http_status_code')).toBe(200);
    expect(text).toContain('probe_http_duration_seconds{phase="processing"}');
    expect(promtoolCheckMetrics(text).output).toBe('');
  });

  it('returns the probe log with ?debug=true', async () => {
    sim.setFault('agent', { mode: 'fail' });
    const { text } = await get(
      `/probe?debug=true&module=http_healthy&target=${encodeURIComponent(`${sim.services.agent.url}/health`)}`,
    );
    sim.setFault('agent', { mode: 'ok' });
    expect(text).toContain('Logs for the probe:');
    expect(text).toContain('probe failed (status_code): status 503 is not valid (200)');
    expect(text).toContain('Metrics that would have been returned:');
    expect(text).toContain('probe_success 0');
    expect(text).toContain('Module configuration:');
  });

  it('explains a missing target and an unknown module with 400', async () => {
    expect(await get('/probe?module=http_healthy')).toEqual({
      status: 400,
      text: 'Target parameter is missing\n',
    });
    expect(await get('/probe?module=nope&target=x')).toEqual({
      status: 400,
      text: 'Unknown module "nope": configured modules are http_healthy\n',
    });
  });

  it('derives the timeout from X-Prometheus-Scrape-Timeout-Seconds minus the offset', async () => {
    sim.setFault('scheduler', { mode: 'hang' });
    const target = encodeURIComponent(`${sim.services.scheduler.url}/health`);
    const { text } = await get(`/probe?module=http_healthy&target=${target}`, {
      'X-Prometheus-Scrape-Timeout-Seconds': '1.5',
    });
    sim.setFault('scheduler', { mode: 'ok' });
    expect(metricValue(text, 'probe_success')).toBe(0);
    const duration = metricValue(text, 'probe_duration_seconds') ?? NaN;
    expect(duration).toBeGreaterThanOrEqual(0.95);
    expect(duration).toBeLessThan(5);
  });

  it('answers 503 with a clear message beyond max_concurrent_probes', async () => {
    sim.setFault('refinement', { mode: 'hang' });
    const hanging = `/probe?module=http_healthy&target=${encodeURIComponent(`${sim.services.refinement.url}/health`)}`;
    const headers = { 'X-Prometheus-Scrape-Timeout-Seconds': '1.5' };
    const busy = [get(hanging, headers), get(hanging, headers)];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const rejected = await get(hanging, headers);
    await Promise.all(busy);
    sim.setFault('refinement', { mode: 'ok' });
    expect(rejected.status).toBe(503);
    expect(rejected.text).toBe(
      'Too many concurrent probes (server.max_concurrent_probes is 2); retry later or raise the limit\n',
    );
    expect((await get('/metrics')).text).toMatch(
      /layerwatch_probe_rejections_total\{mode="endpoint"\} [1-9]/,
    );
  });
});

describe('reload', () => {
  it('keeps the running config on a bad reload and reports it; applies a good one', async () => {
    await writeFile(configFile, 'modules:\n  http_healthy:\n    prober: htp\n');
    const bad = await fetch(`${daemon.url}/-/reload`, { method: 'POST' });
    expect(bad.status).toBe(500);
    expect(await bad.text()).toContain(
      `${configFile}:3:13: modules.http_healthy.prober: "htp" is not a prober: use one of http, tcp, redis, postgres`,
    );
    const afterBad = (await get('/metrics')).text;
    expect(metricValue(afterBad, 'layerwatch_config_last_reload_successful')).toBe(0);
    expect(
      (
        await get(
          `/probe?module=http_healthy&target=${encodeURIComponent(`${sim.services.agent.url}/health`)}`,
        )
      ).status,
    ).toBe(200);

    const extra = `  - layer: '8'\n    name: resources\n    targets:\n      - { name: gpu-node, target: '${sim.services.agent.url}/health', module: http_healthy }\n`;
    await writeFile(configFile, configYaml(sim, extra));
    process.kill(process.pid, 'SIGHUP');
    await expect
      .poll(async () =>
        metricValue((await get('/metrics')).text, 'layerwatch_config_last_reload_successful'),
      )
      .toBe(1);
    await daemon.probeScheduledTargets();
    expect((await get('/metrics')).text).toContain('probe_success{layer="8",name="gpu-node"');
  });
});
