import type { SampleSink } from '../../format/sample-sink.js';
import type { FileResult, VerificationReport } from '@layerwatch/ledger';

/** Label names of the per-file series: bounded, and never the hash. */
export type ChecksumFileLabel = 'order_id' | 'path';

export const CHECKSUM_METRICS = {
  parseError: 'layerwatch_telemetry_ledger_parse_error',
  entries: 'layerwatch_telemetry_ledger_entries',
  invalidEntries: 'layerwatch_telemetry_invalid_entries',
  withoutSignoff: 'layerwatch_telemetry_entries_without_signoff',
  orphans: 'layerwatch_telemetry_orphan_files',
  latestBatchExported: 'layerwatch_telemetry_latest_batch_exported',
  lastVerified: 'layerwatch_telemetry_last_verified_timestamp_seconds',
  lastFullPass: 'layerwatch_telemetry_last_full_pass_timestamp_seconds',
  duration: 'layerwatch_telemetry_verification_duration_seconds',
  hashedBytes: 'layerwatch_telemetry_hashed_bytes',
  mismatches: 'layerwatch_telemetry_checksum_mismatches',
  unreadable: 'layerwatch_telemetry_unreadable_files',
  changed: 'layerwatch_telemetry_files_changed_during_hash',
  match: 'layerwatch_telemetry_checksum_match',
  readable: 'layerwatch_telemetry_file_readable',
  bytes: 'layerwatch_telemetry_file_bytes',
} as const;

const M = CHECKSUM_METRICS;

/**
 * The collector's series. `report` is the last good verification (kept while the ledger is
 * unparseable); undefined before the first one, when only the parse-error gauge is written.
 */
export function writeChecksumSeries(
  metrics: SampleSink,
  report: VerificationReport | undefined,
  state: { readonly parseError: boolean; readonly lastFullPassAt: number | undefined },
): void {
  metrics.gauge(
    M.parseError,
    'Whether the last read of the ledger failed (not JSON, truncated, wrong top level); the other series are then from the last good verification.',
    state.parseError ? 1 : 0,
  );
  if (!report) return;
  writeLedgerSeries(metrics, report);
  writeRunSeries(metrics, report, state.lastFullPassAt);
  writeFileCounts(metrics, report);
  for (const file of report.files) writeFileSeries(metrics, file);
}

/** What the ledger says: its entries, the refused and unsigned ones, orphans, the newest batch. */
function writeLedgerSeries(metrics: SampleSink, report: VerificationReport): void {
  metrics.gauge(M.entries, 'Entries in the ledger, valid or not.', report.entries);
  metrics.gauge(
    M.invalidEntries,
    'Ledger entries refused: schema errors, duplicate order IDs, paths leaving the root.',
    report.invalidEntries.length,
  );
  metrics.gauge(
    M.withoutSignoff,
    'Valid ledger entries without a sign-off.',
    report.entriesWithoutSignoff,
  );
  metrics.gauge(
    M.orphans,
    'Files in the exports folder that no ledger entry cites.',
    report.orphans.length,
  );
  metrics.gauge(
    M.latestBatchExported,
    "Whether the newest batch's entries are all valid and their files all present and matching.",
    report.latestBatchExported ? 1 : 0,
  );
}

/** When the verification ran, how long it took and how much it hashed. */
function writeRunSeries(
  metrics: SampleSink,
  report: VerificationReport,
  lastFullPassAt: number | undefined,
): void {
  metrics.gauge(
    M.lastVerified,
    'When the last good verification finished, in unix seconds.',
    report.verifiedAt / 1000,
  );
  if (lastFullPassAt !== undefined) {
    metrics.gauge(
      M.lastFullPass,
      'When the last verification that re-hashed every file finished, in unix seconds.',
      lastFullPassAt / 1000,
    );
  }
  metrics.gauge(M.duration, 'How long the last good verification took.', report.durationMs / 1000);
  metrics.gauge(
    M.hashedBytes,
    'Bytes hashed by the last good verification (the rest reused cached digests).',
    report.counts.hashedBytes,
  );
}

/** How many evidence files failed, and how. */
function writeFileCounts(metrics: SampleSink, { counts }: VerificationReport): void {
  metrics.gauge(
    M.mismatches,
    'Evidence files whose SHA-256 or size differs from the ledger.',
    counts.mismatched,
  );
  metrics.gauge(
    M.unreadable,
    'Evidence files not read whole: missing, unreadable, or changed while hashed.',
    counts.unreadable,
  );
  metrics.gauge(
    M.changed,
    'Evidence files that changed while being hashed; read again next run.',
    counts.changedDuringHash,
  );
}

/** One evidence file: readable always, match only when read, bytes when known. */
function writeFileSeries(metrics: SampleSink, file: FileResult): void {
  const labels: Readonly<Record<ChecksumFileLabel, string>> = {
    order_id: file.orderId,
    path: file.path,
  };
  const readable = file.status === 'match' || file.status === 'mismatch';
  metrics.gauge(
    M.readable,
    'Whether the evidence file was read whole and stable (a missing file is 0, not a mismatch).',
    readable ? 1 : 0,
    labels,
  );
  if (readable) {
    metrics.gauge(
      M.match,
      "Whether the evidence file's SHA-256 and size match the ledger.",
      file.status === 'match' ? 1 : 0,
      labels,
    );
  }
  if (file.bytes !== undefined) {
    metrics.gauge(M.bytes, 'Size of the evidence file on disk.', file.bytes, labels);
  }
}
