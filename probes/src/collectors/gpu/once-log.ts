import type { Logger } from 'pino';

export type OnceLog = ReturnType<typeof onceLog>;

/**
 * Logs a failure at warn when it starts or its reason changes, at debug while it repeats,
 * and at info when it ends; one such state per part (`nvidia-smi`, `kernel-log`).
 */
export function onceLog(logger: Logger, collector: string) {
  const last = new Map<string, string>();
  return {
    failure(part: string, reason: string, message: string): void {
      const level = last.get(part) === reason ? 'debug' : 'warn';
      logger[level]({ collector, part, reason }, message);
      last.set(part, reason);
    },
    success(part: string, message: string): void {
      if (last.has(part)) logger.info({ collector, part }, message);
      last.delete(part);
    },
  };
}
