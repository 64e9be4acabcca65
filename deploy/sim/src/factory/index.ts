import type { LedgerWriter, LedgerWriterOptions } from '@layerwatch/ledger';
import { FactoryPipeline } from './pipeline.js';

export { FactoryPipeline, FACTORY_PATHS, type FactoryState } from './pipeline.js';
export { factoryRoutes } from './routes.js';

export interface RunningFactory {
  readonly pipeline: FactoryPipeline;
  stop(): void;
}

/**
 * Starts the demo pipeline: one order exported at once and then every `exportEveryMs`, and
 * the readiness check every `readinessEveryMs`. Timers are unref'd: they never hold a
 * process open.
 */
export async function startFactory(
  root: string,
  {
    exportEveryMs = 60_000,
    readinessEveryMs = 20_000,
    createWriter,
  }: {
    exportEveryMs?: number;
    readinessEveryMs?: number;
    createWriter?: (options: LedgerWriterOptions) => LedgerWriter;
  } = {},
): Promise<RunningFactory> {
  const pipeline = new FactoryPipeline(root, createWriter);
  await pipeline.exportOrder();
  await pipeline.exportOrder();
  await pipeline.runReadinessCheck();
  const timers = [
    setInterval(() => void pipeline.exportOrder().catch(() => undefined), exportEveryMs),
    setInterval(() => void pipeline.runReadinessCheck().catch(() => undefined), readinessEveryMs),
  ];
  for (const timer of timers) timer.unref();
  return { pipeline, stop: () => timers.forEach((t) => clearInterval(t)) };
}
