import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { ReadinessCollectorSettings } from '../../config/collector-settings.js';
import type { SampleList } from '../../format/sample-sink.js';
import { errorCode, errorMessage } from '../../util/errors.js';
import { periodicCollector } from '../periodic-collector.js';
import type { Collector } from '../types.js';
import { parseReadinessFile, type ReadinessResult } from './readiness-file.js';

/**
 * The readiness gate: production halts when the pipeline's readiness check fails twice in a
 * row, so this exports the last result and the count of consecutive failures for an alert
 * on `layerwatch_readiness_consecutive_failures >= 2`. A missing or malformed file keeps
 * the last good result's series and says so in `layerwatch_readiness_file_valid 0`.
 */
export function createReadinessCollector(
  settings: ReadinessCollectorSettings,
  logger: Logger,
): Collector {
  const counter = failureCounter();
  let lastGood: ReadinessResult | undefined;

  const collect = async (metrics: SampleList): Promise<void> => {
    let valid = 1;
    try {
      const result = parseReadinessFile(await readFile(settings.file, 'utf8'), settings.file);
      lastGood = result;
      counter.observe(result);
    } catch (error) {
      valid = 0;
      const message =
        errorCode(error) === 'ENOENT' ? `${settings.file}: missing` : errorMessage(error);
      logger.warn(
        { collector: 'readiness', err: message },
        'readiness file unusable; keeping the last good result',
      );
    }
    metrics.gauge(
      'layerwatch_readiness_file_valid',
      'Whether the readiness file could be read and parsed on the last attempt.',
      valid,
    );
    if (lastGood) writeResultSeries(lastGood, counter.count(lastGood), metrics);
  };

  return periodicCollector({
    name: 'readiness',
    intervalMs: settings.interval,
    timeoutMs: settings.interval,
    collect,
    logger,
  });
}

function writeResultSeries(
  result: ReadinessResult,
  consecutive: number,
  metrics: SampleList,
): void {
  metrics.gauge(
    'layerwatch_readiness_passed',
    'Whether the last readiness check passed (1) or failed (0).',
    result.status === 'pass' ? 1 : 0,
  );
  metrics.gauge(
    'layerwatch_readiness_last_run_timestamp_seconds',
    'When the last readiness check ran, from its file, in unix seconds.',
    Date.parse(result.timestamp) / 1000,
  );
  metrics.gauge(
    'layerwatch_readiness_consecutive_failures',
    'Readiness checks failed in a row; production halts at 2.',
    consecutive,
  );
  for (const check of result.checks) {
    metrics.gauge(
      'layerwatch_readiness_check_passed',
      'Whether one check of the last readiness run passed.',
      check.status === 'pass' ? 1 : 0,
      {
        check: check.name,
      },
    );
  }
}

/** Counts failures in a row over distinct runs (timestamps), unless the file carries a count. */
function failureCounter() {
  let lastTimestamp: string | undefined;
  let consecutive = 0;
  return {
    observe(result: ReadinessResult): void {
      if (result.timestamp === lastTimestamp) return;
      lastTimestamp = result.timestamp;
      consecutive = result.status === 'fail' ? consecutive + 1 : 0;
    },
    count(result: ReadinessResult): number {
      return result.consecutive_failures ?? consecutive;
    },
  };
}
