import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Confirmations } from '../src/auth/confirmation.js';
import { signRequest } from '../src/auth/hmac.js';
import { TokenSet, hashToken } from '../src/auth/tokens.js';
import type { RunningRemediation } from '../src/server.js';
import { api, baseConfig, startService, tempDir } from './support/service.js';

describe('tokens', () => {
  it('accepts several at once, each until its expiry', () => {
    const set = new TokenSet([
      {
        name: 'old',
        sha256: hashToken('old-token'),
        role: 'operator',
        expiresAt: '2026-01-01T00:00:00Z',
      },
      { name: 'new', sha256: hashToken('new-token'), role: 'operator' },
    ]);
    const before = Date.parse('2025-12-31T00:00:00Z');
    const after = Date.parse('2026-01-02T00:00:00Z');
    expect(set.check('Bearer old-token', before)).toEqual({
      ok: true,
      principal: { subject: 'old', role: 'operator' },
    });
    expect(set.check('Bearer old-token', after)).toEqual({ ok: false, reason: 'expired_token' });
    expect(set.check('Bearer new-token', after)).toMatchObject({ ok: true });
    expect(set.check('Basic abc', after)).toEqual({ ok: false, reason: 'invalid_token' });
    expect(set.check(undefined, after)).toEqual({ ok: false, reason: 'missing_token' });
  });

  it('binds confirmation tokens and lets them expire', () => {
    const c = new Confirmations(undefined, 60);
    const binding = { action: 'silence', params: { a: 1 }, subject: 's', actingUser: 'alice' };
    const { token } = c.issue(binding, 0);
    expect(c.check(token, binding, 1000)).toMatchObject({ ok: true });
    expect(c.check(token, { ...binding, params: { a: 2 } }, 1000)).toEqual({
      ok: false,
      reason: 'confirmation_invalid',
    });
    expect(c.check(token, binding, 61_000)).toEqual({ ok: false, reason: 'confirmation_expired' });
    expect(new Confirmations(undefined, 60).check(token, binding, 1000)).toEqual({
      ok: false,
      reason: 'confirmation_invalid',
    });
  });
});

describe('signed requests (auth.hmac required)', () => {
  let service: RunningRemediation;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const key = 'k'.repeat(40);
  beforeAll(async () => {
    dir = await tempDir('hmac');
    await writeFile(join(dir.dir, 'hmac.key'), key);
    service = await startService(
      baseConfig(
        { kind: 'sqlite', path: join(dir.dir, 'a.db') },
        {},
        {
          auth: {
            tokens: baseConfig({ kind: 'sqlite', path: 'x' }, {}).auth.tokens,
            hmac: { secretFile: join(dir.dir, 'hmac.key'), required: true, maxSkewSeconds: 60 },
          },
        },
      ),
    );
  });
  afterAll(async () => {
    await service?.stop();
    await dir?.remove();
  });

  const signed = (path: string, timestamp: number, body = '') => ({
    'x-layerwatch-timestamp': String(timestamp),
    'x-layerwatch-signature': signRequest(key, {
      method: 'GET',
      path,
      body,
      timestamp: String(timestamp),
    }),
  });

  it('accepts a fresh signature and refuses unsigned, forged and replayed requests', async () => {
    const now = Math.floor(Date.now() / 1000);
    /** GET /api/v1/me as the viewer, with these signature headers: its status and reason. */
    const me = async (headers?: Record<string, string>) => {
      const answer = await api(service.url, 'viewer', 'GET', '/api/v1/me', undefined, headers);
      return [answer.status, answer.body['reason']];
    };
    expect((await me(signed('/api/v1/me', now)))[0]).toBe(200);
    expect(await me()).toEqual([401, 'signature_required']);
    expect(await me(signed('/api/v1/actions', now))).toEqual([401, 'signature_invalid']);
    expect(await me(signed('/api/v1/me', now - 600))).toEqual([401, 'signature_expired']);
  });
});
