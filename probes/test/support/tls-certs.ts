import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** A PEM certificate, its PEM private key, and its `notAfter` in unix seconds. */
export interface TestCertificate {
  readonly cert: string;
  readonly key: string;
  readonly notAfterSeconds: number;
}

/** The generated certificates written out, for settings that take paths (`ca_file`, …). */
export interface TestCertificateFiles {
  readonly dir: string;
  readonly caFile: string;
  readonly validCertFile: string;
  readonly validKeyFile: string;
  readonly expiredCertFile: string;
  readonly expiredKeyFile: string;
  readonly selfSignedCertFile: string;
  readonly selfSignedKeyFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
}

export interface TestCertificates {
  /** The CA that signs `valid`, `expired` and `client`. */
  readonly ca: TestCertificate;
  /** A server certificate for `localhost`, 127.0.0.1 and ::1, valid for a year. */
  readonly valid: TestCertificate;
  /** Like `valid`, but its `notAfter` was yesterday. */
  readonly expired: TestCertificate;
  /** A server certificate for `localhost` that signs itself: no CA vouches for it. */
  readonly selfSigned: TestCertificate;
  /** A client certificate (mTLS) signed by the CA. */
  readonly client: TestCertificate;
  /** Writes every PEM into a fresh temporary directory; each call makes a new one. */
  writeFiles(): Promise<TestCertificateFiles>;
}

const DAY_MS = 86_400_000;
// EC keys: generating RSA keys would cost seconds per test file.
const KEY = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;

type Extensions = NonNullable<NonNullable<Parameters<typeof generate>[1]>['extensions']>;

function serverExtensions(): Extensions {
  return [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
  ];
}

// Certificates carry whole seconds, so round here to keep `notAfterSeconds` exact.
function wholeSeconds(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}

async function make(
  commonName: string,
  notBefore: Date,
  notAfter: Date,
  extensions: Extensions,
  ca?: TestCertificate,
): Promise<TestCertificate> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    ...KEY,
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions,
    ...(ca ? { ca: { cert: ca.cert, key: ca.key } } : {}),
  });
  return { cert: pems.cert, key: pems.private, notAfterSeconds: notAfter.getTime() / 1000 };
}

async function generateAll(): Promise<TestCertificates> {
  const now = Date.now();
  const lastMonth = wholeSeconds(now - 30 * DAY_MS);
  const nextYear = wholeSeconds(now + 365 * DAY_MS);
  const ca = await make('Layerwatch Test CA', lastMonth, wholeSeconds(now + 2 * 365 * DAY_MS), [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
  ]);
  const [valid, expired, selfSigned, client] = await Promise.all([
    make('localhost', lastMonth, nextYear, serverExtensions(), ca),
    make('localhost', lastMonth, wholeSeconds(now - DAY_MS), serverExtensions(), ca),
    make('localhost', lastMonth, nextYear, serverExtensions()),
    make(
      'layerwatch-client',
      lastMonth,
      nextYear,
      [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', clientAuth: true },
      ],
      ca,
    ),
  ]);
  const certs = { ca, valid, expired, selfSigned, client };
  return { ...certs, writeFiles: () => writeCertificateFiles(certs) };
}

async function writeCertificateFiles(
  certs: Omit<TestCertificates, 'writeFiles'>,
): Promise<TestCertificateFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'layerwatch-certs-'));
  const files: TestCertificateFiles = {
    dir,
    caFile: join(dir, 'ca.pem'),
    validCertFile: join(dir, 'valid.pem'),
    validKeyFile: join(dir, 'valid-key.pem'),
    expiredCertFile: join(dir, 'expired.pem'),
    expiredKeyFile: join(dir, 'expired-key.pem'),
    selfSignedCertFile: join(dir, 'self-signed.pem'),
    selfSignedKeyFile: join(dir, 'self-signed-key.pem'),
    clientCertFile: join(dir, 'client.pem'),
    clientKeyFile: join(dir, 'client-key.pem'),
  };
  await Promise.all([
    writeFile(files.caFile, certs.ca.cert),
    writeFile(files.validCertFile, certs.valid.cert),
    writeFile(files.validKeyFile, certs.valid.key, { mode: 0o600 }),
    writeFile(files.expiredCertFile, certs.expired.cert),
    writeFile(files.expiredKeyFile, certs.expired.key, { mode: 0o600 }),
    writeFile(files.selfSignedCertFile, certs.selfSigned.cert),
    writeFile(files.selfSignedKeyFile, certs.selfSigned.key, { mode: 0o600 }),
    writeFile(files.clientCertFile, certs.client.cert),
    writeFile(files.clientKeyFile, certs.client.key, { mode: 0o600 }),
  ]);
  return files;
}

let cached: Promise<TestCertificates> | undefined;

/**
 * The test certificates, generated once per test file (vitest forks a process per file,
 * so this module-level memo is per file) and never committed.
 */
export function testCertificates(): Promise<TestCertificates> {
  cached ??= generateAll();
  return cached;
}
