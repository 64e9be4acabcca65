import type { ActionRegistry } from '../actions/registry.js';
import type { AuditLog } from '../audit/log.js';
import type { AuditEntry } from '../audit/types.js';
import type { HmacPolicy } from '../auth/hmac.js';
import type { TokenSet } from '../auth/tokens.js';
import type { RemediationConfig } from '../config/schema.js';
import type { Engine } from '../engine/engine.js';
import type { RemediationMetrics } from '../metrics.js';
import type { Store } from '../store/types.js';
import type { WebhookReceiver } from '../webhook/receiver.js';

/** What every route needs, built once by the server. */
export interface ServiceContext {
  readonly config: RemediationConfig;
  readonly tokens: TokenSet;
  readonly hmac: HmacPolicy | undefined;
  readonly engine: Engine;
  readonly registry: ActionRegistry;
  readonly audit: AuditLog;
  readonly store: Store;
  readonly metrics: RemediationMetrics;
  readonly webhook: WebhookReceiver;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
}

export type { AuditEntry };
