import { rm } from 'node:fs/promises';
import { TLSSocket, type TlsOptions } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closePeers, failed, probeTcp, servePeer } from './support/tcp-peer.js';
import {
  testCertificates,
  type TestCertificateFiles,
  type TestCertificates,
} from './support/tls-certs.js';

let certs: TestCertificates;
let files: TestCertificateFiles;

beforeAll(async () => {
  certs = await testCertificates();
  files = await certs.writeFiles();
});
afterAll(() => rm(files.dir, { recursive: true, force: true }));
afterEach(closePeers);

const tlsServer = (which: 'valid' | 'expired' | 'selfSigned'): TlsOptions => ({
  cert: certs[which].cert,
  key: certs[which].key,
});

describe('tcp prober: TLS', () => {
  it('verifies a valid certificate against ca_file and reports its expiry', async () => {
    const target = await servePeer((socket) => socket.end(), tlsServer('valid'));
    const run = await probeTcp(target.replace('127.0.0.1', 'localhost'), {
      tls: true,
      tls_config: { ca_file: files.caFile },
    });
    expect(run.outcome).toEqual({ success: true });
    expect(run.value('probe_ssl_earliest_cert_expiry')).toBe(certs.valid.notAfterSeconds);
    expect(run.value('probe_ssl_last_chain_expiry_timestamp_seconds')).toBe(
      certs.valid.notAfterSeconds,
    );
    const version = run.samples.find((sample) => sample.name === 'probe_tls_version_info');
    expect(version).toMatchObject({ value: 1, labels: { version: 'TLS 1.3' } });
  });

  it('times out when the peer never completes the handshake', async () => {
    const target = await servePeer(() => {});
    const run = await probeTcp(target, { tls: true }, 500);
    expect(run.outcome).toEqual(failed('timeout'));
    expect(run.log).toContain('connecting to 127.0.0.1');
  });

  it('fails with tls when the peer speaks plain text', async () => {
    const target = await servePeer((socket) => socket.end('220 not TLS at all\r\n'));
    const run = await probeTcp(target, { tls: true });
    expect(run.outcome).toEqual(failed('tls'));
  });

  it('fails with tls on an expired certificate', async () => {
    const target = await servePeer(() => {}, tlsServer('expired'));
    const run = await probeTcp(target, { tls: true, tls_config: { ca_file: files.caFile } });
    expect(run.outcome).toEqual(failed('tls'));
    expect(run.log).toContain('certificate has expired');
  });

  it('fails with tls on a self-signed certificate', async () => {
    const target = await servePeer(() => {}, tlsServer('selfSigned'));
    const run = await probeTcp(target, { tls: true, tls_config: { ca_file: files.caFile } });
    expect(run.outcome).toEqual(failed('tls'));
    expect(run.log).toContain('self-signed certificate');
  });

  it('accepts a self-signed certificate with insecure_skip_verify', async () => {
    const target = await servePeer(() => {}, tlsServer('selfSigned'));
    const run = await probeTcp(target, { tls: true, tls_config: { insecure_skip_verify: true } });
    expect(run.outcome).toEqual({ success: true });
    expect(run.value('probe_ssl_earliest_cert_expiry')).toBe(certs.selfSigned.notAfterSeconds);
    // No verified chain: Go's zero time, as blackbox_exporter 0.23 reports it.
    expect(run.value('probe_ssl_last_chain_expiry_timestamp_seconds')).toBe(-62135596800);
  });

  it('presents a client certificate to a server that requires one', async () => {
    const mtls: TlsOptions = { ...tlsServer('valid'), ca: certs.ca.cert, requestCert: true };
    const target = await servePeer((socket) => socket.write('hello\n'), {
      ...mtls,
      rejectUnauthorized: true,
    });
    const query_response = [{ expect: '^hello$' }];
    const withCert = await probeTcp(target, {
      tls: true,
      tls_config: {
        ca_file: files.caFile,
        cert_file: files.clientCertFile,
        key_file: files.clientKeyFile,
      },
      query_response,
    });
    expect(withCert.outcome).toEqual({ success: true });
    const without = await probeTcp(target, {
      tls: true,
      tls_config: { ca_file: files.caFile },
      query_response,
    });
    expect(without.outcome).toEqual(failed('tls'));
  });

  it('upgrades with starttls and reports the TLS series', async () => {
    const target = await servePeer((plain) => {
      plain.write('220 ready\r\n');
      plain.once('data', () => {
        plain.write('220 go ahead\r\n', () => {
          const secure = new TLSSocket(plain, { isServer: true, ...tlsServer('valid') });
          secure.on('error', () => {});
          secure.on('secure', () => secure.write('250 secure now\r\n'));
        });
      });
    });
    const run = await probeTcp(target, {
      tls_config: { ca_file: files.caFile },
      query_response: [
        { expect: '^220 ready', send: 'STARTTLS' },
        { expect: '^220 go ahead', starttls: true },
        { expect: '^250 secure now$' },
      ],
    });
    expect(run.outcome).toEqual({ success: true });
    expect(run.value('probe_ssl_earliest_cert_expiry')).toBe(certs.valid.notAfterSeconds);
  });
});
