/** How a request was handled, as the audit log and the plugin's audit page name it. */
export const AUDIT_MODES = ['dry-run', 'execute', 'webhook', 'auto', 'read', 'denied'] as const;
export type AuditMode = (typeof AUDIT_MODES)[number];
/**
 * `intent` is written before an action touches its backend; its outcome record (same
 * executionId) after. `unknown`: recovery found an intent without an outcome (the process
 * died mid-way) and never re-runs it.
 */
export const AUDIT_OUTCOMES = [
  'allowed',
  'denied',
  'succeeded',
  'failed',
  'dry-run',
  'intent',
  'unknown',
] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** What a handler knows about a request; the log adds id, seq, time and the hashes. */
export interface AuditEntry {
  readonly actor: string;
  /** The caller's role, or `none` when it never authenticated. */
  readonly role: string;
  readonly actingUser?: string | undefined;
  readonly sourceIp: string;
  readonly method: string;
  readonly path: string;
  readonly action?: string | undefined;
  readonly params?: unknown;
  readonly mode: AuditMode;
  readonly outcome: AuditOutcome;
  readonly status: number;
  readonly durationMs: number;
  readonly result?: unknown;
  readonly error?: string | undefined;
  /** Machine reason of a denial or failure (`invalid_token`, `cooldown`, …). */
  readonly reason?: string | undefined;
  /** Joins an execution's intent to its outcome record. */
  readonly executionId?: string | undefined;
}

export interface AuditRecord extends AuditEntry {
  readonly id: string;
  readonly seq: number;
  readonly time: string;
  readonly prevHash: string;
  /** `hmac-sha256` when the chain is keyed; absent for the unkeyed SHA-256 of older records. */
  readonly mac?: 'hmac-sha256' | undefined;
  readonly hash: string;
}

export interface AuditQuery {
  readonly action?: string | undefined;
  readonly actor?: string | undefined;
  readonly outcome?: string | undefined;
  /** ISO instants, inclusive. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly limit: number;
  /** Newest first: only records with a smaller seq. */
  readonly beforeSeq?: number | undefined;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly checked: number;
  readonly firstBroken?: { readonly seq: number; readonly id: string; readonly reason: string };
  /** The last record checked: what an anchor is compared with. */
  readonly head?: { readonly seq: number; readonly hash: string };
  /** Records chained without the key (written before one was configured). */
  readonly unkeyed?: number;
}

/** The hash the first record chains from. */
export const GENESIS_HASH = '0'.repeat(64);
