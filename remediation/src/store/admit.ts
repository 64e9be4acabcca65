import type { AdmitRequest, AdmitResult, StoredResponse } from './types.js';

/** What an admit transaction read, under its lock, before deciding. */
export interface AdmitState {
  readonly idempotency:
    | {
        readonly requestHash: string;
        readonly status: string;
        readonly response: string | null;
        readonly expiresMs: number;
      }
    | undefined;
  readonly nonceUsed: boolean;
  readonly cooldownUntilMs: number | undefined;
  readonly inflight: number;
}

/** An idempotency key's row, as both stores select it. */
export interface IdempotencyRow {
  readonly request_hash: string;
  readonly status: string;
  readonly response: string | null;
  readonly expires_ms: number;
}

/** The columns of {@link IdempotencyRow}, for both stores' SELECT. */
export const IDEMPOTENCY_COLUMNS = 'request_hash, status, response, expires_ms';

export function idempotencyState(row: IdempotencyRow | undefined): AdmitState['idempotency'] {
  return (
    row && {
      requestHash: row.request_hash,
      status: row.status,
      response: row.response,
      expiresMs: row.expires_ms,
    }
  );
}

/**
 * What an admitted request claims, as both stores write it: its slot until the lease ends,
 * its idempotency key (running, no response yet), its nonce, and its cooldown when it has one.
 */
export interface ClaimRows {
  /** execution_id, lease_until_ms */
  readonly inflight: [string, number];
  /** scope, key, request_hash, expires_ms, execution_id */
  readonly idempotency: [string, string, string, number, string] | undefined;
  /** nonce, expires_ms */
  readonly confirmation: [string, number] | undefined;
  /** key, until_ms */
  readonly cooldown: [string, number] | undefined;
}

export function claimRows(r: AdmitRequest): ClaimRows {
  const { idempotency: idem, confirmation, cooldown } = r;
  return {
    inflight: [r.executionId, r.nowMs + r.leaseMs],
    idempotency: idem && [
      idem.scope,
      idem.key,
      idem.requestHash,
      r.nowMs + idem.ttlMs,
      r.executionId,
    ],
    confirmation: confirmation && [confirmation.nonce, confirmation.expiresMs],
    cooldown:
      cooldown && cooldown.seconds > 0
        ? [cooldown.key, r.nowMs + cooldown.seconds * 1000]
        : undefined,
  };
}

/**
 * The admission rules, apart from any database: a finished idempotent request replays, a
 * running one or a reused key with other params is refused; then single-use confirmation,
 * the cooldown, and the concurrency cap. Both stores read the state and claim in one
 * transaction around this decision.
 */
export function decideAdmit(state: AdmitState, request: AdmitRequest): AdmitResult {
  const idem = state.idempotency;
  if (request.idempotency && idem && idem.expiresMs > request.nowMs) {
    if (idem.requestHash !== request.idempotency.requestHash) {
      return { ok: false, reason: 'idempotency_key_reused' };
    }
    if (idem.status === 'done' && idem.response !== null) {
      return { ok: false, reason: 'replay', stored: JSON.parse(idem.response) as StoredResponse };
    }
    return { ok: false, reason: 'idempotency_in_progress' };
  }
  if (request.confirmation && state.nonceUsed) return { ok: false, reason: 'confirmation_used' };
  if (state.cooldownUntilMs !== undefined && state.cooldownUntilMs > request.nowMs) {
    const retryAfterSeconds = Math.ceil((state.cooldownUntilMs - request.nowMs) / 1000);
    return { ok: false, reason: 'cooldown', retryAfterSeconds };
  }
  if (state.inflight >= request.maxConcurrent) return { ok: false, reason: 'too_many_concurrent' };
  return { ok: true };
}
