import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startComposition, withNeeds, type RunningComposition } from '../src/compose.js';
import { PART_NAMES } from '../src/part.js';

describe('withNeeds', () => {
  it('adds what each part needs, in start order', () => {
    expect(withNeeds(['remediation'])).toEqual(['redis', 'sim', 'remediation']);
    // The preview host needs every other part: all of them, in the declared order.
    expect(withNeeds(['pluginHost'])).toEqual(PART_NAMES);
  });

  it('lets a stand-in webhook receiver replace remediation behind Alertmanager', () => {
    expect(withNeeds(['alertmanager'])).toEqual(['redis', 'sim', 'remediation', 'alertmanager']);
    expect(withNeeds(['alertmanager'], { webhookUrl: 'http://127.0.0.1:1/hook' })).toEqual([
      'alertmanager',
    ]);
    expect(withNeeds(['prometheus'], { webhookUrl: 'http://127.0.0.1:1/hook' })).not.toContain(
      'remediation',
    );
  });
});

/** The parts up to Prometheus as the closed loop composes them, on free ports in a temp dir. */
describe('a composition up to Prometheus', () => {
  let dir: string;
  let running: RunningComposition;
  const log: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'layerwatch-compose-'));
    running = await startComposition(['prometheus'], {
      dir,
      ports: 'free',
      intervalSeconds: 1,
      logLevel: 'silent',
      log: (line) => log.push(line),
    });
  });

  afterAll(async () => {
    await running?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts each part after what it needs, saying so', () => {
    expect(running.parts.map((p) => p.name)).toEqual([
      'Redis',
      'PostgreSQL',
      'Layer simulator',
      'Probe daemon',
      'GPU node daemon',
      'Remediation',
      'Alertmanager',
      'Prometheus',
    ]);
    expect(log[0]).toBe('starting Redis …');
    expect(log.filter((line) => line.startsWith('starting '))).toHaveLength(8);
    // The simulator says, once, that the Kubernetes API beside its GPU node is simulated.
    expect(log.filter((line) => line.startsWith('SIMULATED Kubernetes API at '))).toHaveLength(1);
  });

  it('loads every generated rule group into Prometheus', async () => {
    const prometheus = running.state.prometheus;
    const body = (await (await fetch(`${prometheus?.url}/api/v1/rules`)).json()) as {
      data: { groups: { name: string }[] };
    };
    expect(body.data.groups.map((g) => g.name)).toContain('layerwatch-slo-availability');
    expect(body.data.groups.length).toBeGreaterThanOrEqual(10);
  });

  it('scrapes the probe daemon and every simulated layer service', async () => {
    const config = parse(await readFile(join(dir, 'prometheus', 'prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const targets = Object.fromEntries(
      config.scrape_configs.map((job) => [
        job.job_name,
        job.static_configs.flatMap((s) => s.targets),
      ]),
    );
    expect(targets['layerwatch-probes']).toEqual([`127.0.0.1:${running.ports.probes}`]);
    expect([...(targets['layerwatch-layers'] ?? [])].sort()).toEqual(
      Object.values(running.ports.sim)
        .map((port) => `127.0.0.1:${port}`)
        .sort(),
    );
  });

  it("pages this composition's remediation webhook, from an alertmanager.yml only its owner reads", async () => {
    const file = join(dir, 'alertmanager', 'alertmanager.yml');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const status = (await (
      await fetch(`${running.state.alertmanager?.url}/api/v2/status`)
    ).json()) as { config: { original: string } };
    expect(status.config.original).toContain(
      `url: http://127.0.0.1:${running.ports.remediation}/alertmanager/webhook`,
    );
  });

  it('stops everything, and a second stop is harmless', async () => {
    await running.stop();
    await running.stop();
    await expect(fetch(`${running.state.prometheus?.url}/-/healthy`)).rejects.toThrow();
  });
});
