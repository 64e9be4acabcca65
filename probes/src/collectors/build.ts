import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { ProbeConfig } from '../config/schema.js';
import { createGpuCollectors, resolveGpuPaths } from './gpu/index.js';
import { createReadinessCollector } from './readiness/index.js';
import { createChecksumCollector } from './checksums/index.js';
import type { Collector } from './types.js';

/**
 * The collectors a config switches on. Relative paths resolve against the config file's
 * folder, as Prometheus resolves its rule files, so a config works from any working dir.
 */
export function buildCollectors(
  config: ProbeConfig,
  configFile: string,
  logger: Logger,
): Collector[] {
  const base = dirname(resolve(configFile));
  const { gpu, readiness, checksums } = config.collectors;
  const collectors: Collector[] = [];
  if (gpu.enabled) collectors.push(...createGpuCollectors(resolveGpuPaths(gpu, base), logger));
  if (checksums.enabled) {
    collectors.push(
      createChecksumCollector({ ...checksums, root: resolve(base, checksums.root) }, logger),
    );
  }
  if (readiness.enabled) {
    collectors.push(
      createReadinessCollector({ ...readiness, file: resolve(base, readiness.file) }, logger),
    );
  }
  return collectors;
}
