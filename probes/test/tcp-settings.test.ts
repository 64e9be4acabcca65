import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpSettingsSchema } from '../src/config/tcp-settings.js';
import { tcpProber } from '../src/prober/tcp.js';
import { testCertificates, type TestCertificateFiles } from './support/tls-certs.js';

let files: TestCertificateFiles;

beforeAll(async () => {
  files = await (await testCertificates()).writeFiles();
});
afterAll(() => rm(files.dir, { recursive: true, force: true }));

describe('tcp settings', () => {
  it('applies defaults and rejects unknown keys', () => {
    expect(tcpSettingsSchema.parse({})).toEqual({
      tls: false,
      query_response: [],
      preferred_ip_protocol: 'ip4',
    });
    const unknown = tcpSettingsSchema.safeParse({ query_response: [{ expect_bytes: 'x' }] });
    expect(unknown.error?.issues[0]).toMatchObject({
      code: 'unrecognized_keys',
      path: ['query_response', 0],
    });
  });

  it('rejects starttls with tls: true, and a second starttls', () => {
    const both = tcpSettingsSchema.safeParse({ tls: true, query_response: [{ starttls: true }] });
    expect(both.error?.issues).toEqual([
      expect.objectContaining({
        path: ['query_response', 0, 'starttls'],
        message:
          'starttls upgrades a plain connection, but tls: true already starts with TLS: drop one',
      }),
    ]);
    const twice = tcpSettingsSchema.safeParse({
      query_response: [{ starttls: true }, { starttls: true }],
    });
    expect(twice.error?.issues).toEqual([
      expect.objectContaining({
        path: ['query_response', 1, 'starttls'],
        message: 'a connection can be upgraded to TLS only once: keep a single starttls step',
      }),
    ]);
  });
});

describe('tcp settings: TLS files, read at load', () => {
  it('rejects a TLS file that cannot be read at load, naming the field', () => {
    const settings = tcpSettingsSchema.parse({
      tls: true,
      tls_config: { ca_file: '/nonexistent/ca.pem' },
    });
    expect(() => tcpProber.prepare(settings)).toThrow(
      expect.objectContaining({
        name: 'SettingsError',
        path: ['tls_config', 'ca_file'],
        message: `cannot read "/nonexistent/ca.pem": ENOENT: no such file or directory, open '/nonexistent/ca.pem'`,
      }),
    );
  });

  it('rejects a key that does not belong to the certificate at load', () => {
    const settings = tcpSettingsSchema.parse({
      tls: true,
      tls_config: { cert_file: files.validCertFile, key_file: files.clientKeyFile },
    });
    expect(() => tcpProber.prepare(settings)).toThrow(
      expect.objectContaining({
        path: ['tls_config'],
        message: expect.stringMatching(/^cannot load TLS settings: .*key values mismatch$/),
      }),
    );
  });
});
