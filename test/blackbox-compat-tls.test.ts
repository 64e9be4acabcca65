import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpTarget } from '../probes/test/support/http-target.js';
import { metricNames, type ParsedSample } from './support/exposition.js';
import { namedCertificate } from './support/named-certificates.js';
import { startCompatExporters, type CompatExporters } from './support/compat-modules.js';
import { probeDifferences, probeExporter } from './support/probe-diff.js';

/**
 * The certificate series of our `/probe` against blackbox_exporter 0.23 (Debian's binary),
 * where they used to differ: certificate names in other attribute orders, and targets that
 * close idle connections so that every probe makes a new TLS connection.
 */

/** No series may be missing or extra on either side here (see blackbox-compat.test.ts). */
const NONE: ReadonlyMap<string, string> = new Map<string, string>();

let exporters: CompatExporters;

const probe = probeExporter;

beforeAll(async () => {
  exporters = await startCompatExporters();
});

afterAll(() => exporters?.stop());

/**
 * Names whose attributes come in other orders and multiplicities than the test CA's lone CN:
 * blackbox writes Go's `pkix.Name.String()`, not the certificate's order, and an alert or
 * query written against its `subject`/`issuer` labels must match ours byte for byte.
 */
const NAMES: readonly { title: string; subject: string; issuer?: string }[] = [
  { title: 'C/O/CN', subject: '/C=US/O=Acme/CN=localhost' },
  { title: 'CN/O', subject: '/CN=localhost/O=Acme' },
  { title: 'OU, several values', subject: '/O=Acme\\, Inc/OU=Ops+OU=SRE/OU=Night/CN=localhost' },
  {
    title: 'ST, L, emailAddress, DC',
    subject: '/CN=localhost/L=Berlin/ST=Berlin/C=DE/emailAddress=ops@example.com/DC=example',
  },
  { title: 'two CNs and a serialNumber', subject: '/CN=first/CN=localhost/serialNumber=42/O=Acme' },
  {
    title: 'characters to escape',
    subject: '/CN=#lead; semi/O=quote"plus\\+lt<gt>/OU=back\\\\slash',
  },
  {
    title: 'a CA of another order',
    subject: '/O=Acme/OU=Edge/CN=localhost',
    issuer: '/CN=Acme Root/OU=PKI/O=Acme/C=US',
  },
];

describe('certificate names as blackbox_exporter writes them', () => {
  it.each(NAMES)('$title: $subject', async ({ subject, issuer }) => {
    const target = await startHttpTarget(await namedCertificate(subject, issuer));
    try {
      for (const c of [
        { module: 'https_insecure', target: `https://127.0.0.1:${target.port}/ok` },
        { module: 'tls_insecure', target: `127.0.0.1:${target.port}` },
      ]) {
        const [theirs, ours] = await Promise.all([
          probe(exporters.blackbox.url, c.target, c.module),
          probe(exporters.daemon.url, c.target, c.module),
        ]);
        const info = (samples: ParsedSample[]) =>
          samples.find((sample) => sample.name === 'probe_ssl_last_chain_info')?.labels;
        const theirInfo = info(theirs.samples);
        expect(theirInfo, theirs.text).toBeDefined();
        expect(
          info(ours.samples),
          `${c.module}\n--- blackbox:\n${theirs.text}\n--- ours:\n${ours.text}`,
        ).toEqual(theirInfo);
      }
    } finally {
      await target.close();
    }
  });
});

/**
 * A target that closes idle connections before the next probe: every probe opens a new
 * connection. blackbox does a full handshake each time; so must we, or a resumed session
 * leaves nothing to read the certificate from and the expiry series vanish.
 */
describe('certificate series on every probe when the target closes idle connections', () => {
  const IDLE_MS = 100;
  const PROBES = 6;
  it.each([
    { title: 'CA-verified chain', cert: () => exporters.certs.valid, module: 'https_ca' },
    { title: 'self-signed', cert: () => exporters.certs.selfSigned, module: 'https_insecure' },
    { title: 'tcp with TLS', cert: () => exporters.certs.valid, module: 'tls_connect', tcp: true },
  ])('$title ($module)', async ({ cert, module, tcp }) => {
    const target = await startHttpTarget(cert(), { keepAliveMs: IDLE_MS });
    const url = tcp ? `127.0.0.1:${target.port}` : `https://127.0.0.1:${target.port}/ok`;
    try {
      for (let i = 1; i <= PROBES; i += 1) {
        const [theirs, ours] = await Promise.all([
          probe(exporters.blackbox.url, url, module),
          probe(exporters.daemon.url, url, module),
        ]);
        const context = `probe ${i}\n--- blackbox:\n${theirs.text}\n--- ours:\n${ours.text}`;
        for (const name of [
          'probe_ssl_earliest_cert_expiry',
          'probe_ssl_last_chain_expiry_timestamp_seconds',
          'probe_ssl_last_chain_info',
        ]) {
          expect(metricNames(theirs.samples), context).toContain(name);
          expect(metricNames(ours.samples), context).toContain(name);
        }
        const differences = probeDifferences(theirs.samples, ours.samples, {
          notEmittedByDesign: NONE,
          ourAdditions: NONE,
        });
        expect(differences, context).toEqual([]);
        await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 3));
      }
      // Both exporters opened a connection per probe: the idle close really happened.
      expect(target.connections).toBe(2 * PROBES);
    } finally {
      await target.close();
    }
  });
});
