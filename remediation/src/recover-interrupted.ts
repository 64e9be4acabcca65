import type { Store } from './store/types.js';
import type { AuditLog } from './audit/log.js';

/**
 * At start: every intent without an outcome belongs to an execution whose process died
 * between the two records. Whether its action reached the backend is unknown, so it is
 * recorded as `unknown` and never re-run; its concurrency slot and Idempotency-Key are
 * freed, so the caller's retry is answered. Resolves with how many were found.
 */
export async function recoverInterrupted(store: Store, audit: AuditLog): Promise<number> {
  const orphans = await store.orphanIntents();
  await Promise.all(
    orphans.map(async (intent) => {
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
        result: { intentSeq: intent.seq },
        error:
          'the service stopped after recording the intent; whether the action ran is unknown: check its target',
        reason: 'interrupted',
        executionId: intent.executionId,
      });
      if (intent.executionId) await store.release(intent.executionId);
    }),
  );
  return orphans.length;
}
