import type { Logger } from 'pino';
import type { GpuCollectorSettings } from '../../config/collector-settings.js';
import type { SampleList } from '../../format/sample-sink.js';
import { periodicCollector } from '../periodic-collector.js';
import type { Collector } from '../types.js';
import { type ParsedGpus, parseNvidiaSmiCsv } from './csv.js';
import { fieldDiscovery } from './field-discovery.js';
import { runNvidiaSmi, type RunOutcome } from './run-nvidia-smi.js';
import { type NodeLabels, writeGpuSeries, writeHealthSeries } from './series.js';

/** What the CSV pass reads of the `collectors.gpu` settings. */
export type CsvPassSettings = Pick<
  GpuCollectorSettings,
  'nvidia_smi_path' | 'interval' | 'timeout' | 'node' | 'layer'
>;

/**
 * The GPU collector (layer 8): one `nvidia-smi --query-gpu … --format=csv` run per interval,
 * in the background, shared by every scrape. A run that fails (missing binary, non-zero
 * exit, timeout, output it cannot parse) exports `layerwatch_gpu_collector_up 0` and no GPU
 * series at all, so an old reading is never shown as fresh; the reason goes to the log.
 * The fields asked for are those the installed driver knows (field-discovery.ts), learnt at
 * start and again after a failed run.
 */
export function createGpuCollector(settings: CsvPassSettings, logger: Logger): Collector {
  const node: NodeLabels = { layer: settings.layer, node: settings.node };
  const path = settings.nvidia_smi_path;
  const fields = fieldDiscovery({ path, timeoutMs: settings.timeout, logger });
  const log = failureLog(logger, path);
  let lastSuccessSeconds: number | undefined;

  const query = async (signal: AbortSignal): Promise<RunOutcome> => {
    const found = await fields.plan(signal);
    if (!found.ok) return found;
    return runNvidiaSmi({ path, args: found.plan.args, timeoutMs: settings.timeout, signal });
  };

  const collect = async (metrics: SampleList, signal: AbortSignal): Promise<void> => {
    const started = performance.now();
    const run = await query(signal);
    const parsed: ParsedGpus = run.ok ? parseNvidiaSmiCsv(run.stdout) : run;
    const durationSeconds = (performance.now() - started) / 1000;
    if (parsed.ok) {
      lastSuccessSeconds = Date.now() / 1000;
      log.success(parsed.unreadable);
    } else {
      fields.forget();
      log.failure(parsed.reason);
    }
    writeHealthSeries(
      {
        up: parsed.ok,
        durationSeconds,
        gpus: parsed.ok ? parsed.gpus.length : undefined,
        lastSuccessSeconds,
      },
      node,
      metrics,
    );
    if (parsed.ok) writeGpuSeries(parsed.gpus, node, metrics);
  };

  return periodicCollector({
    name: 'gpu',
    intervalMs: settings.interval,
    timeoutMs: settings.timeout,
    collect,
    logger,
  });
}

/**
 * Logs a failure at warn when it starts or its reason changes, and at debug while it
 * repeats, so a node without a driver does not fill the log every 15 s; says when it ends.
 */
function failureLog(logger: Logger, path: string) {
  let lastReason: string | undefined;
  return {
    failure(reason: string): void {
      const level = reason === lastReason ? 'debug' : 'warn';
      logger[level](
        { collector: 'gpu', path, reason },
        'nvidia-smi run failed; no GPU series this time',
      );
      lastReason = reason;
    },
    success(unreadable: readonly string[]): void {
      if (lastReason !== undefined)
        logger.info({ collector: 'gpu', path }, 'nvidia-smi works again');
      lastReason = undefined;
      if (unreadable.length > 0) {
        logger.debug(
          { collector: 'gpu', cells: unreadable.slice(0, 10) },
          'nvidia-smi cells left out: not numbers',
        );
      }
    },
  };
}
