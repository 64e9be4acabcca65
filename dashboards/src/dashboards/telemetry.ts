/**
 * Telemetry integrity: the factory pipeline's ledger as the checksum collector verifies it,
 * and the readiness gate that halts production when it fails twice in a row.
 */
import type { DashboardSpec } from '../dashboard.js';
import {
  badFrom,
  flag,
  instant,
  statePanel,
  statPanel,
  tablePanel,
  tableRows,
  YES_NO,
  type PanelBuilder,
  type PanelSpec,
  overTime,
} from '../panels.js';
import { series } from '../promql.js';
import type { DashboardSettings } from '../settings.js';

type CountSpec = Pick<PanelSpec, 'title' | 'description' | 'alerts'> & { readonly metric: string };

export function telemetryIntegrity(s: DashboardSettings): DashboardSpec {
  return {
    slug: 'telemetry-integrity',
    title: 'Layerwatch / Telemetry integrity',
    description:
      "The factory pipeline's evidence: ledger entries, checksum mismatches, unreadable " +
      'evidence, orphan exports, unsigned entries, the latest batch and the readiness gate.',
    tags: ['telemetry', 'factory'],
    variables: [],
    panels: [
      ...ledgerFigures(s),
      ...ledgerVerdicts(s),
      mismatchedOrUnreadableFiles(s),
      lastVerification(s),
      ...readinessGate(s),
    ],
  };
}

/** A count where anything above zero needs a look: red from 1. */
function countPanel(s: DashboardSettings, spec: CountSpec): PanelBuilder {
  return statPanel(s, {
    title: spec.title,
    description: spec.description,
    unit: 'none',
    queries: [instant(series(spec.metric, s.probes), '{{instance}}')],
    alerts: spec.alerts,
    thresholds: badFrom(1),
    span: 6,
    height: 5,
  });
}

/** The ledger's size, and the counts of each way its evidence can be wrong. */
function ledgerFigures(s: DashboardSettings): PanelBuilder[] {
  return [
    statPanel(s, {
      title: 'Ledger entries',
      description: 'Entries in the ledger (exchange/ledger/index.json), valid or not.',
      unit: 'none',
      queries: [instant(series('layerwatch_telemetry_ledger_entries', s.probes), '{{instance}}')],
      alerts: ['LayerwatchTelemetryLedgerUnparseable'],
      span: 6,
      height: 5,
    }),
    countPanel(s, {
      title: 'Checksum mismatches',
      description:
        "Evidence files whose SHA-256 or size differs from the ledger's: the evidence changed after export.",
      metric: 'layerwatch_telemetry_checksum_mismatches',
      alerts: ['LayerwatchTelemetryChecksumMismatch'],
    }),
    countPanel(s, {
      title: 'Unreadable evidence',
      description:
        'Evidence files not read whole: missing, unreadable, or changed while hashed. A missing file is not a mismatch.',
      metric: 'layerwatch_telemetry_unreadable_files',
      alerts: ['LayerwatchTelemetryEvidenceUnreadable'],
    }),
    countPanel(s, {
      title: 'Orphan exports',
      description:
        'Files in the exports folder that no ledger entry cites: exported but never recorded.',
      metric: 'layerwatch_telemetry_orphan_files',
      alerts: ['LayerwatchTelemetryOrphanExports'],
    }),
    countPanel(s, {
      title: 'Entries without sign-off',
      description: 'Valid ledger entries that nobody signed off yet.',
      metric: 'layerwatch_telemetry_entries_without_signoff',
      alerts: ['LayerwatchTelemetryEntriesWithoutSignoff'],
    }),
    countPanel(s, {
      title: 'Invalid ledger entries',
      description:
        'Ledger entries refused: schema errors, duplicate order IDs, paths leaving the root.',
      metric: 'layerwatch_telemetry_invalid_entries',
      alerts: ['LayerwatchTelemetryLedgerUnparseable'],
    }),
  ];
}

/** YES/NO: the latest batch fully exported, and the ledger readable at all. */
function ledgerVerdicts(s: DashboardSettings): PanelBuilder[] {
  return [
    statPanel(s, {
      title: 'Latest batch exported',
      description:
        "YES when the newest batch's entries are all valid and their files all present and matching.",
      unit: 'none',
      queries: [
        instant(series('layerwatch_telemetry_latest_batch_exported', s.probes), '{{instance}}'),
      ],
      alerts: ['LayerwatchTelemetryLatestBatchNotExported'],
      ...flag(YES_NO),
      span: 6,
      height: 5,
    }),
    statPanel(s, {
      title: 'Ledger readable',
      description:
        'NO while the last read of the ledger failed (truncated, not JSON); the other figures are then from the last good verification.',
      unit: 'none',
      queries: [
        instant(
          `1 - ${series('layerwatch_telemetry_ledger_parse_error', s.probes)}`,
          '{{instance}}',
        ),
      ],
      alerts: ['LayerwatchTelemetryLedgerUnparseable'],
      ...flag(YES_NO),
      span: 6,
      height: 5,
    }),
  ];
}

/** Each evidence file that does not match its entry or could not be read, as a table. */
function mismatchedOrUnreadableFiles(s: DashboardSettings): PanelBuilder {
  return tablePanel(s, {
    title: 'Mismatched or unreadable files',
    description:
      'Each evidence file that does not match the ledger (match 0) or could not be read whole (readable 0), by order and path.',
    unit: 'none',
    queries: [
      tableRows(`${series('layerwatch_telemetry_checksum_match', s.probes)} == 0`),
      tableRows(`${series('layerwatch_telemetry_file_readable', s.probes)} == 0`),
    ],
    noValue: 'Every file matches the ledger and reads whole',
    alerts: ['LayerwatchTelemetryChecksumMismatch', 'LayerwatchTelemetryEvidenceUnreadable'],
    span: 24,
  });
}

/** When the checksum collector last verified the ledger. */
function lastVerification(s: DashboardSettings): PanelBuilder {
  return statPanel(s, {
    title: 'Last verification',
    description: 'When the checksum collector last finished a good verification of the ledger.',
    unit: 'dateTimeFromNow',
    queries: [
      instant(
        `${series('layerwatch_telemetry_last_verified_timestamp_seconds', s.probes)} * 1000`,
        '{{instance}}',
      ),
    ],
    alerts: ['LayerwatchTelemetryLedgerUnparseable'],
    span: 8,
    height: 5,
  });
}

/** The readiness gate: its last verdict, failures in a row against the halt, each check. */
function readinessGate(s: DashboardSettings): PanelBuilder[] {
  const p = s.probes;
  const halt = s.thresholds.readinessFailuresToHalt;
  return [
    statPanel(s, {
      title: 'Readiness gate',
      description:
        'Whether the last readiness check of the pipeline passed, and whether its file was valid.',
      unit: 'none',
      queries: [
        instant(series('layerwatch_readiness_passed', p), 'passed'),
        instant(series('layerwatch_readiness_file_valid', p), 'file valid'),
      ],
      alerts: ['LayerwatchReadinessGateFailedTwice', 'LayerwatchReadinessFileInvalid'],
      ...flag(YES_NO),
      span: 8,
      height: 5,
    }),
    statPanel(s, {
      title: 'Readiness failures in a row',
      description: `Readiness checks failed in a row; production halts at ${halt}.`,
      unit: 'none',
      queries: [instant(series('layerwatch_readiness_consecutive_failures', p), '{{instance}}')],
      alerts: ['LayerwatchReadinessGateFailedTwice'],
      page: 'pages',
      thresholds: badFrom(halt),
      span: 8,
      height: 5,
    }),
    statePanel(s, {
      title: 'Readiness checks',
      description: 'Each check of the readiness gate over time, passing (YES) or failing (NO).',
      unit: 'none',
      queries: [overTime(series('layerwatch_readiness_check_passed', p), '{{check}}')],
      alerts: ['LayerwatchReadinessGateFailedTwice'],
      ...flag(YES_NO),
      span: 24,
    }),
  ];
}
