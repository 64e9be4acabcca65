export {
  startAlertmanager,
  type AlertmanagerCluster,
  type AlertmanagerOptions,
  type RunningAlertmanager,
} from './alertmanager.js';
export { freePort } from './net/free-port.js';
export { findPostgresBinary, type PostgresBinary } from './postgres-binary.js';
export { startPostgres, type PostgresOptions, type RunningPostgres } from './postgres.js';
export { startPrometheus, type PrometheusOptions, type RunningPrometheus } from './prometheus.js';
export {
  startProcessServer,
  type ProcessServerOptions,
  type RunningProcessServer,
} from './process-server.js';
export { promtoolCheckMetrics } from './promtool.js';
export { startRedis, type RedisOptions } from './redis.js';
export { redisCommands, type RedisCommandOptions } from './redis-command.js';
export type { LogFn, PemPair, RunningServer } from './running-server.js';
export { startSilentServer, type HeldConnection, type SilentServer } from './silent-server.js';
