import { expect } from 'vitest';
import type { Sample } from '../../src/format/sample-sink.js';
import { valueOf } from './run-prober.js';
import { testCertificates } from './tls-certs.js';

/**
 * The certificate series a successful TLS probe of a target serving the test CA's `valid`
 * certificate must write, whatever the prober: expiry, last verified chain, leaf names.
 */
export async function expectValidCertificateSeries(
  samples: readonly Sample[],
  context: string,
): Promise<void> {
  const notAfter = (await testCertificates()).valid.notAfterSeconds;
  expect(valueOf(samples, 'probe_ssl_earliest_cert_expiry'), context).toBe(notAfter);
  expect(valueOf(samples, 'probe_ssl_last_chain_expiry_timestamp_seconds'), context).toBe(notAfter);
  const info = samples.find((sample) => sample.name === 'probe_ssl_last_chain_info');
  expect(info?.labels, context).toMatchObject({
    subject: 'CN=localhost',
    issuer: 'CN=Layerwatch Test CA',
  });
  expect(valueOf(samples, 'probe_tls_version_info', { version: 'TLS 1.3' }), context).toBe(1);
}
