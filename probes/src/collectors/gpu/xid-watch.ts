import type { KernelLogSettings } from '../../config/collector-settings.js';
import { kernelLog } from './kernel-log.js';
import type { OnceLog } from './once-log.js';
import { parseXidLine, type XidCount, type XidEvent, XidTally } from './xid.js';

/** The kernel log is read before nvidia-smi, in at most this long. */
export const KERNEL_LOG_TIMEOUT_MS = 5000;

export interface XidWatch {
  /** Reads the log's new lines; whether that worked (undefined: the source is `off`). */
  read(signal: AbortSignal, timeoutMs: number): Promise<boolean | undefined>;
  counts(): XidCount[];
  lastByCode(): XidEvent[];
  last(): XidEvent[];
}

/**
 * XID errors from the kernel log, read incrementally on each health pass. A log that
 * cannot be read is said once in the log (and in `layerwatch_gpu_kernel_log_readable`),
 * never silently.
 */
export function xidWatch(settings: KernelLogSettings, log: OnceLog): XidWatch {
  const source = kernelLog(settings);
  const tally = new XidTally();
  return {
    async read(signal, timeoutMs) {
      if (!source) return undefined;
      const read = await source.read(signal, timeoutMs);
      if (!read.ok) {
        log.failure(
          'kernel-log',
          read.reason,
          `cannot read the kernel log (${source.describe}): XID errors go unseen`,
        );
        return false;
      }
      log.success('kernel-log', `reads the kernel log again (${source.describe})`);
      const events = read.lines.map(parseXidLine).filter((event) => event !== undefined);
      tally.add(events, Date.now() / 1000);
      return true;
    },
    counts: () => tally.counts(),
    lastByCode: () => tally.lastByCode(),
    last: () => tally.last(),
  };
}
