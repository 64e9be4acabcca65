import type { AuditLog } from './audit/log.js';
import type { AuditRecord } from './audit/types.js';
import type { OrphanScope, Store } from './store/types.js';

/**
 * Intents without an outcome whose replica can no longer finish them: at start this
 * replica's own from its previous run (and ownerless ones), at any time those of a replica
 * whose lease has lapsed. Whether such an action reached the backend is unknown, so it is
 * recorded as `unknown` and never re-run; its concurrency slot and Idempotency-Key are
 * freed, so the caller's retry is answered. Under the store's `exclusive` lock, so two
 * replicas never record one intent twice. Resolves with how many were recorded.
 */
export async function recoverInterrupted(
  store: Store,
  audit: AuditLog,
  scope: OrphanScope,
): Promise<number> {
  return store.exclusive(async () => {
    const orphans = await store.orphanIntents(scope);
    await Promise.all(orphans.map((intent) => recordUnknown(store, audit, intent, scope)));
    return orphans.length;
  });
}

async function recordUnknown(
  store: Store,
  audit: AuditLog,
  intent: AuditRecord,
  scope: OrphanScope,
): Promise<void> {
  const owner = (intent.result as { replica?: unknown } | undefined)?.replica;
  await audit.append({
    actor: intent.actor,
    role: intent.role,
    actingUser: intent.actingUser,
    sourceIp: intent.sourceIp,
    method: intent.method,
    path: intent.path,
    action: intent.action,
    params: intent.params,
    mode: intent.mode,
    outcome: 'unknown',
    status: 0,
    durationMs: 0,
    result: {
      intentSeq: intent.seq,
      ...(typeof owner === 'string' ? { replica: owner } : {}),
      recoveredBy: scope.replica,
    },
    error: `replica ${typeof owner === 'string' ? owner : '(unnamed)'} stopped after recording the intent; whether the action ran is unknown: check its target`,
    reason: 'interrupted',
    executionId: intent.executionId,
  });
  if (intent.executionId) await store.release(intent.executionId);
}
