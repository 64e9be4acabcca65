import type { Logger } from 'pino';
import type { GpuCollectorSettings } from '../../config/collector-settings.js';
import type { SampleList } from '../../format/sample-sink.js';
import { periodicCollector } from '../periodic-collector.js';
import type { Collector } from '../types.js';
import { type ParsedGpus, parseNvidiaSmiCsv } from './csv.js';
import { nvidiaSmiArgs } from './fields.js';
import { runNvidiaSmi } from './run-nvidia-smi.js';
import { type NodeLabels, writeGpuSeries, writeHealthSeries } from './series.js';

/**
 * The GPU collector (layer 8): one `nvidia-smi --query-gpu … --format=csv` run per interval,
 * in the background, shared by every scrape. A run that fails (missing binary, non-zero
 * exit, timeout, output it cannot parse) exports `layerwatch_gpu_collector_up 0` and no GPU
 * series at all, so an old reading is never shown as fresh; the reason goes to the log.
 */
export function createGpuCollector(settings: GpuCollectorSettings, logger: Logger): Collector {
  const node: NodeLabels = { layer: settings.layer, node: settings.node };
  const args = nvidiaSmiArgs();
  const log = failureLog(logger, settings.nvidia_smi_path);
  let lastSuccessSeconds: number | undefined;

  const collect = async (metrics: SampleList, signal: AbortSignal): Promise<void> => {
    const started = performance.now();
    const run = await runNvidiaSmi({
      path: settings.nvidia_smi_path,
      args,
      timeoutMs: settings.timeout,
      signal,
    });
    const parsed: ParsedGpus = run.ok ? parseNvidiaSmiCsv(run.stdout) : run;
    const durationSeconds = (performance.now() - started) / 1000;
    if (parsed.ok) {
      lastSuccessSeconds = Date.now() / 1000;
      log.success(parsed.unreadable);
    } else {
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
