import type { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { SampleSink } from '../format/sample-sink.js';
import { certificateNames, type CertificateNames } from './distinguished-name.js';

// blackbox_exporter names versions as Go does ("TLS 1.3"); Node says "TLSv1.3".
const VERSION_NAMES: Readonly<Record<string, string>> = {
  SSLv3: 'SSL 3.0',
  TLSv1: 'TLS 1.0',
  'TLSv1.1': 'TLS 1.1',
  'TLSv1.2': 'TLS 1.2',
  'TLSv1.3': 'TLS 1.3',
};

/** Go's `time.Time{}.Unix()`: what blackbox_exporter reports when no chain was verified. */
const GO_ZERO_TIME_SECONDS = -62135596800;

/** The certificate's DNS names, comma-joined (IP and other SAN kinds are left out, as Go does). */
function dnsNames(subjectAltName: string | undefined): string {
  return (subjectAltName ?? '')
    .split(', ')
    .filter((name) => name.startsWith('DNS:'))
    .map((name) => name.slice(4))
    .join(',');
}

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

/** What a TLS handshake showed, read once per connection (a reused one is not re-read). */
export interface TlsInfo {
  readonly expiries: readonly number[];
  readonly authorized: boolean;
  readonly protocol: string | null;
  readonly leaf: Readonly<Record<string, string>> | undefined;
}

/**
 * Go's form of the leaf's names. OpenSSL accepted the certificate, so our DER parser should
 * too; if it does not, Node's own rendering (comma-joined) beats failing a good probe.
 */
function readNames(leaf: X509Certificate): CertificateNames {
  try {
    return certificateNames(leaf);
  } catch {
    const commaJoined = (text: string): string => text.split('\n').filter(Boolean).join(',');
    return { subject: commaJoined(leaf.subject), issuer: commaJoined(leaf.issuer) };
  }
}

export function readTlsInfo(socket: TLSSocket): TlsInfo {
  // Walk the detailed chain first: asking for the X509 leaf before it empties the chain here.
  const expiries = chainExpirySeconds(socket);
  const leaf = socket.getPeerX509Certificate();
  return {
    expiries,
    authorized: socket.authorized,
    protocol: socket.getProtocol(),
    leaf: leaf && {
      fingerprint_sha256: leaf.fingerprint256.replace(/:/g, '').toLowerCase(),
      ...readNames(leaf),
      subjectalternative: dnsNames(leaf.subjectAltName),
    },
  };
}

/**
 * The TLS series blackbox_exporter writes for a TLS connection, for every prober that
 * speaks TLS (tcp, http). Call it once the handshake is done.
 */
export function writeTlsSeries(socket: TLSSocket, metrics: SampleSink): void {
  writeTlsInfo(readTlsInfo(socket), metrics);
}

export function writeTlsInfo(info: TlsInfo, metrics: SampleSink): void {
  if (info.expiries.length > 0) {
    const earliest = Math.min(...info.expiries);
    metrics.gauge(
      'probe_ssl_earliest_cert_expiry',
      'Returns last SSL chain expiry in unixtime',
      earliest,
    );
    // Node verifies a single chain, so its earliest expiry is the one "last chain" to expire.
    // Without a verified chain (insecure_skip_verify) blackbox_exporter 0.23 reports Go's zero
    // time; we match it, so alerts written against it keep their meaning.
    metrics.gauge(
      'probe_ssl_last_chain_expiry_timestamp_seconds',
      'Returns last SSL chain expiry in timestamp',
      info.authorized ? earliest : GO_ZERO_TIME_SECONDS,
    );
  }
  if (info.leaf) {
    metrics.gauge(
      'probe_ssl_last_chain_info',
      'Contains SSL leaf certificate information',
      1,
      info.leaf,
    );
  }
  if (info.protocol) {
    metrics.gauge('probe_tls_version_info', 'Returns the TLS version used or NaN when unknown', 1, {
      version: VERSION_NAMES[info.protocol] ?? info.protocol,
    });
  }
}
