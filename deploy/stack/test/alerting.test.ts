import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startAlerting } from '../src/alerting.js';
import { stopStack, type StackPart } from '../src/stack.js';

/** Prometheus and Alertmanager as `make up` starts them, on free ports in a temp state dir. */
let stateDir: string;
let parts: StackPart[];
let layerService: Server;
let layerUrl: string;
const log: string[] = [];

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'layerwatch-stack-alerting-'));
  // A layer service with /metrics (scraped) beside one without (left out).
  layerService = createServer((req, res) => {
    if (req.url === '/metrics') res.writeHead(200).end('up_like 1\n');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => layerService.listen(0, '127.0.0.1', resolve));
  layerUrl = `http://127.0.0.1:${(layerService.address() as AddressInfo).port}`;
  parts = await startAlerting({
    stateDir,
    host: '127.0.0.1',
    ports: { prometheus: 0, alertmanager: 0 },
    probes: '127.0.0.1:9',
    layers: [
      { url: layerUrl, layer: '4' },
      { url: 'http://127.0.0.1:9', layer: '5' },
    ],
    log: (line) => log.push(line),
  });
});

afterAll(async () => {
  await stopStack(parts ?? []);
  await new Promise((resolve) => layerService.close(resolve));
  await rm(stateDir, { recursive: true, force: true });
});

function url(name: string): string {
  const part = parts.find((p) => p.name === name);
  const match = /^(http:\/\/[^/\s]+)/.exec(part?.urls[0] ?? '');
  if (!match?.[1]) throw new Error(`no URL for ${name}`);
  return match[1];
}

describe('startAlerting', () => {
  it('starts Alertmanager and Prometheus and names their URLs', () => {
    expect(parts.map((p) => p.name)).toEqual(['Alertmanager', 'Prometheus']);
    expect(parts[0]?.urls[0]).toContain('pages → http://127.0.0.1:9702/alertmanager/webhook');
    expect(log).toEqual([
      'starting Alertmanager …',
      'starting Prometheus with the generated rules …',
    ]);
  });

  it('loads every generated rule group into Prometheus', async () => {
    const body = (await (await fetch(`${url('Prometheus')}/api/v1/rules`)).json()) as {
      data: { groups: { name: string }[] };
    };
    expect(body.data.groups.map((g) => g.name)).toContain('layerwatch-slo-availability');
    expect(body.data.groups.length).toBeGreaterThanOrEqual(10);
  });

  it('scrapes the probe daemon and only the layer services that serve /metrics', async () => {
    const config = parse(
      await readFile(join(stateDir, 'prometheus', 'prometheus.yml'), 'utf8'),
    ) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const targets = Object.fromEntries(
      config.scrape_configs.map((job) => [
        job.job_name,
        job.static_configs.flatMap((s) => s.targets),
      ]),
    );
    expect(targets).toEqual({
      'layerwatch-probes': ['127.0.0.1:9'],
      'layerwatch-layers': [new URL(layerUrl).host],
    });
  });

  it('keeps the rendered alertmanager.yml readable by its owner only, in .state', async () => {
    const file = join(stateDir, 'alertmanager', 'alertmanager.yml');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const status = (await (await fetch(`${url('Alertmanager')}/api/v2/status`)).json()) as {
      config: { original: string };
    };
    expect(status.config.original).toContain('url: http://127.0.0.1:9702/alertmanager/webhook');
  });
});
