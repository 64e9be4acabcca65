import { createHash, timingSafeEqual } from 'node:crypto';
import { ROLES, type Role, type TokenConfig } from '../config/schema.js';

export interface Principal {
  /** The token's name: the audit log's `actor`. */
  readonly subject: string;
  readonly role: Role;
}

export type TokenCheck =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: 'missing_token' | 'invalid_token' | 'expired_token' };

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

interface Entry {
  readonly digest: Buffer;
  readonly principal: Principal;
  readonly expiresAtMs: number;
}

/**
 * The configured bearer tokens, held only as sha256 digests. A presented token is hashed and
 * compared against every entry with timingSafeEqual, without stopping at the first match, so
 * the time taken says nothing about which entry (if any) is close.
 */
export class TokenSet {
  readonly #entries: readonly Entry[];

  constructor(tokens: readonly TokenConfig[]) {
    this.#entries = tokens.map((t) => ({
      digest: Buffer.from(t.sha256, 'hex'),
      principal: { subject: t.name, role: t.role },
      expiresAtMs: t.expiresAt === undefined ? Infinity : Date.parse(t.expiresAt),
    }));
  }

  check(authorization: string | undefined, nowMs = Date.now()): TokenCheck {
    const match = /^Bearer[ ]+([\x21-\x7e]{1,512})$/i.exec(authorization ?? '');
    if (!match?.[1])
      return { ok: false, reason: authorization ? 'invalid_token' : 'missing_token' };
    const digest = createHash('sha256').update(match[1], 'utf8').digest();
    let found: Entry | undefined;
    for (const entry of this.#entries) {
      if (timingSafeEqual(entry.digest, digest) && found === undefined) found = entry;
    }
    if (!found) return { ok: false, reason: 'invalid_token' };
    if (nowMs >= found.expiresAtMs) return { ok: false, reason: 'expired_token' };
    return { ok: true, principal: found.principal };
  }
}
