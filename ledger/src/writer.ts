import { readFile, rename } from 'node:fs/promises';
import { dirname, join, posix, resolve } from 'node:path';
import { DEFAULT_EXPORTS_DIR, DEFAULT_LEDGER } from './defaults.js';
import { withLock } from './ledger-lock.js';
import { ledgerEntrySchema, LedgerMemo, parseLedger, type LedgerEntry } from './schema.js';
import { discard, stageFiles, type StagedFile } from './stream-file.js';
import { errorCode } from './errors.js';
import { ensureDir, fsyncDir, sweepTempFiles, writeFileAtomic } from './temp-files.js';
import {
  checkRelativeOption,
  checkRequest,
  LedgerConflictError,
  LedgerInputError,
  type ExportRequest,
} from './write-input.js';
import { findConflict } from './conflicts.js';

export interface LedgerWriterOptions {
  /** The pipeline's checkout: the ledger and every evidence path are relative to it. */
  readonly root: string;
  /** @default 'exchange/ledger/index.json' */
  readonly ledger?: string;
  /** @default '.toyfoundry/telemetry/quilt/exports' */
  readonly exportsDir?: string;
  /**
   * Told after each export is recorded, with the entry and its bytes (for metrics). The
   * export is committed by then, so a hook that throws does not fail it: the error becomes
   * a process warning. @default none
   */
  readonly onExport?: (entry: LedgerEntry, bytes: number) => void;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** A lock file not refreshed for this long is taken over. @default 30_000 */
  readonly staleLockMs?: number;
  /** How long to wait for another process's lock. @default 60_000 */
  readonly lockTimeoutMs?: number;
}

/** Temp files older than this are swept even if a process with their pid runs (pid reuse). */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Appends within one process are chained per ledger file (not per writer), so two writers
 * on one ledger in one process queue here instead of polling each other's lock file.
 */
const queues = new Map<string, Promise<unknown>>();

function serialize<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(fn, fn);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

/**
 * Writes telemetry exports and records each in the ledger (LEDGER.md, "Writing"): files
 * first, streamed through temp files and renamed into place, then the ledger replaced
 * whole, so a crash leaves the old ledger or the new one and never cites a missing file.
 */
export class LedgerWriter {
  readonly root: string;
  readonly ledger: string;
  readonly exportsDir: string;
  private readonly ledgerFile: string;
  private readonly options: LedgerWriterOptions;
  private readonly memo = new LedgerMemo();
  private readonly inFlight = new Set<string>();
  private swept: Promise<string[]> | undefined;
  private exportCount = 0;
  private byteCount = 0;

  constructor(options: LedgerWriterOptions) {
    if (typeof options.root !== 'string' || options.root === '') {
      throw new LedgerInputError(
        `LedgerWriter: root: must be the pipeline's folder (got ${JSON.stringify(options.root)})`,
      );
    }
    this.options = options;
    this.root = resolve(options.root);
    this.ledger = checkRelativeOption('ledger', options.ledger ?? DEFAULT_LEDGER);
    this.exportsDir = posix.normalize(
      checkRelativeOption('exportsDir', options.exportsDir ?? DEFAULT_EXPORTS_DIR, true),
    );
    this.ledgerFile = join(this.root, this.ledger);
    checkMs('staleLockMs', options.staleLockMs);
    checkMs('lockTimeoutMs', options.lockTimeoutMs);
  }

  /** Exports recorded by this writer. */
  get exports(): number {
    return this.exportCount;
  }

  /** Bytes of the files of those exports. */
  get bytes(): number {
    return this.byteCount;
  }

  /** Writes the files, records them in the ledger and returns the entry written. */
  async writeExport(request: ExportRequest): Promise<LedgerEntry> {
    checkRequest(request);
    if (this.inFlight.has(request.orderId)) {
      throw new LedgerConflictError(
        `orderId: ${JSON.stringify(request.orderId)} is already being written by this writer`,
      );
    }
    this.inFlight.add(request.orderId);
    try {
      await this.sweepTempFiles();
      const exportedAt = request.exportedAt ?? (this.options.now ?? (() => new Date()))();
      const batch = request.batch ?? exportedAt.toISOString().slice(0, 13);
      const dir = join(this.root, this.exportsDir, batch);
      await ensureDir(dir);
      await ensureDir(dirname(this.ledgerFile)); // the lock file goes there
      const staged = await stageFiles(dir, request.files);
      try {
        const entry = ledgerEntrySchema.parse({
          order_id: request.orderId,
          pivot: request.pivot,
          batch,
          exported_at: exportedAt.toISOString(),
          evidence: staged.map((file) => ({
            path: `${this.exportsDir}/${batch}/${file.name}`,
            sha256: file.sha256,
            bytes: file.bytes,
          })),
          sign_off: request.signOff ?? null,
        });
        await serialize(this.ledgerFile, () =>
          withLock(`${this.ledgerFile}.lock`, this.lockOptions(), () =>
            this.commit(entry, staged, dir),
          ),
        );
        return this.counted(entry, staged);
      } finally {
        await discard(staged);
      }
    } finally {
      this.inFlight.delete(request.orderId);
    }
  }

  /** The ledger's valid entries as they are on disk now (none when it does not exist). */
  async entries(): Promise<LedgerEntry[]> {
    const text = await this.readLedgerText();
    if (text === undefined) return [];
    return parseLedger(text, this.ledger, this.memo).valid.map((valid) => valid.entry);
  }

  /**
   * Removes temp files left by writers that were killed mid-write (their pid is gone).
   * The first writeExport runs it once; until then the checksum collector counts them as
   * orphans, which is true: an export was cut short.
   */
  sweepTempFiles(): Promise<string[]> {
    // Cleaning up is a courtesy: a folder it cannot read must not stop exports.
    this.swept ??= sweepTempFiles(
      [dirname(this.ledgerFile), join(this.root, this.exportsDir)],
      STALE_TEMP_MS,
    ).catch((error: unknown) => {
      process.emitWarning(`LedgerWriter could not sweep leftover temp files: ${String(error)}`);
      return [];
    });
    return this.swept;
  }

  /** Under the lock: check against the ledger, rename the files in, then the ledger. */
  private async commit(entry: LedgerEntry, staged: readonly StagedFile[], dir: string) {
    const text = await this.readLedgerText();
    // Throws LedgerError for an unusable ledger: one we cannot read is never overwritten.
    const parsed = text === undefined ? undefined : parseLedger(text, this.ledger, this.memo);
    const conflict = findConflict(parsed, entry);
    if (conflict) throw new LedgerConflictError(conflict);
    // The raw JSON is appended to, not the parsed form: other fields and entries (even
    // invalid ones) stay exactly as written.
    const doc =
      text === undefined
        ? { version: 1, entries: [] as unknown[] }
        : (JSON.parse(text) as { entries: unknown[] });
    for (const file of staged) await rename(file.temp, file.final);
    await fsyncDir(dir);
    doc.entries.push(entry);
    await writeFileAtomic(this.ledgerFile, `${JSON.stringify(doc, null, 2)}\n`);
  }

  private async readLedgerText(): Promise<string | undefined> {
    try {
      return await readFile(this.ledgerFile, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  private counted(entry: LedgerEntry, staged: readonly StagedFile[]): LedgerEntry {
    const bytes = staged.reduce((sum, file) => sum + file.bytes, 0);
    this.exportCount += 1;
    this.byteCount += bytes;
    try {
      this.options.onExport?.(entry, bytes);
    } catch (error) {
      process.emitWarning(
        `LedgerWriter onExport hook threw for ${entry.order_id} (the export is recorded): ${String(error)}`,
      );
    }
    return entry;
  }

  private lockOptions() {
    return {
      staleMs: this.options.staleLockMs ?? 30_000,
      timeoutMs: this.options.lockTimeoutMs ?? 60_000,
      shown: `${this.ledger}.lock`,
    };
  }
}

function checkMs(option: string, value: number | undefined): void {
  if (value === undefined || (Number.isFinite(value) && value > 0)) return;
  throw new LedgerInputError(
    `LedgerWriter: ${option}: must be a number of milliseconds above 0 (got ${String(value)})`,
  );
}
