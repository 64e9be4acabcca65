import type { Logger } from 'pino';
import { serializeSamples } from '../format/exposition.js';
import { SampleList } from '../format/sample-sink.js';
import { errorMessage } from '../util/errors.js';
import type { CollectFn, Collector } from './types.js';

export interface PeriodicCollectorOptions {
  readonly name: string;
  readonly intervalMs: number;
  /** A run still going after this long is aborted (its signal fires). */
  readonly timeoutMs: number;
  readonly collect: CollectFn;
  readonly logger: Logger;
}

/**
 * Runs `collect` every `intervalMs`, never two at once: a run that overlaps the next tick
 * makes that tick wait instead of piling up. The rendered text is swapped in one step, so
 * a scrape sees one whole collection, never half of two.
 */
export function periodicCollector(options: PeriodicCollectorOptions): Collector {
  let rendered = '';
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let controller: AbortController | undefined;
  let stopped = false;

  const runOnce = async (): Promise<void> => {
    const metrics = new SampleList();
    controller = new AbortController();
    const timeout = setTimeout(
      () => controller?.abort(new Error(`${options.name} collection timed out`)),
      options.timeoutMs,
    );
    try {
      await options.collect(metrics, controller.signal);
    } catch (error) {
      options.logger.warn(
        { collector: options.name, err: errorMessage(error) },
        'collection failed',
      );
    } finally {
      clearTimeout(timeout);
    }
    if (!stopped) rendered = serializeSamples(metrics.samples);
  };

  const collectNow = (): Promise<void> => {
    running ??= runOnce().finally(() => (running = undefined));
    return running;
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void collectNow().then(schedule), options.intervalMs);
    timer.unref();
  };

  return {
    name: options.name,
    start: () => void collectNow().then(schedule),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort(new Error(`${options.name} collector stopped`));
      await running;
    },
    render: () => rendered,
    collectNow,
  };
}
