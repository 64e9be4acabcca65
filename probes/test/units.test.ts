import { describe, expect, it } from 'vitest';
import { classifySocketError } from '../src/prober/classify-error.js';
import { parseDuration } from '../src/util/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5000],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['5', '5 seconds', 's', '-1s', ''])('%j is not a duration', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );
});

describe('classifySocketError', () => {
  const withCode = (code: string): Error => Object.assign(new Error(code), { code });
  it.each([
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNREFUSED', 'connection_refused'],
    ['ECONNRESET', 'connection_reset'],
    ['UND_ERR_SOCKET', 'connection_reset'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['EHOSTUNREACH', 'connection_failed'],
  ])('%s is %s', (code, reason) => expect(classifySocketError(withCode(code))).toBe(reason));

  it('says timeout whatever the error once the deadline passed', () => {
    expect(classifySocketError(withCode('ECONNRESET'), true)).toBe('timeout');
  });
});
