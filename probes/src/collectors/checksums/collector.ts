import type { Logger } from 'pino';
import type { ChecksumCollectorSettings } from '../../config/collector-settings.js';
import type { SampleList } from '../../format/sample-sink.js';
import { errorMessage } from '../../util/errors.js';
import { periodicCollector } from '../periodic-collector.js';
import type { Collector } from '../types.js';
import {
  createHasher,
  HashCache,
  LedgerError,
  LedgerMemo,
  verifyLedger,
  type Hasher,
  type StatFn,
  type VerificationReport,
} from '@layerwatch/ledger';
import { writeChecksumSeries } from './series.js';

/** Seams for tests; the daemon passes none. */
export interface ChecksumCollectorHooks {
  /** @default a pool of `hash_workers` threads */
  readonly createHasher?: () => Hasher;
  readonly stat?: StatFn;
  readonly now?: () => number;
}

/** A first full pass over a large ledger may take minutes; later runs only stat. */
const MIN_TIMEOUT_MS = 10 * 60_000;

/**
 * The factory pipeline's ledger, verified every `interval`: each evidence file's SHA-256
 * against the ledger, incrementally (unchanged files reuse their digest) with a full pass
 * every `full_pass_interval`. An unusable ledger keeps the last good verification's series
 * and sets `layerwatch_telemetry_ledger_parse_error 1`. Series in series.ts.
 */
export function createChecksumCollector(
  settings: ChecksumCollectorSettings,
  logger: Logger,
  hooks: ChecksumCollectorHooks = {},
): Collector {
  const log = logger.child({ collector: 'checksums' });
  const cache = new HashCache();
  const ledgerMemo = new LedgerMemo();
  const now = hooks.now ?? Date.now;
  const makeHasher =
    hooks.createHasher ??
    (() =>
      createHasher({
        workers: settings.hash_workers,
        chunkSize: settings.read_chunk_size,
        onWorkerFailure: (error) =>
          log.warn(
            { err: errorMessage(error) },
            'hash workers failed to start; hashing in the main thread',
          ),
      }));
  let lastGood: VerificationReport | undefined;
  let lastFullPassAt: number | undefined;
  /** When the full pass now under way began; it survives a run cut short by its timeout. */
  let fullPassSince: number | undefined;
  let reported = new Set<string>();

  const collect = async (metrics: SampleList, signal: AbortSignal): Promise<void> => {
    const startedAt = now();
    const due =
      lastFullPassAt === undefined || startedAt - lastFullPassAt >= settings.full_pass_interval;
    if (due) fullPassSince ??= startedAt;
    const hasher = makeHasher();
    let parseError = false;
    try {
      const report = await verifyLedger({
        root: settings.root,
        ledger: settings.ledger,
        exportsDir: settings.exports_dir,
        hasher,
        cache,
        ledgerMemo,
        ...(fullPassSince === undefined ? {} : { rehashBefore: fullPassSince }),
        signal,
        now,
        ...(hooks.stat ? { stat: hooks.stat } : {}),
      });
      lastGood = report;
      if (fullPassSince !== undefined) lastFullPassAt = report.verifiedAt;
      fullPassSince = undefined;
      reported = logFindings(log, report, reported);
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      parseError = true;
      log.warn(
        { ledger: settings.ledger, err: error.message },
        'ledger unusable; keeping the last good verification',
      );
    } finally {
      writeChecksumSeries(metrics, lastGood, { parseError, lastFullPassAt });
      await hasher.close();
    }
  };

  return periodicCollector({
    name: 'checksums',
    intervalMs: settings.interval,
    timeoutMs: Math.max(settings.interval, MIN_TIMEOUT_MS),
    collect,
    logger,
  });
}

/** Logs each invalid entry, mismatch and unreadable file once, not on every run. */
function logFindings(
  log: Logger,
  report: VerificationReport,
  before: ReadonlySet<string>,
): Set<string> {
  const now = new Set<string>();
  for (const entry of report.invalidEntries) {
    now.add(entry.message);
    if (!before.has(entry.message)) {
      log.warn(
        { index: entry.index, order_id: entry.orderId, problem: entry.message },
        'invalid ledger entry skipped',
      );
    }
  }
  for (const file of report.files) {
    if (file.status === 'match' || file.status === 'changed') continue;
    const key = `${file.status}\0${file.orderId}\0${file.path}`;
    now.add(key);
    if (before.has(key)) continue;
    const fields = { order_id: file.orderId, path: file.path, reason: file.reason };
    if (file.status === 'mismatch') {
      log.error(
        {
          ...fields,
          expected: file.expectedSha256,
          actual: file.actualSha256,
          bytes: file.bytes,
          expected_bytes: file.expectedBytes,
        },
        'evidence checksum mismatch',
      );
    } else log.warn(fields, 'evidence file not readable');
  }
  return now;
}
