import { readFile, realpath } from 'node:fs/promises';
import { posix, resolve, sep } from 'node:path';
import { errorMessage } from '../errors.js';
import { listExportedFiles, toPosix } from './exports-walk.js';
import {
  forEachLimit,
  statIdentity,
  type FileIdentity,
  type HashCache,
  type StatFn,
} from './file-identity.js';
import { rootResolver, type Located } from './root-resolver.js';
import { checkFiles, type FileOutcome } from './check-files.js';
import type { Hasher } from './hash-pool.js';
import {
  entryLabel,
  LedgerError,
  type LedgerMemo,
  parseLedger,
  type InvalidEntry,
  type LedgerEntry,
  type ParsedLedger,
} from '../schema.js';
import {
  countResults,
  type FileResult,
  type ProgressFn,
  type VerificationReport,
} from './report.js';

export interface VerifyOptions {
  /** The pipeline's checkout, absolute; ledger and evidence paths are relative to it. */
  readonly root: string;
  /** The ledger file, relative to the root (or absolute). */
  readonly ledger: string;
  /** The exports folder, relative to the root (or absolute); its uncited files are orphans. */
  readonly exportsDir: string;
  readonly hasher: Hasher;
  /** Digests of earlier runs; without one every file is hashed. */
  readonly cache?: HashCache;
  /** Validation results of the last run's entries; without one every entry is validated. */
  readonly ledgerMemo?: LedgerMemo;
  /**
   * A full pass: digests cached before this time (ms, on `now`'s clock) are not trusted, so
   * every file is hashed again. A full pass cut short (timeout, stop) resumes where it
   * stopped when the next run passes the same time. @default undefined: trust the cache
   */
  readonly rehashBefore?: number;
  readonly signal?: AbortSignal;
  /** @default fs.stat (tests inject one to simulate a file changing while it is hashed) */
  readonly stat?: StatFn;
  /** @default Date.now */
  readonly now?: () => number;
  /** Files hashed at once (the pool queues beyond its workers). @default 8 */
  readonly concurrency?: number;
}

/** One evidence file of one valid entry, its path followed to the real file. */
interface PlannedFile {
  readonly orderId: string;
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly target: Located;
}

/**
 * Verifies every evidence file of the ledger against the disk. Throws LedgerError when the
 * ledger cannot be read or parsed as a whole (the caller keeps its last good report); every
 * other problem (an invalid entry, a missing or changed file) is in the report.
 */
export async function verifyLedger(
  options: VerifyOptions,
  onProgress?: ProgressFn,
): Promise<VerificationReport> {
  const started = performance.now();
  const ledgerFile = resolve(options.root, options.ledger);
  const text = await readLedger(ledgerFile, options.ledger);
  const parsed = parseLedger(text, options.ledger, options.ledgerMemo);
  const realRoot = await realpath(options.root);
  const invalid = [...parsed.invalid];
  const planned = await planFiles(realRoot, options, parsed, invalid);
  const present = new Map<string, FileIdentity>();
  for (const { target } of planned)
    if (target.kind === 'inside') present.set(target.real, target.identity);
  const outcomes = await checkFiles(
    present,
    {
      hasher: options.hasher,
      stat: options.stat ?? statIdentity,
      cache: options.cache,
      rehashBefore: options.rehashBefore,
      now: options.now ?? Date.now,
      signal: options.signal,
      concurrency: options.concurrency ?? 8,
    },
    onProgress,
  );
  const files = planned.map((file) => fileResult(file, outcomes));
  const refused = new Set(invalid.map((entry) => entry.index));
  const valid = parsed.valid.filter(({ index }) => !refused.has(index));
  const cited = citedPaths(realRoot, planned, invalid);
  const exported = await listExportedFiles(realRoot, resolve(options.root, options.exportsDir));
  const latest = latestBatch(
    valid.map((v) => v.entry),
    invalid,
    files,
  );
  let hashedFiles = 0;
  let hashedBytes = 0;
  let totalBytes = 0;
  for (const outcome of outcomes.values()) {
    totalBytes += outcome.identity?.size ?? 0;
    if (outcome.hashed) {
      hashedFiles += 1;
      hashedBytes += outcome.identity?.size ?? 0;
    }
  }
  return {
    ledger: options.ledger,
    root: options.root,
    verifiedAt: (options.now ?? Date.now)(),
    durationMs: performance.now() - started,
    fullPass: options.rehashBefore !== undefined || !options.cache,
    entries: parsed.total,
    invalidEntries: invalid.sort((a, b) => a.index - b.index),
    entriesWithoutSignoff: valid.filter(({ entry }) => !entry.sign_off).length,
    files,
    orphans: exported.filter((path) => !cited.has(path)),
    latestBatch: latest.batch,
    latestBatchExported: latest.exported,
    counts: countResults(files, { files: hashedFiles, bytes: hashedBytes, total: totalBytes }),
  };
}

async function readLedger(file: string, shown: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new LedgerError(`${shown}: cannot be read (${errorMessage(error)})`);
  }
}

/** Follows every cited path; an entry with a path that leads outside the root is invalid. */
async function planFiles(
  realRoot: string,
  options: VerifyOptions,
  parsed: ParsedLedger,
  invalid: InvalidEntry[],
): Promise<PlannedFile[]> {
  const locate = rootResolver(realRoot, options.stat ?? statIdentity);
  const perEntry = new Map<number, PlannedFile[]>();
  const jobs = parsed.valid.flatMap(({ index, entry }) =>
    entry.evidence.map((file, fileIndex) => ({ index, entry, file, fileIndex })),
  );
  await forEachLimit(
    jobs,
    64,
    async ({ index, entry, file, fileIndex }) => {
      const path = posix.normalize(file.path);
      const target = await locate(path);
      const list = perEntry.get(index) ?? [];
      perEntry.set(index, list);
      list[fileIndex] = {
        orderId: entry.order_id,
        path,
        sha256: file.sha256,
        bytes: file.bytes,
        target,
      };
    },
    options.signal,
  );
  const planned: PlannedFile[] = [];
  for (const { index, entry } of parsed.valid) {
    const files = perEntry.get(index) ?? [];
    const escapes = files.flatMap((file, fileIndex) =>
      file.target.kind === 'outside'
        ? [
            `evidence[${fileIndex}].path: resolves through a symlink to ${file.target.real}, outside the root ${realRoot} (got ${JSON.stringify(file.path)})`,
          ]
        : [],
    );
    if (escapes.length === 0) planned.push(...files);
    else invalid.push(escapeEntry(index, entry, escapes));
  }
  return planned;
}

function escapeEntry(index: number, entry: LedgerEntry, problems: readonly string[]): InvalidEntry {
  const label = entryLabel(index, entry.order_id);
  return {
    index,
    orderId: entry.order_id,
    message: problems.map((problem) => `${label}: ${problem}`).join('\n'),
    citedPaths: entry.evidence.map((file) => posix.normalize(file.path)),
    batch: entry.batch,
  };
}

function fileResult(file: PlannedFile, outcomes: ReadonlyMap<string, FileOutcome>): FileResult {
  const base = {
    orderId: file.orderId,
    path: file.path,
    expectedBytes: file.bytes,
    expectedSha256: file.sha256,
  };
  if (file.target.kind !== 'inside') {
    const missing = file.target.kind === 'unresolvable' && file.target.missing;
    const reason = file.target.kind === 'unresolvable' ? file.target.reason : 'outside the root';
    return {
      ...base,
      status: missing ? 'missing' : 'unreadable',
      bytes: undefined,
      actualSha256: undefined,
      reason,
    };
  }
  const outcome = outcomes.get(file.target.real);
  if (outcome === undefined) {
    return {
      ...base,
      status: 'unreadable',
      bytes: undefined,
      actualSha256: undefined,
      reason: 'not checked',
    };
  }
  const { status } = outcome;
  if (status !== 'read') {
    return {
      ...base,
      status,
      bytes: status === 'changed' ? outcome.identity?.size : undefined,
      actualSha256: undefined,
      reason: outcome.reason,
    };
  }
  const size = outcome.identity?.size;
  const match = outcome.sha256 === file.sha256 && size === file.bytes;
  return {
    ...base,
    status: match ? 'match' : 'mismatch',
    bytes: size,
    actualSha256: outcome.sha256,
    reason: undefined,
  };
}

function citedPaths(
  realRoot: string,
  planned: readonly PlannedFile[],
  invalid: readonly InvalidEntry[],
): Set<string> {
  const cited = new Set<string>(invalid.flatMap((entry) => entry.citedPaths));
  const skip = realRoot.endsWith(sep) ? realRoot.length : realRoot.length + 1;
  for (const file of planned) {
    cited.add(file.path);
    if (file.target.kind === 'inside') cited.add(toPosix(file.target.real.slice(skip)));
  }
  return cited;
}

function latestBatch(
  valid: readonly LedgerEntry[],
  invalid: readonly InvalidEntry[],
  files: readonly FileResult[],
): { batch: string | undefined; exported: boolean } {
  let batch: string | undefined;
  for (const candidate of [...valid.map((e) => e.batch), ...invalid.map((e) => e.batch)]) {
    if (candidate !== undefined && (batch === undefined || candidate > batch)) batch = candidate;
  }
  if (batch === undefined) return { batch, exported: false };
  const orders = new Set(valid.filter((e) => e.batch === batch).map((e) => e.order_id));
  const exported =
    orders.size > 0 &&
    !invalid.some((entry) => entry.batch === batch) &&
    files.every((file) => !orders.has(file.orderId) || file.status === 'match');
  return { batch, exported };
}
