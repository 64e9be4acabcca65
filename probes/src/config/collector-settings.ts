import { hostname } from 'node:os';
import {
  DEFAULT_EXPORTS_DIR,
  DEFAULT_HASH_WORKERS,
  DEFAULT_LEDGER,
  DEFAULT_READ_CHUNK_SIZE,
} from '@layerwatch/ledger';
import { z } from 'zod';
import { byteSizeSchema, durationSchema } from './duration-schema.js';

/**
 * The `collectors:` block: background collectors beside the probers, each off by default
 * and switched on per daemon. Relative paths are resolved against the config file's folder.
 */
/** A collector's block: off unless `enabled`, unknown keys rejected. */
function collectorBlock<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object({ enabled: z.boolean().default(false), ...shape }).strict();
}

/** Where the GPU health pass reads XID lines (`NVRM: Xid (PCI:…): 79, …`) from. */
export const kernelLogSchema = z
  .object({
    /** `journalctl` (kernel messages, read from a cursor), `file` (read from an offset), `off`. */
    source: z
      .enum(['journalctl', 'file', 'off'], {
        errorMap: () => ({ message: 'must be one of journalctl, file, off' }),
      })
      .default('journalctl'),
    /** source journalctl: the binary, a name looked up on PATH or a path. */
    journalctl_path: z.string().min(1).default('journalctl'),
    /** source file: a kernel log file (`/var/log/kern.log`, or a test's). */
    file: z.string().min(1).default('/var/log/kern.log'),
  })
  .strict();

export const gpuCollectorSchema = collectorBlock({
  /** The nvidia-smi binary: a name looked up on PATH, or a path. */
  nvidia_smi_path: z.string().min(1).default('nvidia-smi'),
  interval: durationSchema.default('15s'),
  /** An nvidia-smi run still going after this long is killed. */
  timeout: durationSchema.default('5s'),
  /** How often the health pass runs `nvidia-smi -q -x` (~0.4 s a run on a real GPU). */
  health_interval: durationSchema.default('60s'),
  /** A health run still going after this long is killed; the last good result stays. */
  health_timeout: durationSchema.default('10s'),
  kernel_log: kernelLogSchema.default({}),
  /** The `node` label on every GPU series. @default this host's name */
  node: z.string().min(1).default(hostname()),
  layer: z.string().min(1).default('8'),
}).refine(
  // A health_interval that did not parse has its own message already.
  (gpu) => !Number.isFinite(gpu.health_interval) || gpu.health_timeout < gpu.health_interval,
  (gpu) => ({
    message:
      `is not shorter than health_interval (${gpu.health_interval / 1000} s): one health ` +
      'run at a time, so lower health_timeout or raise health_interval',
    path: ['health_timeout'],
  }),
);

export const checksumCollectorSchema = collectorBlock({
  /** The factory pipeline's checkout: ledger and evidence paths are relative to it. */
  root: z.string().min(1).default('.'),
  ledger: z.string().min(1).default(DEFAULT_LEDGER),
  exports_dir: z.string().min(1).default(DEFAULT_EXPORTS_DIR),
  interval: durationSchema.default('60s'),
  /** Every this long, re-hash every file even if size, mtime and inode are unchanged. */
  full_pass_interval: durationSchema.default('6h'),
  hash_workers: z.number().int().min(1).max(32).default(DEFAULT_HASH_WORKERS),
  read_chunk_size: byteSizeSchema.default(DEFAULT_READ_CHUNK_SIZE),
});

export const readinessCollectorSchema = collectorBlock({
  /** The readiness check's result file (format in the README). */
  file: z.string().min(1).default('logs/ops_readiness.json'),
  interval: durationSchema.default('15s'),
});

export const collectorsSchema = z
  .object({
    gpu: gpuCollectorSchema.default({}),
    checksums: checksumCollectorSchema.default({}),
    readiness: readinessCollectorSchema.default({}),
  })
  .strict();

export type GpuCollectorSettings = z.output<typeof gpuCollectorSchema>;
export type KernelLogSettings = z.output<typeof kernelLogSchema>;
export type ChecksumCollectorSettings = z.output<typeof checksumCollectorSchema>;
export type ReadinessCollectorSettings = z.output<typeof readinessCollectorSchema>;
