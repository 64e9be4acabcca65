import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { SampleSink } from '../format/sample-sink.js';

// blackbox_exporter names versions as Go does ("TLS 1.3"); Node says "TLSv1.3".
const VERSION_NAMES: Readonly<Record<string, string>> = {
  SSLv3: 'SSL 3.0',
  TLSv1: 'TLS 1.0',
  'TLSv1.1': 'TLS 1.1',
  'TLSv1.2': 'TLS 1.2',
  'TLSv1.3': 'TLS 1.3',
};

/** `notAfter` of every certificate in the peer's chain, leaf first, in unix seconds. */
export function chainExpirySeconds(socket: TLSSocket): number[] {
  const expiries: number[] = [];
  const seen = new Set<DetailedPeerCertificate>();
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  // An empty object means no certificate; the root points to itself, which ends the walk.
  while (cert && cert.raw !== undefined && !seen.has(cert)) {
    seen.add(cert);
    const notAfter = Date.parse(cert.valid_to);
    if (!Number.isNaN(notAfter)) expiries.push(Math.floor(notAfter / 1000));
    cert = cert.issuerCertificate;
  }
  return expiries;
}

/**
 * The TLS series blackbox_exporter writes for a TLS connection, for every prober that
 * speaks TLS (tcp, http). Call it once the handshake is done.
 */
export function writeTlsSeries(socket: TLSSocket, metrics: SampleSink): void {
  const expiries = chainExpirySeconds(socket);
  if (expiries.length > 0) {
    const earliest = Math.min(...expiries);
    metrics.gauge(
      'probe_ssl_earliest_cert_expiry',
      'Earliest notAfter in the peer certificate chain, as a unix timestamp',
      earliest,
    );
    // Node verifies a single chain, so its earliest expiry is the one "last chain" to expire.
    // Unverified (insecure_skip_verify) chains have none, as in blackbox_exporter.
    if (socket.authorized) {
      metrics.gauge(
        'probe_ssl_last_chain_expiry_timestamp_seconds',
        'Earliest notAfter of the verified chain that expires last, as a unix timestamp',
        earliest,
      );
    }
  }
  const protocol = socket.getProtocol();
  if (protocol) {
    metrics.gauge('probe_tls_version_info', 'The TLS version in use', 1, {
      version: VERSION_NAMES[protocol] ?? protocol,
    });
  }
}
