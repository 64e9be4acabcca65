import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENERATED, packagePath, prometheusConfig, resolveConfig } from '../src/index.js';
import { runTool } from './support/tools.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('prometheusConfig', () => {
  it('writes a config promtool accepts, loading every generated rule file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'layerwatch-prom-config-'));
    dirs.push(dir);
    const file = join(dir, 'prometheus.yml');
    const text = prometheusConfig(resolveConfig(), {
      probes: ['127.0.0.1:9701'],
      layers: [{ target: '127.0.0.1:8000', layer: '4' }],
      gpuNodes: [{ target: '10.0.0.8:9701', node: 'gpu-node-1' }],
      alertmanagers: ['127.0.0.1:9093'],
      ruleFiles: [packagePath(GENERATED.rulesGlob)],
      scrapeInterval: '1s',
    });
    await writeFile(file, text);
    const result = runTool('promtool', ['check', 'config', file]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/SUCCESS: \d+ rule files found/);
    // The jobs are the ones the rules select on.
    for (const job of ['layerwatch-probes', 'layerwatch-layers', 'layerwatch-gpu-nodes']) {
      expect(text).toContain(`job_name: ${job}`);
    }
  });
});
