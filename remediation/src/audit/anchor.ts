import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { VerifyReport } from './types.js';

/** The chain's head as last committed: kept outside the database, so a cut tail shows. */
export interface AuditAnchor {
  readonly seq: number;
  readonly hash: string;
}

/** Replaces the file atomically (write, then rename): a reader never sees half an anchor. */
export function writeAnchor(file: string, head: AuditAnchor): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ seq: head.seq, hash: head.hash })}\n`);
  renameSync(temp, file);
}

export function readAnchor(file: string): AuditAnchor {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { seq?: unknown; hash?: unknown };
  if (typeof parsed.seq !== 'number' || typeof parsed.hash !== 'string') {
    throw new Error(`${file}: not an audit anchor (expected {"seq": N, "hash": "…"})`);
  }
  return { seq: parsed.seq, hash: parsed.hash };
}

/**
 * Why the verified chain disagrees with the anchor, or undefined. The store may be ahead of
 * the anchor (a commit whose anchor write was cut short), never behind it, and the record
 * at the anchor's seq must carry the anchor's hash.
 */
export function anchorProblem(
  report: VerifyReport,
  anchor: AuditAnchor,
  hashAt: string | undefined,
): string | undefined {
  const count = report.head?.seq ?? 0;
  if (count < anchor.seq) {
    return `the chain ends at seq ${count} but the anchor records ${anchor.seq}: records were cut from the tail`;
  }
  if (anchor.seq > 0 && hashAt !== anchor.hash) {
    return `the record at seq ${anchor.seq} does not carry the anchor's hash: the chain was rewritten`;
  }
  return undefined;
}
