export { startRemediation, type RunningRemediation, type StartOptions } from './server.js';
export { runRemediationCli, REMEDIATION_USAGE, type CliIo } from './cli/cli.js';
export { loadConfigFile, parseConfig, ConfigError } from './config/load.js';
export {
  configSchema,
  nodeName,
  ACTION_NAMES,
  ROLES,
  type ActionName,
  type ConfigInput,
  type RemediationConfig,
  type Role,
} from './config/schema.js';
export { hashToken } from './auth/tokens.js';
export { signRequest, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './auth/hmac.js';
export { KubernetesClient } from './actions/kubernetes-client.js';
export { openStore } from './store/open.js';
export { SqliteStore } from './store/sqlite.js';
export { PostgresStore } from './store/postgres.js';
export type { Store } from './store/types.js';
export { verifyStore, AuditLog } from './audit/log.js';
export type { AuditRecord, VerifyReport } from './audit/types.js';
export { parseWebhook, type ParsedAlert, type ParsedPayload } from './webhook/parse.js';
export { parseInstant } from './webhook/instant.js';
