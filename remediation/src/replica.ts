import { hostname } from 'node:os';
import type { AuditLog } from './audit/log.js';
import type { RemediationConfig } from './config/schema.js';
import type { RemediationMetrics } from './metrics.js';
import { recoverInterrupted } from './recover-interrupted.js';
import type { Store } from './store/types.js';

/** The replica id: config, then `LAYERWATCH_REPLICA_ID`, then the host name. */
export function replicaId(config: RemediationConfig['replica']): string {
  return config.id ?? (process.env['LAYERWATCH_REPLICA_ID'] || hostname());
}

export interface ReplicaDeps {
  readonly store: Store;
  readonly audit: AuditLog;
  readonly metrics: RemediationMetrics;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
}

export interface ReplicaLease {
  readonly id: string;
  /** Stops the heartbeat (after a renewal under way); the lease runs out on its own. */
  stop(): Promise<void>;
}

/**
 * Takes this replica's lease in the store, recovers what its previous run and any lapsed
 * replica left open, then renews the lease every third of it and, on each renewal, records
 * the intents of replicas whose lease has lapsed (a replica killed and never restarted).
 */
export async function startReplica(
  config: RemediationConfig['replica'],
  deps: ReplicaDeps,
): Promise<ReplicaLease> {
  const id = replicaId(config);
  const leaseMs = config.leaseSeconds * 1000;
  const recover = async (includeOwn: boolean) => {
    const scope = { replica: id, nowMs: Date.now(), includeOwn };
    const count = await recoverInterrupted(deps.store, deps.audit, scope);
    if (count > 0) {
      deps.metrics.interrupted.inc(count);
      deps.log('recorded interrupted executions as unknown (not re-run)', { count, replica: id });
    }
  };
  await deps.store.heartbeat(id, Date.now() + leaseMs);
  await recover(true);
  let running: Promise<void> | undefined;
  const tick = async () => {
    await deps.store.heartbeat(id, Date.now() + leaseMs);
    await recover(false);
  };
  const timer = setInterval(() => {
    running ??= tick()
      .catch((error: unknown) => deps.log('replica heartbeat failed', { error: String(error) }))
      .finally(() => (running = undefined));
  }, leaseMs / 3);
  timer.unref();
  return {
    id,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
