import {
  labelNames,
  labelValues,
  metricNames,
  parseExposition,
  valueOf,
  type ParsedSample,
} from './exposition.js';

/** Values that must be exactly equal whenever both exporters write the series. */
export const SAME_VALUE = [
  'probe_success',
  'probe_http_status_code',
  'probe_http_content_length',
  'probe_http_uncompressed_body_length',
  'probe_http_redirects',
  'probe_http_ssl',
  'probe_http_version',
  'probe_http_last_modified_timestamp_seconds',
  'probe_ssl_earliest_cert_expiry',
  'probe_ssl_last_chain_expiry_timestamp_seconds',
  'probe_failed_due_to_regex',
  'probe_ip_protocol',
  'probe_ip_addr_hash',
] as const;

/** Families whose label values (not only label names) must match. */
const SAME_LABEL_VALUES = [
  ['probe_http_duration_seconds', 'phase'],
  ['probe_tls_version_info', 'version'],
  ['probe_ssl_last_chain_info', 'fingerprint_sha256'],
  ['probe_ssl_last_chain_info', 'subject'],
  ['probe_ssl_last_chain_info', 'issuer'],
  ['probe_ssl_last_chain_info', 'subjectalternative'],
] as const;

export interface DiffOptions {
  /** Series blackbox writes that we leave out on purpose. */
  readonly notEmittedByDesign: ReadonlyMap<string, string>;
  /** Series we write that blackbox does not. */
  readonly ourAdditions: ReadonlyMap<string, string>;
}

/**
 * Each way our answer differs from blackbox's for one probe, one short line each; empty
 * when compatible: missing or extra series, differing values, label names or label values.
 */
export function probeDifferences(
  theirs: readonly ParsedSample[],
  ours: readonly ParsedSample[],
  options: DiffOptions,
): string[] {
  const found: string[] = [];
  const theirNames = metricNames(theirs);
  const ourNames = metricNames(ours);
  for (const name of theirNames) {
    if (!ourNames.includes(name) && !options.notEmittedByDesign.has(name)) {
      found.push(`missing ${name}`);
    }
  }
  for (const name of ourNames) {
    if (!theirNames.includes(name) && !options.ourAdditions.has(name)) found.push(`extra ${name}`);
  }
  for (const name of SAME_VALUE) {
    const expected = valueOf(theirs, name);
    const actual = valueOf(ours, name);
    if (expected !== undefined && actual !== undefined && actual !== expected) {
      found.push(`${name}: blackbox ${expected}, ours ${actual}`);
    }
  }
  for (const name of theirNames.filter((n) => ourNames.includes(n))) {
    const expected = labelNames(theirs, name).join(',');
    const actual = labelNames(ours, name).join(',');
    if (actual !== expected) found.push(`${name} labels: blackbox {${expected}}, ours {${actual}}`);
  }
  for (const [name, label] of SAME_LABEL_VALUES) {
    if (!ourNames.includes(name) || !theirNames.includes(name)) continue;
    const expected = labelValues(theirs, name, label).join(' | ');
    const actual = labelValues(ours, name, label).join(' | ');
    if (actual !== expected) {
      found.push(`${name} ${label}: blackbox [${expected}], ours [${actual}]`);
    }
  }
  return found;
}

/** One `/probe` answer of an exporter (ours or blackbox's), checked to be a 200. */
export async function probeExporter(
  base: string,
  target: string,
  module: string,
): Promise<{ text: string; samples: ParsedSample[] }> {
  const query = new URLSearchParams({ target, module });
  const response = await fetch(`${base}/probe?${query.toString()}`);
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`${base}/probe?${query.toString()} answered ${response.status}: ${text}`);
  }
  return { text, samples: parseExposition(text) };
}
