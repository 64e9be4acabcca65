import { X509Certificate, createPrivateKey as createKey } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { testCertificates } from './support/tls-certs.js';

const nowSeconds = () => Date.now() / 1000;

function x509(pem: string): X509Certificate {
  return new X509Certificate(pem);
}

function notAfterSeconds(cert: X509Certificate): number {
  return Date.parse(cert.validTo) / 1000;
}

describe('testCertificates', () => {
  it('makes a CA that signs itself and may sign others', async () => {
    const { ca } = await testCertificates();
    const cert = x509(ca.cert);
    expect(cert.ca).toBe(true);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
  });

  it('signs a valid server certificate for localhost and 127.0.0.1 with the CA', async () => {
    const { ca, valid } = await testCertificates();
    const cert = x509(valid.cert);
    const issuer = x509(ca.cert);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(issuer)).toBe(true);
    expect(cert.verify(issuer.publicKey)).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkPrivateKey(createKey(valid.key))).toBe(true);
    expect(notAfterSeconds(cert)).toBe(valid.notAfterSeconds);
    expect(valid.notAfterSeconds).toBeGreaterThan(nowSeconds() + 300 * 86_400);
    expect(Date.parse(cert.validFrom) / 1000).toBeLessThan(nowSeconds());
  });

  it('signs an expired server certificate with the CA', async () => {
    const { ca, expired } = await testCertificates();
    const cert = x509(expired.cert);
    expect(cert.verify(x509(ca.cert).publicKey)).toBe(true);
    expect(notAfterSeconds(cert)).toBe(expired.notAfterSeconds);
    expect(expired.notAfterSeconds).toBeLessThan(nowSeconds());
  });

  it('makes a self-signed server certificate the CA did not issue', async () => {
    const { ca, selfSigned } = await testCertificates();
    const cert = x509(selfSigned.cert);
    // checkIssued() would also demand keyCertSign, which a server certificate lacks.
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.verify(x509(ca.cert).publicKey)).toBe(false);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(notAfterSeconds(cert)).toBe(selfSigned.notAfterSeconds);
  });

  it('signs a client certificate for client authentication with the CA', async () => {
    const { ca, client } = await testCertificates();
    const cert = x509(client.cert);
    expect(cert.verify(x509(ca.cert).publicKey)).toBe(true);
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.2'); // clientAuth
    expect(cert.subject).toContain('CN=layerwatch-client');
  });

  it('generates once per test file', async () => {
    expect(await testCertificates()).toBe(await testCertificates());
  });

  it('writes the PEMs to files for settings that take paths', async () => {
    const certs = await testCertificates();
    const files = await certs.writeFiles();
    try {
      expect(await readFile(files.caFile, 'utf8')).toBe(certs.ca.cert);
      expect(await readFile(files.validKeyFile, 'utf8')).toBe(certs.valid.key);
      expect(await readFile(files.clientCertFile, 'utf8')).toBe(certs.client.cert);
    } finally {
      await rm(files.dir, { recursive: true, force: true });
    }
  });
});
