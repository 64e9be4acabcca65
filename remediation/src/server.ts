import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { closeServer, formatHostPort, listen, parseListenAddress } from '@layerwatch/local/net';
import { pino, type Logger } from 'pino';
import type { KubernetesClient } from './actions/kubernetes-client.js';
import { ActionRegistry } from './actions/registry.js';
import { AuditLog } from './audit/log.js';
import { Confirmations } from './auth/confirmation.js';
import { TokenSet } from './auth/tokens.js';
import type { RemediationConfig } from './config/schema.js';
import { Engine } from './engine/engine.js';
import { createApp } from './http/app.js';
import type { ServiceContext } from './http/context.js';
import { RemediationMetrics } from './metrics.js';
import { startReplica, type ReplicaLease } from './replica.js';
import { openStore } from './store/open.js';
import type { Store } from './store/types.js';
import { WebhookReceiver } from './webhook/receiver.js';

export interface StartOptions {
  readonly config: RemediationConfig;
  /** Overrides `config.listen` (tests: `127.0.0.1:0`). */
  readonly listen?: string;
  /** Tests point the Kubernetes actions at a stand-in API server. */
  readonly kubernetes?: KubernetesClient;
  readonly logger?: Logger;
}

export interface RunningRemediation {
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  readonly audit: AuditLog;
  /** This replica's id in the store (`replica.id`). */
  readonly replica: string;
  /** Stops accepting, ends open connections, closes the store; safe to call twice. */
  stop(): Promise<void>;
}

export async function startRemediation(options: StartOptions): Promise<RunningRemediation> {
  const { config } = options;
  const logger = options.logger ?? pino({ name: 'layerwatch-remediation', level: 'info' });
  const log = (message: string, fields: Record<string, unknown> = {}) =>
    logger.warn(fields, message);
  const metrics = new RemediationMetrics();
  const store = await openStore(config.store);
  let replica: ReplicaLease | undefined;
  try {
    const audit = await AuditLog.open(store, {
      key: config.audit.keyFile ? readSecret(config.audit.keyFile, 'audit') : undefined,
      anchorFile: config.audit.anchorFile,
      onCommit: (batch, seconds, head) => {
        metrics.auditRecords.inc(batch);
        metrics.auditCommit.observe(seconds);
        metrics.auditHeadSeq.set(head.seq);
        metrics.auditHead.reset();
        metrics.auditHead.set({ hash: head.hash }, 1);
      },
    });
    const lease = await startReplica(config.replica, { store, audit, metrics, log });
    replica = lease;
    const registry = new ActionRegistry(
      config,
      options.kubernetes ? { kubernetes: options.kubernetes } : {},
    );
    const confirmationKey = config.confirmation.secretFile
      ? readFileSync(config.confirmation.secretFile)
      : undefined;
    const engine = new Engine({
      registry,
      store,
      audit,
      confirmations: new Confirmations(confirmationKey, config.confirmation.ttlSeconds),
      limits: config.limits,
      metrics,
      replica: lease.id,
      log,
    });
    const hmac = config.auth.hmac;
    const ctx: ServiceContext = {
      config,
      tokens: new TokenSet(config.auth.tokens),
      hmac: hmac && {
        key: readSecret(hmac.secretFile, 'HMAC'),
        required: hmac.required,
        maxSkewSeconds: hmac.maxSkewSeconds,
      },
      engine,
      registry,
      audit,
      store,
      metrics,
      webhook: new WebhookReceiver(config.webhook, store, engine, metrics),
      log,
    };
    const server = createServer(createApp(ctx));
    server.requestTimeout = 120_000;
    const { host, port } = parseListenAddress(options.listen ?? config.listen);
    const { port: bound } = await listen(server, port, host);
    let stopping: Promise<void> | undefined;
    return {
      url: `http://${formatHostPort(host, bound)}`,
      port: bound,
      store,
      audit,
      replica: lease.id,
      stop() {
        stopping ??= closeServer(server)
          .then(() => lease.stop())
          .then(() => store.close());
        return stopping;
      },
    };
  } catch (error) {
    await replica?.stop();
    await store.close().catch(() => undefined);
    throw error;
  }
}

export function readSecret(file: string, what: 'HMAC' | 'audit'): Buffer {
  const key = readFileSync(file);
  if (key.length < 32) throw new Error(`${file}: the ${what} key must be at least 32 bytes`);
  return key;
}
