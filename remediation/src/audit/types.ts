/** How a request was handled, as the audit log and the plugin's audit page name it. */
export const AUDIT_MODES = ['dry-run', 'execute', 'webhook', 'auto', 'read', 'denied'] as const;
export type AuditMode = (typeof AUDIT_MODES)[number];
export const AUDIT_OUTCOMES = ['allowed', 'denied', 'succeeded', 'failed', 'dry-run'] as const;
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
}

export interface AuditRecord extends AuditEntry {
  readonly id: string;
  readonly seq: number;
  readonly time: string;
  readonly prevHash: string;
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
}

/** The hash the first record chains from. */
export const GENESIS_HASH = '0'.repeat(64);
