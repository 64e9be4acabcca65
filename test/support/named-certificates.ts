import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate whose names are spelled as `openssl -subj` takes them (`/C=US/O=Acme/CN=x`). */
export interface NamedCertificate {
  readonly subject: string;
  readonly issuer: string;
  readonly cert: string;
  readonly key: string;
}

const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
const SAN = 'subjectAltName=DNS:localhost,IP:127.0.0.1';

/**
 * Certificates with names in whatever attribute order and multiplicity a test needs, made by
 * Debian's openssl (selfsigned cannot spell multi-valued or escaped names). Self-signed
 * unless `issuer` is given, in which case a CA of that name signs it.
 */
export async function namedCertificate(
  subject: string,
  issuer?: string,
): Promise<NamedCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'layerwatch-named-cert-'));
  try {
    const file = (name: string): string => join(dir, name);
    if (!issuer) {
      await openssl(['req', '-x509', ...KEY_ARGS, '-keyout', file('key.pem')], file('cert.pem'), [
        '-subj',
        subject,
        '-addext',
        SAN,
      ]);
    } else {
      await openssl(['req', '-x509', ...KEY_ARGS, '-keyout', file('ca-key.pem')], file('ca.pem'), [
        '-subj',
        issuer,
      ]);
      await openssl(['req', '-new', ...KEY_ARGS, '-keyout', file('key.pem')], file('req.pem'), [
        '-subj',
        subject,
        '-addext',
        SAN,
      ]);
      await openssl(
        ['x509', '-req', '-in', file('req.pem'), '-copy_extensions', 'copy'],
        file('cert.pem'),
        ['-CA', file('ca.pem'), '-CAkey', file('ca-key.pem')],
      );
    }
    const [cert, key] = await Promise.all([
      readFile(file('cert.pem'), 'utf8'),
      readFile(file('key.pem'), 'utf8'),
    ]);
    return { subject, issuer: issuer ?? subject, cert, key };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function openssl(command: string[], out: string, rest: string[]): Promise<void> {
  await run('openssl', [...command, '-out', out, '-days', '30', ...rest]);
}
