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
