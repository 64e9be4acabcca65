import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHasher, inThreadHasher } from '../src/verify/hash-pool.js';

const MiB = 1024 * 1024;
const SIZES = { empty: 0, one: 1, fiveMiB: 5 * MiB, odd: 5 * MiB + 3 } as const;
let dir: string;
const files: Record<string, { path: string; sha256: string; size: number }> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'layerwatch-hash-'));
  for (const [name, size] of Object.entries(SIZES)) {
    const content = randomBytes(size);
    const path = join(dir, name);
    await writeFile(path, content);
    files[name] = { path, size, sha256: createHash('sha256').update(content).digest('hex') };
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const cases = Object.keys(SIZES);

describe('hashing', () => {
  it.each(cases)('in-thread digest of %s equals crypto on the whole buffer', async (name) => {
    const file = files[name]!;
    const hasher = inThreadHasher(MiB);
    expect(await hasher.hash(file.path, file.size)).toEqual({
      sha256: file.sha256,
      bytes: file.size,
    });
  });

  it.each(cases)('worker-thread digest of %s equals the in-thread one', async (name) => {
    const file = files[name]!;
    const failures: Error[] = [];
    const hasher = createHasher({
      workers: 2,
      chunkSize: MiB,
      inThreadBelowBytes: 0,
      onWorkerFailure: (e) => failures.push(e),
    });
    try {
      expect(await hasher.hash(file.path, file.size)).toEqual({
        sha256: file.sha256,
        bytes: file.size,
      });
      expect(failures).toEqual([]);
    } finally {
      await hasher.close();
    }
  });

  it('spreads many files over the pool and keeps each answer with its file', async () => {
    const hasher = createHasher({ workers: 2, chunkSize: 256 * 1024, inThreadBelowBytes: 2 });
    try {
      const names = [...cases, ...cases, ...cases];
      const results = await Promise.all(
        names.map((n) => hasher.hash(files[n]!.path, files[n]!.size)),
      );
      expect(results.map((r) => r.sha256)).toEqual(names.map((n) => files[n]!.sha256));
    } finally {
      await hasher.close();
    }
  });

  it('rejects with the file error (code kept) from a worker, and keeps working', async () => {
    const hasher = createHasher({ workers: 1, chunkSize: MiB, inThreadBelowBytes: 0 });
    try {
      await expect(hasher.hash(join(dir, 'absent'), 10)).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await hasher.hash(files.one!.path, 1)).sha256).toBe(files.one!.sha256);
    } finally {
      await hasher.close();
    }
  });

  it('rejects pending hashes when closed, and refuses new ones', async () => {
    const hasher = createHasher({ workers: 1, chunkSize: MiB, inThreadBelowBytes: 0 });
    const pending = expect(hasher.hash(files.fiveMiB!.path, SIZES.fiveMiB)).rejects.toThrow(
      'the hash pool is closed',
    );
    await hasher.close();
    await pending;
    await expect(hasher.hash(files.one!.path, 1)).rejects.toThrow('the hash pool is closed');
  });

  // The compiled pool must find its compiled worker with plain node (no tsx, no vitest).
  const distPool = fileURLToPath(new URL('../dist/src/verify/hash-pool.js', import.meta.url));
  it.skipIf(!existsSync(distPool))(
    'hashes on worker threads from the built dist with plain node',
    () => {
      const script = `
      import { createHasher } from ${JSON.stringify(distPool)};
      const failures = [];
      const hasher = createHasher({ workers: 2, chunkSize: 1 << 20, inThreadBelowBytes: 0, onWorkerFailure: (e) => failures.push(e.message) });
      const paths = JSON.parse(process.argv[1]);
      const out = await Promise.all(paths.map((p) => hasher.hash(p, 1)));
      await hasher.close();
      process.stdout.write(JSON.stringify({ failures, digests: out.map((r) => r.sha256) }));`;
      const paths = cases.map((n) => files[n]!.path);
      const output = execFileSync(
        process.execPath,
        ['--input-type=module', '-e', script, JSON.stringify(paths)],
        {
          encoding: 'utf8',
          env: { ...process.env, NODE_OPTIONS: '' },
        },
      );
      expect(JSON.parse(output)).toEqual({
        failures: [],
        digests: cases.map((n) => files[n]!.sha256),
      });
    },
  );
});
