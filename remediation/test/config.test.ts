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
  /** A config file of a SQLite store, one admin token and `lines`; resolves with its path. */
  const minimal = async (name: string, lines: string[]) => {
    const file = join(dir.dir, name);
    const token =
      'auth: { tokens: [{ name: admin, sha256: ' + 'a'.repeat(64) + ', role: admin }] }';
    await writeFile(file, ['store: { kind: sqlite, path: a.db }', token, ...lines].join('\n'));
    return file;
  };

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
    const file = await minimal('gpu-nodes.yml', [
      'kubernetes:',
      '  gpuNodes:',
      '    - gpu-node-1',
      '    - GPU_Node_2',
      '    - gpu-node-1',
      '  drain: { maxPods: 0, retries: 2 }',
    ]);
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
    const file = await minimal('gpu-only.yml', ['kubernetes: { gpuNodes: [gpu-node-1] }']);
    const config = loadConfigFile(file);
    expect(config.kubernetes?.deployments).toEqual({});
    expect(config.kubernetes?.drain).toEqual({
      maxPods: 110,
      evictionAttempts: 3,
      retrySeconds: 5,
    });
  });

  it('gives a replica a 30 s lease by default and names a bad replica id', async () => {
    expect(loadConfigFile(await minimal('replica.yml', [])).replica).toEqual({ leaseSeconds: 30 });
    const file = await minimal('bad-replica.yml', ['replica: { id: "a b", leaseSeconds: 0 }']);
    expect(() => loadConfigFile(file)).toThrow(
      [
        `${file}:3:16: replica.id: a name of letters, digits, ".", "_" or "-"`,
        `${file}:3:37: replica.leaseSeconds: Too small: expected number to be >=1`,
      ].join('\n'),
    );
  });
});
