import { httpProber } from './http.js';
import { postgresProber } from './postgres.js';
import { redisProber } from './redis.js';
import { tcpProber } from './tcp.js';

/** The one map that dispatches a module's `prober:` to its implementation. */
export const PROBERS = {
  http: httpProber,
  tcp: tcpProber,
  redis: redisProber,
  postgres: postgresProber,
} as const;

export type ProberName = keyof typeof PROBERS;
export const PROBER_NAMES = Object.keys(PROBERS) as ProberName[];
