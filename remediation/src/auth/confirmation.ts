import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../canonical.js';

/** What a confirmation token is bound to: it executes only this, for this caller. */
export interface ConfirmationBinding {
  readonly action: string;
  readonly params: unknown;
  readonly subject: string;
  readonly actingUser: string | undefined;
}

export interface IssuedConfirmation {
  readonly token: string;
  readonly expiresAt: string;
}

export type ConfirmationCheck =
  | { ok: true; nonce: string }
  | {
      ok: false;
      reason: 'confirmation_required' | 'confirmation_invalid' | 'confirmation_expired';
    };

/**
 * Short-lived, single-use confirmation tokens: `<nonce>.<expiry ms>.<hmac>`, the HMAC taken
 * over the canonical binding. The nonce is what the store marks used.
 */
export class Confirmations {
  readonly #key: Buffer;

  constructor(
    key: Buffer | undefined,
    private readonly ttlSeconds: number,
  ) {
    this.#key = key ?? randomBytes(32);
  }

  issue(binding: ConfirmationBinding, nowMs = Date.now()): IssuedConfirmation {
    const nonce = randomBytes(16).toString('base64url');
    const expiresMs = nowMs + this.ttlSeconds * 1000;
    const token = `${nonce}.${expiresMs}.${this.#mac(nonce, expiresMs, binding)}`;
    return { token, expiresAt: new Date(expiresMs).toISOString() };
  }

  check(
    token: string | undefined,
    binding: ConfirmationBinding,
    nowMs = Date.now(),
  ): ConfirmationCheck {
    if (token === undefined || token === '') return { ok: false, reason: 'confirmation_required' };
    const match = /^([A-Za-z0-9_-]{22})\.([0-9]{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match?.[1] || !match[2] || !match[3]) return { ok: false, reason: 'confirmation_invalid' };
    const expected = Buffer.from(this.#mac(match[1], Number(match[2]), binding));
    const given = Buffer.from(match[3]);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'confirmation_invalid' };
    }
    if (nowMs > Number(match[2])) return { ok: false, reason: 'confirmation_expired' };
    return { ok: true, nonce: match[1] };
  }

  #mac(nonce: string, expiresMs: number, binding: ConfirmationBinding): string {
    const text = canonicalJson({ ...binding, nonce, expiresMs, v: 1 });
    return createHmac('sha256', this.#key).update(text).digest('base64url');
  }
}
