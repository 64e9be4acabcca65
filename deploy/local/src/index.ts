export { freePort } from './free-port.js';
export { findPostgresBinary, type PostgresBinary } from './postgres-binary.js';
export { startPostgres, type PostgresOptions, type RunningPostgres } from './postgres.js';
export type { PemPair } from './postgres-tls.js';
export { startRedis, type RedisOptions } from './redis.js';
export { redisCommands } from './redis-command.js';
export type { LogFn, RunningServer } from './running-server.js';
