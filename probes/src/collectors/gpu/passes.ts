import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { GpuCollectorSettings } from '../../config/collector-settings.js';
import type { Collector } from '../types.js';
import { createGpuCollector } from './collector.js';
import { createGpuHealthCollector } from './health-collector.js';

/** A bare name stays a PATH lookup; a path resolves against the config file's folder. */
function resolveBinary(base: string, path: string): string {
  return path.includes('/') ? resolve(base, path) : path;
}

/** The `collectors.gpu` settings with their paths resolved against `base`. */
export function resolveGpuPaths(gpu: GpuCollectorSettings, base: string): GpuCollectorSettings {
  return {
    ...gpu,
    nvidia_smi_path: resolveBinary(base, gpu.nvidia_smi_path),
    kernel_log: {
      ...gpu.kernel_log,
      journalctl_path: resolveBinary(base, gpu.kernel_log.journalctl_path),
      file: resolve(base, gpu.kernel_log.file),
    },
  };
}

/**
 * The GPU collector's two passes, each on its own schedule: the fast CSV pass (`interval`,
 * utilisation and memory) and the health pass (`health_interval`, `nvidia-smi -q -x` and
 * the kernel log's XIDs). Their series never overlap.
 */
export function createGpuCollectors(settings: GpuCollectorSettings, logger: Logger): Collector[] {
  return [createGpuCollector(settings, logger), createGpuHealthCollector(settings, logger)];
}
