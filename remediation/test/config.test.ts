import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../src/config/load.js';
import { tempDir } from './support/service.js';

const EXAMPLE = fileURLToPath(new URL('../config/example.yml', import.meta.url));

describe('config', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (dir = await tempDir('config')));
  afterAll(() => dir?.remove());

  it('loads the example with defaults applied and paths resolved', () => {
    const config = loadConfigFile(EXAMPLE);
    expect(config.store).toEqual({
      kind: 'sqlite',
      path: fileURLToPath(new URL('../../.layerwatch/remediation.db', import.meta.url)),
    });
    expect(config.kubernetes?.fieldManager).toBe('layerwatch-remediation');
    expect(config.http?.batchingService).toBe('agent');
  });

  it('names the file, line, column, field and what is valid', async () => {
    const file = join(dir.dir, 'bad.yml');
    await writeFile(
      file,
      [
        'store: { kind: sqlite, path: a.db }',
        'auth:',
        '  tokens:',
        '    - name: admin',
        '      sha256: not-a-hash',
        '      role: root',
        'actions:',
        '  reboot-everything: {}',
      ].join('\n'),
    );
    expect(() => loadConfigFile(file)).toThrow(ConfigError);
    expect(() => loadConfigFile(file)).toThrow(
      [
        `${file}:5:15: auth.tokens.0.sha256: 64 lowercase hex digits (sha256 of the token)`,
        `${file}:6:13: auth.tokens.0.role: Invalid option: expected one of "viewer"|"operator"|"admin"`,
        `${file}:8:22: actions.reboot-everything: Invalid key in record; valid actions: restart-deployment, scale-deployment, delete-pod, cordon-gpu-node, drain-gpu-node, rollback-evolution, set-batching, debug-logging, maintenance-mode, silence`,
      ].join('\n'),
    );
  });

  it('names a GPU node that is no node name, one listed twice and a bad drain bound', async () => {
    const file = join(dir.dir, 'gpu-nodes.yml');
    await writeFile(
      file,
      [
        'store: { kind: sqlite, path: a.db }',
        'auth: { tokens: [{ name: admin, sha256: ' + 'a'.repeat(64) + ', role: admin }] }',
        'kubernetes:',
        '  gpuNodes:',
        '    - gpu-node-1',
        '    - GPU_Node_2',
        '    - gpu-node-1',
        '  drain: { maxPods: 0, retries: 2 }',
      ].join('\n'),
    );
    expect(() => loadConfigFile(file)).toThrow(
      [
        `${file}:6:7: kubernetes.gpuNodes.1: "GPU_Node_2" is not a Kubernetes node name (DNS-1123: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit)`,
        `${file}:5:5: kubernetes.gpuNodes: listed twice: "gpu-node-1" (entries 0 and 2)`,
        `${file}:8:21: kubernetes.drain.maxPods: Too small: expected number to be >=1`,
        `${file}:8:10: kubernetes.drain: Unrecognized key: "retries"`,
      ].join('\n'),
    );
  });

  it('registers the GPU node actions only with GPU nodes, and without deployments', async () => {
    const file = join(dir.dir, 'gpu-only.yml');
    await writeFile(
      file,
      [
        'store: { kind: sqlite, path: a.db }',
        'auth: { tokens: [{ name: admin, sha256: ' + 'a'.repeat(64) + ', role: admin }] }',
        'kubernetes: { gpuNodes: [gpu-node-1] }',
      ].join('\n'),
    );
    const config = loadConfigFile(file);
    expect(config.kubernetes?.deployments).toEqual({});
    expect(config.kubernetes?.drain).toEqual({
      maxPods: 110,
      evictionAttempts: 3,
      retrySeconds: 5,
    });
  });
});
