import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNvidiaSmi } from '../src/collectors/gpu/index.js';
import { ownFixtures, processAlive, writeFakeNvidiaSmi } from './support/fake-nvidia-smi.js';
import { tempDirEach } from './support/temp-dir.js';

const dir = tempDirEach('layerwatch-gpu-run-');

const never = new AbortController().signal;

describe('runNvidiaSmi on a stand-in nvidia-smi', () => {
  it('passes the arguments without a shell and resolves with stdout', async () => {
    const fake = await writeFakeNvidiaSmi(dir(), {
      kind: 'print',
      file: join(ownFixtures, 'two-gpus.csv'),
    });
    const run = await runNvidiaSmi({
      path: fake.path,
      args: ['--query-gpu=index,uuid', '$(touch pwned)', '--format=csv'],
      timeoutMs: 2000,
      signal: never,
    });
    expect(run.ok && run.stdout.startsWith('index, uuid, name')).toBe(true);
    expect(await fake.args()).toEqual(['--query-gpu=index,uuid', '$(touch pwned)', '--format=csv']);
  });

  it('kills the process group at its own timeout, even without an abort', async () => {
    const fake = await writeFakeNvidiaSmi(dir(), { kind: 'hang' });
    const started = performance.now();
    const run = await runNvidiaSmi({ path: fake.path, args: [], timeoutMs: 300, signal: never });
    expect(performance.now() - started).toBeLessThan(2500);
    expect(run).toEqual({
      ok: false,
      reason: `${fake.path} timed out after 300 ms; killed it; stdout: "index, uuid, na"`,
    });
    const sleeper = (await fake.sleepPid()) ?? 0;
    await expect.poll(() => processAlive(sleeper), { timeout: 2000 }).toBe(false);
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('collector stopped'));
    const run = await runNvidiaSmi({
      path: 'nvidia-smi',
      args: [],
      timeoutMs: 1000,
      signal: controller.signal,
    });
    expect(run).toEqual({ ok: false, reason: 'not started: collector stopped' });
  });

  it('kills a child that prints without end', async () => {
    const big = join(dir(), 'big.txt');
    await writeFile(big, 'x'.repeat(5 * 1024 * 1024));
    const fake = await writeFakeNvidiaSmi(dir(), { kind: 'print', file: big });
    const run = await runNvidiaSmi({ path: fake.path, args: [], timeoutMs: 5000, signal: never });
    expect(run.ok ? 'ok' : run.reason).toMatch(/printed more than 4194304 bytes; killed it/);
  });
});
