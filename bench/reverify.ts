// Re-verifying 10,000 unchanged small evidence files: the incremental pass (stat only, digests
// from the cache) against the first full pass that hashes them all, in one run. Printed,
// never asserted. Goal: the incremental pass under 1 s.
//   npx tsx bench/reverify.ts                   (about 10 s; temp files in /tmp, removed)
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HashCache } from '../ledger/src/verify/file-identity.js';
import { createHasher } from '../ledger/src/verify/hash-pool.js';
import { LedgerMemo, parseLedger } from '@layerwatch/ledger';
import { verifyLedger, type VerifyOptions } from '../ledger/src/verify/verify.js';

const FILES = 10_000;
const FILE_BYTES = 4096;
const INCREMENTAL_RUNS = 5;
const LEDGER = 'exchange/ledger/index.json';
const EXPORTS = '.toyfoundry/telemetry/quilt/exports';

/** One exported file and its signed ledger entry. */
async function exportOne(root: string, i: number) {
  const path = `${EXPORTS}/batch-${i % 100}/part-${i}.csv`;
  const content = randomBytes(FILE_BYTES);
  await writeFile(join(root, path), content);
  return {
    order_id: `ORD-${String(i).padStart(6, '0')}`,
    pivot: 'quilt',
    batch: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T10`,
    exported_at: '2026-11-23T10:04:00Z',
    evidence: [
      { path, sha256: createHash('sha256').update(content).digest('hex'), bytes: FILE_BYTES },
    ],
    sign_off: { by: 'qa@factory', at: '2026-11-23T10:30:00Z' },
  };
}

async function writeLedger(root: string, entries: readonly unknown[]): Promise<void> {
  await writeFile(join(root, LEDGER), JSON.stringify({ version: 1, entries }));
}

/** 10,000 files in 100 folders, one signed entry each. */
async function buildRoot(root: string): Promise<unknown[]> {
  const entries = [];
  for (let folder = 0; folder < 100; folder += 1) {
    await mkdir(join(root, EXPORTS, `batch-${folder}`), { recursive: true });
  }
  for (let i = 0; i < FILES; i += 1) entries.push(await exportOne(root, i));
  await mkdir(join(root, 'exchange/ledger'), { recursive: true });
  await writeLedger(root, entries);
  await promisify(execFile)('sync', []);
  return entries;
}

const ms = (start: number) => performance.now() - start;
const medianOf = (values: number[]) =>
  values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const root = await mkdtemp(join(tmpdir(), 'layerwatch-bench-reverify-'));
try {
  const entries = await buildRoot(root);
  const cache = new HashCache();
  const hasher = createHasher({ workers: 2, chunkSize: 4 * 1024 * 1024 });
  const ledgerMemo = new LedgerMemo();
  const options: VerifyOptions = {
    root,
    ledger: LEDGER,
    exportsDir: EXPORTS,
    hasher,
    cache,
    ledgerMemo,
  };
  const loadBefore = loadavg()[0] ?? 0;

  let start = performance.now();
  const full = await verifyLedger(options);
  const fullMs = ms(start);

  const incremental: number[] = [];
  let last = full;
  for (let run = 0; run < INCREMENTAL_RUNS; run += 1) {
    start = performance.now();
    last = await verifyLedger(options);
    incremental.push(ms(start));
  }
  const median = medianOf(incremental);

  // The ledger grew by one entry (and one new file) before each of these passes.
  const appended: number[] = [];
  for (let run = 0; run < INCREMENTAL_RUNS; run += 1) {
    entries.push(await exportOne(root, FILES + run));
    await writeLedger(root, entries);
    start = performance.now();
    await verifyLedger(options);
    appended.push(ms(start));
  }

  const text = await readFile(join(root, LEDGER), 'utf8');
  start = performance.now();
  parseLedger(text, LEDGER);
  const parseMs = ms(start);
  await hasher.close();

  console.log(
    `${FILES} files of ${FILE_BYTES} B, one ledger entry each (${(text.length / 1e6).toFixed(1)} MB ledger)`,
  );
  console.log(
    `  first, full pass              ${fullMs.toFixed(0).padStart(5)} ms  hashed ${full.counts.hashedFiles} files, matched ${full.counts.matched}`,
  );
  console.log(
    `  incremental, ledger unchanged ${median.toFixed(0).padStart(5)} ms median of ${INCREMENTAL_RUNS} (min ${incremental[0]?.toFixed(0)}, max ${incremental.at(-1)?.toFixed(0)})` +
      `  hashed ${last.counts.hashedFiles} files, matched ${last.counts.matched}`,
  );
  console.log(
    `  incremental, one entry added  ${medianOf(appended).toFixed(0).padStart(5)} ms median of ${INCREMENTAL_RUNS} (only new entries validated, one new file hashed)`,
  );
  console.log(
    `  (validating the whole ledger afresh, as the first pass does: ${parseMs.toFixed(0)} ms)`,
  );
  console.log(
    `  1-minute load average ${loadBefore.toFixed(2)} before, ${(loadavg()[0] ?? 0).toFixed(2)} after, on ${cpus().length} cores`,
  );
  console.log(
    `\nRESULT reverify: incremental pass over ${FILES} unchanged files ${median.toFixed(0)} ms (goal < 1000 ms; ` +
      `${medianOf(appended).toFixed(0)} ms when the ledger grew by one entry), ` +
      `${(fullMs / median).toFixed(1)}× faster than the first full pass (${fullMs.toFixed(0)} ms); ${last.counts.hashedFiles} files re-hashed`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
