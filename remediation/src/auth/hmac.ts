import { createHmac, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../canonical.js';

/** Headers of a signed request; see README "Signed requests". */
export const TIMESTAMP_HEADER = 'x-layerwatch-timestamp';
export const SIGNATURE_HEADER = 'x-layerwatch-signature';

export interface SignedParts {
  readonly method: string;
  /** Path and query as sent, e.g. `/api/v1/actions/silence/execute`. */
  readonly path: string;
  readonly body: Buffer | string;
  /** Unix seconds. */
  readonly timestamp: string;
}

/** `v1=<hex HMAC-SHA256(key, timestamp \n METHOD \n path \n sha256(body))>` */
export function signRequest(key: Buffer | string, parts: SignedParts): string {
  const text = `${parts.timestamp}\n${parts.method.toUpperCase()}\n${parts.path}\n${sha256Hex(parts.body)}`;
  return `v1=${createHmac('sha256', key).update(text).digest('hex')}`;
}

export type SignatureCheck =
  | { ok: true; signed: boolean }
  | { ok: false; reason: 'signature_required' | 'signature_invalid' | 'signature_expired' };

export interface HmacPolicy {
  readonly key: Buffer;
  readonly required: boolean;
  readonly maxSkewSeconds: number;
}

export function checkSignature(
  policy: HmacPolicy,
  parts: Omit<SignedParts, 'timestamp'> & {
    timestamp: string | undefined;
    signature: string | undefined;
  },
  nowMs = Date.now(),
): SignatureCheck {
  const { timestamp, signature } = parts;
  if (timestamp === undefined && signature === undefined) {
    return policy.required
      ? { ok: false, reason: 'signature_required' }
      : { ok: true, signed: false };
  }
  if (timestamp === undefined || signature === undefined || !/^[0-9]{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'signature_invalid' };
  }
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > policy.maxSkewSeconds) {
    return { ok: false, reason: 'signature_expired' };
  }
  const expected = Buffer.from(signRequest(policy.key, { ...parts, timestamp }));
  const given = Buffer.from(signature);
  const same = given.length === expected.length && timingSafeEqual(given, expected);
  return same ? { ok: true, signed: true } : { ok: false, reason: 'signature_invalid' };
}
