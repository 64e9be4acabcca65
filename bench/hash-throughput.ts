// Hashing throughput of the checksum collector's hasher against `openssl dgst -sha256` and
// `sha256sum` on the same 1 GiB file, in one run, as ratios; then a set of 64 × 16 MiB files
// on 2 worker threads against one core's rate. Printed, never asserted.
//   npx tsx bench/hash-throughput.ts            (about a minute; temp files in /tmp, removed)
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { allocChunkBuffers, hashFile } from '../ledger/src/verify/hash-file.js';
import { createHasher, type Hasher } from '../ledger/src/verify/hash-pool.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const RUNS = 5;
const CHUNK = 4 * MiB;

async function writeFileOf(path: string, bytes: number): Promise<void> {
  const block = randomBytes(16 * MiB);
  const handle = await open(path, 'w');
  try {
    for (let written = 0; written < bytes; written += block.length) {
      await handle.write(block, 0, Math.min(block.length, bytes - written));
    }
  } finally {
    await handle.close();
  }
}

/** Flushes what was just written: writeback running beside a timing halves it here. */
async function settle(): Promise<void> {
  await run('sync', []);
}

/** Median seconds per task over `RUNS` rounds; tasks alternate, so noise hits them alike. */
async function timeRounds<K extends string>(
  tasks: Record<K, () => Promise<string>>,
): Promise<Record<K, { seconds: number; digest: string }>> {
  const seconds = new Map<K, number[]>();
  const digests = new Map<K, string>();
  for (let round = 0; round < RUNS; round += 1) {
    const order = Object.entries(tasks) as [K, () => Promise<string>][];
    // Each round starts with a different task, so no task always follows the same one.
    const rotated = [...order.slice(round % order.length), ...order.slice(0, round % order.length)];
    for (const [name, task] of rotated) {
      const start = process.hrtime.bigint();
      digests.set(name, await task());
      const list = seconds.get(name) ?? [];
      list.push(Number(process.hrtime.bigint() - start) / 1e9);
      seconds.set(name, list);
    }
  }
  const result = {} as Record<K, { seconds: number; digest: string }>;
  for (const [name, list] of seconds) {
    list.sort((a, b) => a - b);
    result[name] = {
      seconds: list[Math.floor(list.length / 2)] ?? NaN,
      digest: digests.get(name) ?? '',
    };
  }
  return result;
}

const gbps = (bytes: number, seconds: number) => bytes / seconds / 1e9;
const pct = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;

async function tool(command: string, args: string[]): Promise<string> {
  const { stdout } = await run(command, args, { maxBuffer: 1024 * 1024 });
  return /\b([0-9a-f]{64})\b/.exec(stdout)?.[1] ?? `unparsed: ${stdout.trim()}`;
}

async function singleFile(dir: string) {
  const file = join(dir, 'one.bin');
  await writeFileOf(file, GiB);
  await settle();
  const buffers = allocChunkBuffers(CHUNK);
  await hashFile(file, buffers); // warms the page cache
  const pool = createHasher({ workers: 1, chunkSize: CHUNK, inThreadBelowBytes: 0 });
  await pool.hash(file, GiB); // starts the worker outside the timing
  const results = await timeRounds({
    openssl: () => tool('openssl', ['dgst', '-sha256', file]),
    sha256sum: () => tool('sha256sum', [file]),
    'ours (in-thread)': async () => (await hashFile(file, buffers)).sha256,
    'ours (1 worker)': async () => (await pool.hash(file, GiB)).sha256,
  });
  await pool.close();
  await rm(file);
  const digests = new Set(Object.values(results).map((r) => r.digest));
  console.log(
    `\n1 GiB file, ${CHUNK / MiB} MiB reads, median of ${RUNS} alternating rounds; digests agree: ${digests.size === 1}`,
  );
  const openssl = gbps(GiB, results.openssl.seconds);
  for (const [name, r] of Object.entries(results)) {
    const rate = gbps(GiB, r.seconds);
    console.log(
      `  ${name.padEnd(18)} ${r.seconds.toFixed(3)} s  ${rate.toFixed(2)} GB/s  ${pct(rate / openssl)} of openssl`,
    );
  }
  return {
    openssl,
    sha256sum: gbps(GiB, results.sha256sum.seconds),
    ours: gbps(GiB, results['ours (in-thread)'].seconds),
    worker: gbps(GiB, results['ours (1 worker)'].seconds),
  };
}

async function manyFiles(dir: string) {
  const count = 64;
  const size = 16 * MiB;
  const files = Array.from({ length: count }, (_, i) => join(dir, `part-${i}.bin`));
  for (const file of files) await writeFileOf(file, size);
  await settle();
  const all = (hasher: Hasher) => async () => {
    const results = await Promise.all(files.map((file) => hasher.hash(file, size)));
    return results[0]?.sha256 ?? '';
  };
  const oneCore = createHasher({ workers: 0, chunkSize: CHUNK });
  await all(oneCore)(); // warms the page cache
  const sequential = async () => {
    const buffers = allocChunkBuffers(CHUNK);
    let digest = '';
    for (const file of files) digest = (await hashFile(file, buffers)).sha256;
    return digest;
  };
  const two = createHasher({ workers: 2, chunkSize: CHUNK });
  await all(two)(); // starts the workers outside the timing
  const { 'one thread': single, 'two workers': pooled } = await timeRounds({
    'one thread': sequential,
    'two workers': all(two),
  });
  await two.close();
  const total = count * size;
  const one = gbps(total, single.seconds);
  const pair = gbps(total, pooled.seconds);
  console.log(
    `\n${count} × ${size / MiB} MiB files (${cpus().length} cores), median of ${RUNS} alternating rounds`,
  );
  console.log(`  one thread         ${single.seconds.toFixed(3)} s  ${one.toFixed(2)} GB/s`);
  console.log(
    `  hash_workers=2     ${pooled.seconds.toFixed(3)} s  ${pair.toFixed(2)} GB/s  ${(pair / one).toFixed(2)}× one thread`,
  );
  return { one, pair };
}

const dir = await mkdtemp(join(tmpdir(), 'layerwatch-bench-hash-'));
try {
  const loadBefore = loadavg()[0] ?? 0;
  const single = await singleFile(dir);
  const many = await manyFiles(dir);
  const loadAfter = loadavg()[0] ?? 0;
  console.log(
    `\n1-minute load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after, on ${cpus().length} cores ` +
      '(other jobs on this machine skew the ratios; compare runs on an idle machine)',
  );
  console.log(
    `\nRESULT hash-throughput: one 1 GiB file on the pool (the path files ≥ 1 MiB take) ${single.worker.toFixed(2)} GB/s = ` +
      `${pct(single.worker / single.openssl)} of openssl (${single.openssl.toFixed(2)} GB/s; goal ≥ 90 %), ` +
      `in-thread ${pct(single.ours / single.openssl)}, ${(single.worker / single.sha256sum).toFixed(2)}× sha256sum ` +
      `(${single.sha256sum.toFixed(2)} GB/s); 64 × 16 MiB with hash_workers=2 ${many.pair.toFixed(2)} GB/s = ` +
      `${(many.pair / many.one).toFixed(2)}× one thread (${many.one.toFixed(2)} GB/s; goal > 1×)`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
