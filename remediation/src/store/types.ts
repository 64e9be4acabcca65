import type { AuditBuilder, AuditPersistence, OrphanScope } from '../audit/persistence.js';
import type { AuditRecord } from '../audit/types.js';

export type { AuditBuilder, OrphanScope };

/** The stored answer of an execution, replayed for a retried Idempotency-Key. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Everything `execute` must claim at once, in one transaction, before it runs an action. */
export interface AdmitRequest {
  readonly executionId: string;
  readonly nowMs: number;
  readonly idempotency?: {
    readonly scope: string;
    readonly key: string;
    readonly requestHash: string;
    readonly ttlMs: number;
  };
  readonly confirmation?: { readonly nonce: string; readonly expiresMs: number };
  readonly cooldown?: { readonly key: string; readonly seconds: number };
  readonly maxConcurrent: number;
  /** How long the concurrency slot is held if the process dies before `finish`. */
  readonly leaseMs: number;
}

export type AdmitResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'replay'; readonly stored: StoredResponse }
  | { readonly ok: false; readonly reason: 'idempotency_key_reused' | 'idempotency_in_progress' }
  | { readonly ok: false; readonly reason: 'confirmation_used' }
  | { readonly ok: false; readonly reason: 'cooldown'; readonly retryAfterSeconds: number }
  | { readonly ok: false; readonly reason: 'too_many_concurrent' };

export interface FinishRequest {
  readonly executionId: string;
  readonly idempotency?: { readonly scope: string; readonly key: string };
  readonly response: StoredResponse;
}

export interface PageInput {
  readonly dedupeKey: string;
  readonly fingerprint: string;
  readonly status: 'firing' | 'resolved';
  readonly alertname: string;
  readonly priority: string;
  readonly severity: string;
  readonly layer?: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt?: string | undefined;
  readonly receivedAt: string;
  readonly receiver: string;
}

export interface Page extends Omit<PageInput, 'dedupeKey'> {
  readonly id: string;
  readonly deliveries: number;
}

export interface PageQuery {
  readonly status?: 'firing' | 'resolved' | undefined;
  readonly limit: number;
  readonly beforeId?: number | undefined;
}

/**
 * Where the service keeps what must survive a restart: the audit chain, idempotency keys,
 * cooldowns, concurrency slots, used confirmations, pages and auto-remediation runs.
 * SQLite and PostgreSQL implement it; every write resolves only once it is durable.
 */
export interface Store extends AuditPersistence {
  readonly kind: 'sqlite' | 'postgres';
  admit(request: AdmitRequest): Promise<AdmitResult>;
  finish(request: FinishRequest): Promise<void>;
  /** Frees an execution's concurrency slot and its Idempotency-Key (a retry may run). */
  release(executionId: string): Promise<void>;
  upsertPage(input: PageInput): Promise<{ page: Page; created: boolean }>;
  listPages(query: PageQuery): Promise<Page[]>;
  /** True for the one caller that claims this alert instance and rule; false while claimed. */
  claimAutoRun(instanceKey: string, rule: string, nowMs: number): Promise<boolean>;
  /** Gives a claim back (the engine refused the run), so the next delivery tries again. */
  releaseAutoRun(instanceKey: string, rule: string): Promise<void>;
  /** Extends this replica's lease to `leaseUntilMs`: its open intents are not recovered. */
  heartbeat(replica: string, leaseUntilMs: number): Promise<void>;
  /** Runs `work` while no other process sharing the store runs its own `exclusive` work. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The columns kept beside each audit body, by the body's field names; verification checks
 * they agree with it.
 */
export function auditColumns(record: AuditRecord): Record<string, string | null> {
  return {
    id: record.id,
    time: record.time,
    actor: record.actor,
    action: record.action ?? null,
    outcome: record.outcome,
    mode: record.mode,
    executionId: record.executionId ?? null,
  };
}
