import { isIPv6 } from 'node:net';
import type { TlsInfo } from './tls-series.js';
import { ipAddressHash } from '../util/ip-hash.js';
import type { SampleSink } from '../format/sample-sink.js';

/** What one HTTP probe measured; written out whatever the outcome, as blackbox does. */
export interface HttpProbeState {
  resolveSeconds: number;
  connectSeconds: number;
  tlsSeconds: number;
  processingSeconds: number;
  transferSeconds: number;
  statusCode: number;
  contentLength: number;
  bodyBytes: number;
  redirects: number;
  ssl: boolean;
  failedDueToRegex: boolean;
  /** The address probed; its family and hash are blackbox's `probe_ip_protocol`/`_addr_hash`. */
  remoteAddress: string | undefined;
  lastModifiedSeconds: number | undefined;
  /** The TLS handshake of the connection that carried the latest response, if any. */
  tls: TlsInfo | undefined;
}

export function newHttpProbeState(): HttpProbeState {
  return {
    resolveSeconds: 0,
    connectSeconds: 0,
    tlsSeconds: 0,
    processingSeconds: 0,
    transferSeconds: 0,
    statusCode: 0,
    contentLength: 0,
    bodyBytes: 0,
    redirects: 0,
    ssl: false,
    failedDueToRegex: false,
    remoteAddress: undefined,
    lastModifiedSeconds: undefined,
    tls: undefined,
  };
}

const DURATION_HELP = 'Duration of http request by phase, summed over all redirects';
// The phase labels, made once rather than per probe.
const RESOLVE = Object.freeze({ phase: 'resolve' });
const CONNECT = Object.freeze({ phase: 'connect' });
const TLS = Object.freeze({ phase: 'tls' });
const PROCESSING = Object.freeze({ phase: 'processing' });
const TRANSFER = Object.freeze({ phase: 'transfer' });

/** The http prober's series, with blackbox_exporter's names and meanings. */
export function writeHttpSeries(state: HttpProbeState, metrics: SampleSink): void {
  metrics.gauge(
    'probe_dns_lookup_time_seconds',
    'Returns the time taken for probe dns lookup in seconds',
    state.resolveSeconds,
  );
  if (state.remoteAddress !== undefined) {
    const family = isIPv6(state.remoteAddress) ? 6 : 4;
    metrics.gauge('probe_ip_protocol', 'Specifies whether probe ip protocol is IP4 or IP6', family);
    metrics.gauge(
      'probe_ip_addr_hash',
      "Specifies the hash of IP address. It's useful to detect if the IP address changes.",
      ipAddressHash(state.remoteAddress),
    );
  }
  metrics.gauge('probe_http_duration_seconds', DURATION_HELP, state.resolveSeconds, RESOLVE);
  metrics.gauge('probe_http_duration_seconds', DURATION_HELP, state.connectSeconds, CONNECT);
  metrics.gauge('probe_http_duration_seconds', DURATION_HELP, state.tlsSeconds, TLS);
  metrics.gauge('probe_http_duration_seconds', DURATION_HELP, state.processingSeconds, PROCESSING);
  metrics.gauge('probe_http_duration_seconds', DURATION_HELP, state.transferSeconds, TRANSFER);
  metrics.gauge(
    'probe_http_content_length',
    'Length of http content response',
    state.contentLength,
  );
  metrics.gauge(
    'probe_http_uncompressed_body_length',
    'Length of uncompressed response body',
    state.bodyBytes,
  );
  metrics.gauge('probe_http_redirects', 'The number of redirects', state.redirects);
  metrics.gauge(
    'probe_http_ssl',
    'Indicates if SSL was used for the final redirect',
    state.ssl ? 1 : 0,
  );
  metrics.gauge('probe_http_status_code', 'Response HTTP status code', state.statusCode);
  metrics.gauge(
    'probe_http_version',
    'Returns the version of HTTP of the probe response',
    state.statusCode ? 1.1 : 0,
  );
  metrics.gauge(
    'probe_failed_due_to_regex',
    'Indicates if probe failed due to regex',
    state.failedDueToRegex ? 1 : 0,
  );
  if (state.lastModifiedSeconds !== undefined) {
    metrics.gauge(
      'probe_http_last_modified_timestamp_seconds',
      'Returns the Last-Modified HTTP response header in unixtime',
      state.lastModifiedSeconds,
    );
  }
}
