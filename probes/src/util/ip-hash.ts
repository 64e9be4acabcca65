import { isIPv4 } from 'node:net';

/**
 * blackbox_exporter's `probe_ip_addr_hash`: FNV-1a (32 bit) over the address's bytes (4 for
 * IPv4, 16 for IPv6), so a dashboard can see a target's address change without a label.
 */
export function ipAddressHash(address: string): number {
  let hash = HASHES.get(address);
  if (hash === undefined) {
    if (HASHES.size >= MAX_MEMO) HASHES.clear();
    hash = fnv1a(address);
    HASHES.set(address, hash);
  }
  return hash;
}

/** Probes hit the same few addresses again and again; hashing shows in profiles otherwise. */
const HASHES = new Map<string, number>();
const MAX_MEMO = 10_000;

function fnv1a(address: string): number {
  let hash = 0x811c9dc5;
  for (const byte of ipBytes(address)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function ipBytes(address: string): number[] {
  if (isIPv4(address)) return address.split('.').map(Number);
  const [head = '', tail = ''] = address.split('::');
  const groups = (part: string): number[] => (part ? part.split(':').flatMap(v4OrGroup) : []);
  const left = groups(head);
  const right = address.includes('::') ? groups(tail) : [];
  const zeros = new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right].flatMap((group) => [group >> 8, group & 0xff]);
}

/** One 16-bit group, or two for an embedded IPv4 tail (`::ffff:1.2.3.4`). */
function v4OrGroup(text: string): number[] {
  if (!isIPv4(text)) return [parseInt(text, 16)];
  const [a = 0, b = 0, c = 0, d = 0] = text.split('.').map(Number);
  return [(a << 8) | b, (c << 8) | d];
}
