/**
 * The factory pipeline's evidence: checksum mismatches, unreadable files, exports without a
 * ledger entry, entries without sign-off, an unexported batch, an unreadable ledger, and
 * the readiness gate that halts production when it fails twice in a row.
 */
import { alert, ruleGroup, type AlertSpec } from '../builders.js';
import type { AlertKey, AlertRulesConfig } from '../config-types.js';
import type { RuleGroup, TestedAlert } from '../types.js';
import { probeLabels, probeSeries, scenario, span } from './scenario.js';

const FILE = {
  order_id: 'ORD-0001',
  path: '.toyfoundry/telemetry/quilt/exports/2026-11-23T13/ORD-0001-metrics.jsonl',
};

interface GaugeAlert {
  readonly key: AlertKey;
  readonly name: string;
  readonly metric: string;
  /** `== 0`, `> 0`, … */
  readonly condition: string;
  readonly summary: string;
  readonly description: (forText: string) => string;
  /** Series labels of the scenario (beyond the probes selector's). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Healthy value, then the value that trips the condition. */
  readonly values: readonly [number, number];
  /** Prints `{{ $value }}`. */
  readonly printsValue?: boolean;
}

/** An alert on one gauge of the probe daemon, with its standard scenario. */
function gaugeAlert(config: AlertRulesConfig, spec: GaugeAlert): TestedAlert {
  const settings = config.alerts[spec.key];
  const labels = spec.labels ?? {};
  const [healthy, tripped] = spec.values;
  const values = `${healthy} ${healthy} ${tripped}x${span(settings.for)}`;
  const full: AlertSpec = {
    name: spec.name,
    expr: `${spec.metric}{${config.selectors.probes}} ${spec.condition}`,
    ...settings,
    summary: spec.summary,
    description: spec.description(settings.for),
    scenarios: [
      scenario(
        `${spec.metric} goes from ${healthy} to ${tripped}`,
        [probeSeries(config, spec.metric, labels, values)],
        '2m',
        probeLabels(config, labels),
        ...(spec.printsValue ? [tripped] : []),
      ),
    ],
  };
  return alert(config, full);
}

export function telemetryAlerts(config: AlertRulesConfig): RuleGroup {
  const specs: GaugeAlert[] = [
    {
      key: 'checksumMismatch',
      name: 'LayerwatchTelemetryChecksumMismatch',
      metric: 'layerwatch_telemetry_checksum_match',
      condition: '== 0',
      summary: 'An evidence file no longer matches its ledger checksum.',
      description: (f) =>
        'Evidence file {{ $labels.path }} of order {{ $labels.order_id }} has not matched the ' +
        `SHA-256 recorded in the ledger for ${f}: it changed after export (corruption or ` +
        'tampering), so it cannot be used as evidence.',
      labels: FILE,
      values: [1, 0],
    },
    {
      key: 'evidenceUnreadable',
      name: 'LayerwatchTelemetryEvidenceUnreadable',
      metric: 'layerwatch_telemetry_file_readable',
      condition: '== 0',
      summary: 'An evidence file recorded in the ledger cannot be read.',
      description: (f) =>
        'Evidence file {{ $labels.path }} of order {{ $labels.order_id }} has been missing or ' +
        `unreadable for ${f}: its checksum cannot be verified.`,
      labels: FILE,
      values: [1, 0],
    },
    {
      key: 'orphanExports',
      name: 'LayerwatchTelemetryOrphanExports',
      metric: 'layerwatch_telemetry_orphan_files',
      condition: '> 0',
      summary: 'Export files exist that no ledger entry records.',
      description: (f) =>
        `{{ $value }} export files have had no ledger entry for ${f}: an export was written ` +
        'without being recorded, so nothing vouches for its content.',
      values: [0, 2],
      printsValue: true,
    },
    {
      key: 'entriesWithoutSignoff',
      name: 'LayerwatchTelemetryEntriesWithoutSignoff',
      metric: 'layerwatch_telemetry_entries_without_signoff',
      condition: '> 0',
      summary: 'Ledger entries wait for an operator sign-off.',
      description: (f) => `{{ $value }} ledger entries have lacked an operator sign-off for ${f}.`,
      values: [0, 3],
      printsValue: true,
    },
    {
      key: 'latestBatchNotExported',
      name: 'LayerwatchTelemetryLatestBatchNotExported',
      metric: 'layerwatch_telemetry_latest_batch_exported',
      condition: '== 0',
      summary: 'The latest batch has not been exported.',
      description: (f) =>
        `The factory's latest batch has had no telemetry export in the ledger for ${f}.`,
      values: [1, 0],
    },
    {
      key: 'ledgerUnparseable',
      name: 'LayerwatchTelemetryLedgerUnparseable',
      metric: 'layerwatch_telemetry_ledger_parse_error',
      condition: '== 1',
      summary: 'The telemetry ledger cannot be parsed.',
      description: (f) =>
        `The ledger (exchange/ledger/index.json) has been unparseable for ${f}: the checksum ` +
        'collector keeps its last good verification, so new exports are not verified.',
      values: [0, 1],
    },
  ];
  return ruleGroup('layerwatch-telemetry', { alerts: specs.map((s) => gaugeAlert(config, s)) });
}

export function readinessAlerts(config: AlertRulesConfig): RuleGroup {
  const halt = config.thresholds.readinessFailuresToHalt;
  const specs: GaugeAlert[] = [
    {
      key: 'readinessGateFailedTwice',
      name: 'LayerwatchReadinessGateFailedTwice',
      metric: 'layerwatch_readiness_consecutive_failures',
      condition: `>= ${halt}`,
      summary: 'The readiness gate failed twice in a row: production is halted.',
      description: () =>
        `The factory's readiness check has failed {{ $value }} times in a row (the runbook ` +
        `halts production at ${halt}): no batch ships until a check passes again.`,
      values: [halt - 1, halt],
      printsValue: true,
    },
    {
      key: 'readinessFileInvalid',
      name: 'LayerwatchReadinessFileInvalid',
      metric: 'layerwatch_readiness_file_valid',
      condition: '== 0',
      summary: 'The readiness file is missing or malformed.',
      description: (f) =>
        `logs/ops_readiness.json has been missing or malformed for ${f}: the readiness gate's ` +
        'state is unknown and the last good result is shown.',
      values: [1, 0],
    },
  ];
  return ruleGroup('layerwatch-readiness', { alerts: specs.map((s) => gaugeAlert(config, s)) });
}
