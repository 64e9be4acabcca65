import type { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, type Name } from '@peculiar/asn1-x509';

/**
 * Certificate names written exactly as blackbox_exporter writes them in
 * `probe_ssl_last_chain_info{subject,issuer}`: Go's `pkix.Name.String()`. Go does not keep
 * the certificate's order. It groups the attributes it knows by type, in a fixed order
 * (C, ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER), several values of one type joined
 * by `+`, and prints that sequence reversed; attributes it has no field for (emailAddress,
 * DC, …) come last, as `OID=#hex` of their DER, in reverse certificate order.
 */

/** Go's named fields, in the order `ToRDNSequence` emits them; `single` keeps the last value. */
const GO_FIELDS: readonly { oid: string; name: string; single?: true }[] = [
  { oid: '2.5.4.6', name: 'C' },
  { oid: '2.5.4.8', name: 'ST' },
  { oid: '2.5.4.7', name: 'L' },
  { oid: '2.5.4.9', name: 'STREET' },
  { oid: '2.5.4.17', name: 'POSTALCODE' },
  { oid: '2.5.4.10', name: 'O' },
  { oid: '2.5.4.11', name: 'OU' },
  { oid: '2.5.4.3', name: 'CN', single: true },
  { oid: '2.5.4.5', name: 'SERIALNUMBER', single: true },
];
const NAMED_OIDS = new Set(GO_FIELDS.map((field) => field.oid));

export interface CertificateNames {
  readonly subject: string;
  readonly issuer: string;
}

/**
 * Parsed names by certificate fingerprint. Parsing the DER costs ~0.8 ms, as much as a third
 * of a handshake, and a daemon sees the same few certificates on every probe; bounded so a
 * target that rotates certificates on every handshake cannot grow it.
 */
const parsed = new Map<string, CertificateNames>();
const MAX_PARSED = 1024;

/** Subject and issuer of a certificate, as Go prints them. */
export function certificateNames(certificate: X509Certificate): CertificateNames {
  const known = parsed.get(certificate.fingerprint256);
  if (known) return known;
  const { tbsCertificate } = AsnConvert.parse(certificate.raw, Certificate);
  const names = {
    subject: goNameString(tbsCertificate.subject),
    issuer: goNameString(tbsCertificate.issuer),
  };
  if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value ?? '');
  parsed.set(certificate.fingerprint256, names);
  return names;
}

/** One RDN of Go's sequence: the attribute values of one type, printed as `T=v+T=w`. */
type GoRdn = readonly (readonly [type: string, value: string])[];

function goNameString(name: Name): string {
  const attributes = name
    .flatMap((rdn) => [...rdn])
    .map((atv) => ({
      oid: atv.type,
      value: atv.value.toString(),
    }));
  const sequence: GoRdn[] = attributes
    .filter((a) => !NAMED_OIDS.has(a.oid))
    .map((a) => [[a.oid, `#${goDerString(a.value)}`]]);
  for (const field of GO_FIELDS) {
    const values = attributes.filter((a) => a.oid === field.oid).map((a) => a.value);
    if (values.length === 0) continue;
    const kept = field.single ? values.slice(-1) : values;
    sequence.push(kept.map((value) => [field.name, escapeValue(value)]));
  }
  return sequence
    .reverse()
    .map((rdn) => rdn.map(([type, value]) => `${type}=${value}`).join('+'))
    .join(',');
}

/** Go's RFC 2253 escaping: specials anywhere, a space at either end, `#` first. */
function escapeValue(value: string): string {
  let out = '';
  const last = value.length - 1;
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charAt(i);
    const escape =
      ',+"\\<>;'.includes(c) || (c === ' ' && (i === 0 || i === last)) || (c === '#' && i === 0);
    out += escape ? `\\${c}` : c;
  }
  return out;
}

/** ASN.1 PrintableString's alphabet; Go marshals other strings as UTF8String. */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** Hex of the DER that Go's `asn1.Marshal` gives a parsed string value. */
function goDerString(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  const tag = PRINTABLE.test(value) ? 0x13 : 0x0c;
  return Buffer.concat([Buffer.from([tag, ...derLength(bytes.length)]), bytes]).toString('hex');
}

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return [0x80 | octets.length, ...octets];
}
