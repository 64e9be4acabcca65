import type { AuditLog } from '../audit/log.js';
import type { AuditEntry, AuditOutcome } from '../audit/types.js';
import { StorableError, printable } from '../input/storable.js';
import type { RemediationMetrics } from '../metrics.js';
import type { Caller } from './caller.js';
import { fail, type Outcome } from './outcome.js';

export type Mode = 'dry-run' | 'execute' | 'auto';

function who(caller: Caller) {
  return {
    actor: caller.principal.subject,
    role: caller.principal.role,
    actingUser: caller.actingUser,
    sourceIp: caller.sourceIp,
    method: caller.method,
    path: caller.path,
  };
}

/** Written, and durable, before an action touches its backend, by replica `replica`. */
export function intentEntry(
  caller: Caller,
  mode: Mode,
  action: string,
  params: unknown,
  target: string,
  executionId: string,
  replica: string,
): AuditEntry {
  return {
    ...who(caller),
    action,
    params,
    mode,
    outcome: 'intent',
    status: 0, // not answered yet
    durationMs: 0,
    // The owner: no other replica recovers the intent while this one's lease holds.
    result: { target, replica },
    executionId,
  };
}

/** The record of how a request ended: a denial, a dry-run, or an execution's outcome. */
export function outcomeEntry(
  caller: Caller,
  mode: Mode,
  action: string,
  params: unknown,
  outcome: Outcome,
  durationMs: number,
  executionId?: string,
): AuditEntry {
  const b = outcome.body;
  const executed = outcome.status === 200 && mode !== 'dry-run';
  const replayed = outcome.status === 200 && b['replayed'] === true;
  const auditOutcome: AuditOutcome =
    outcome.status !== 200
      ? outcome.status === 422 || outcome.status >= 500
        ? 'failed'
        : 'denied'
      : mode === 'dry-run'
        ? 'dry-run'
        : replayed
          ? 'allowed'
          : b['status'] === 'succeeded'
            ? 'succeeded'
            : 'failed';
  return {
    ...who(caller),
    action,
    params,
    mode,
    outcome: auditOutcome,
    status: outcome.status,
    durationMs,
    result: executed
      ? replayed
        ? { replayedExecutionId: b['executionId'] }
        : b['result']
      : mode === 'dry-run' && outcome.status === 200
        ? { target: b['target'], plan: b['plan'] }
        : undefined,
    error: typeof b['error'] === 'string' ? b['error'] : undefined,
    reason:
      typeof b['reason'] === 'string' ? b['reason'] : replayed ? 'idempotent_replay' : undefined,
    executionId,
  };
}

export type Written = { ok: true; id: string } | { ok: false; outcome: Outcome };

/**
 * Appends one record. A value no store may hold fails only this request, as a 400 naming
 * the field (recorded without the offending values); a store that cannot write is a 503.
 */
export async function writeRecord(
  audit: AuditLog,
  entry: AuditEntry,
  metrics: RemediationMetrics,
  log: (message: string, fields?: Record<string, unknown>) => void,
): Promise<Written> {
  try {
    return { ok: true, id: (await audit.append(entry)).id };
  } catch (error) {
    if (error instanceof StorableError) {
      const bad = fail(400, 'invalid_input', `${error.field}: ${error.problem}`);
      const stripped: AuditEntry = {
        ...entry,
        action: entry.action === undefined ? undefined : printable(entry.action),
        params: undefined,
        result: undefined,
        outcome: 'denied',
        status: 400,
        error: String(bad.body['error']),
        reason: 'invalid_input',
      };
      const again = await audit.append(stripped).then(
        (r) => r.id,
        () => undefined,
      );
      if (again !== undefined)
        return { ok: false, outcome: { ...bad, body: { ...bad.body, auditId: again } } };
    }
    metrics.auditFailures.inc();
    log('audit write failed; answering 503', { error: String(error) });
    return {
      ok: false,
      outcome: fail(
        503,
        'audit_unavailable',
        'the audit log could not be written, so the answer is withheld; retry with the same Idempotency-Key',
      ),
    };
  }
}
