import type { InvalidEntry } from '../schema.js';

/**
 * - `match`, `mismatch`: read whole and stable; digest and size compared with the ledger.
 * - `missing`: not there (readable 0; never a mismatch).
 * - `unreadable`: there but not readable: permissions, not a regular file, an I/O error.
 * - `changed`: size, mtime or inode moved while it was hashed; read again next run.
 */
export type FileStatus = 'match' | 'mismatch' | 'missing' | 'unreadable' | 'changed';

/** One evidence file of one valid entry. */
export interface FileResult {
  readonly orderId: string;
  /** As the ledger writes it, normalized (`a/./b` → `a/b`). */
  readonly path: string;
  readonly status: FileStatus;
  /** Size on disk when it could be read; undefined when missing or unreadable. */
  readonly bytes: number | undefined;
  readonly expectedBytes: number;
  readonly expectedSha256: string;
  readonly actualSha256: string | undefined;
  /** Why it is not a plain match or mismatch (`missing`, `EACCES: …`, `changed while hashed`). */
  readonly reason: string | undefined;
}

export interface VerificationCounts {
  /** Evidence files checked (one per entry and file). */
  readonly files: number;
  readonly matched: number;
  readonly mismatched: number;
  /** Files with readable 0: missing, unreadable or changed while hashed. */
  readonly unreadable: number;
  readonly changedDuringHash: number;
  /** Distinct files actually hashed this run (the rest reused cached digests). */
  readonly hashedFiles: number;
  readonly hashedBytes: number;
  /** Sum of the sizes of the distinct files checked. */
  readonly bytes: number;
}

export interface VerificationReport {
  /** The ledger as given (relative to the root, or absolute). */
  readonly ledger: string;
  readonly root: string;
  /** When the verification finished, unix milliseconds. */
  readonly verifiedAt: number;
  readonly durationMs: number;
  /** Whether no digest older than this run was trusted (no cache, or `rehashBefore`). */
  readonly fullPass: boolean;
  /** Every entry in the ledger, valid or not. */
  readonly entries: number;
  readonly invalidEntries: readonly InvalidEntry[];
  /** Valid entries whose `sign_off` is null or absent. */
  readonly entriesWithoutSignoff: number;
  readonly files: readonly FileResult[];
  /** Files under the exports folder that no entry cites, relative to the root. */
  readonly orphans: readonly string[];
  readonly latestBatch: string | undefined;
  /** Every entry of the newest batch valid, and all its files present and matching. */
  readonly latestBatchExported: boolean;
  readonly counts: VerificationCounts;
}

export interface VerifyProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

export type ProgressFn = (progress: VerifyProgress) => void;

export function countResults(
  files: readonly FileResult[],
  hashed: { readonly files: number; readonly bytes: number; readonly total: number },
): VerificationCounts {
  const count = (status: FileStatus) => files.filter((file) => file.status === status).length;
  const matched = count('match');
  const mismatched = count('mismatch');
  return {
    files: files.length,
    matched,
    mismatched,
    unreadable: files.length - matched - mismatched,
    changedDuringHash: count('changed'),
    hashedFiles: hashed.files,
    hashedBytes: hashed.bytes,
    bytes: hashed.total,
  };
}
