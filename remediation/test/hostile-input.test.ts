import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRemediation } from '../src/server.js';
import { actionsAs, TOKENS, api, baseConfig, startService } from './support/service.js';
import { STORE_NAMES, storesAndBackend } from './support/stores.js';

/** Issue 18, items 6 and 7: NUL bytes, bad encodings, `__proto__`, tokens in the query. */
const started = storesAndBackend('hostile');

describe.each(STORE_NAMES)('on %s', (name) => {
  let service: RunningRemediation;
  const operator = actionsAs('operator', () => service.url);
  beforeAll(async () => {
    service = await startService(baseConfig(started.stores.fresh[name](), started.backends));
  });
  afterAll(() => service?.stop());

  const post = (body: Buffer | string, encoding: string) =>
    fetch(`${service.url}/api/v1/actions/set-batching/dry-run`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKENS.operator}`,
        'content-type': 'application/json',
        'content-encoding': encoding,
      },
      body,
    });

  it('pages the other alerts of a payload when one has a NUL in a label, and answers 200', async () => {
    const good = { labels: { alertname: 'Good' }, startsAt: '2026-05-01T00:00:00Z' };
    const bad = {
      labels: { alertname: 'Bad', team: 'a\u0000b' },
      startsAt: '2026-05-01T00:00:00Z',
    };
    const res = await api(service.url, 'alertmanager', 'POST', '/alertmanager/webhook', {
      receiver: 'remediation',
      alerts: [bad, good],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      received: 2,
      newPages: 1,
      rejected: [{ index: 0, field: 'alerts.0.labels.team', problem: 'contains a NUL byte' }],
    });
    const pages = await api(service.url, 'viewer', 'GET', '/api/v1/pages');
    const names = (pages.body['pages'] as { alertname: string }[]).map((p) => p.alertname);
    expect(names).toEqual(['Good']);
  });

  it('answers 400 naming the parameter for ?action=%00', async () => {
    const res = await api(service.url, 'viewer', 'GET', '/api/v1/audit?action=%00');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      reason: 'invalid_query',
      error: 'query.action: contains a NUL byte',
    });
  });

  it('answers 400 for bodies that do not decode and 415 for an unknown encoding; a good gzip body works', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await post('not compressed at all', encoding);
      expect(res.status, encoding).toBe(400);
      expect(((await res.json()) as { reason: string }).reason).toBe('invalid_encoding');
    }
    const zstd = await post('{}', 'zstd');
    expect(zstd.status).toBe(415);
    expect(((await zstd.json()) as { error: string }).error).toBe(
      'Content-Encoding "zstd" is not supported: send gzip, deflate, br or none',
    );
    const body = JSON.stringify({ params: { batchSize: 3 } });
    expect((await post(gzipSync(body), 'gzip')).status).toBe(200);
    expect((await post(brotliCompressSync(body), 'br')).status).toBe(200);
  });

  it('refuses __proto__ in params with a 400 naming it, never dropping it', async () => {
    const res = await operator.execute(
      'set-batching',
      '{"params":{"batchSize":3,"__proto__":{"isAdmin":true}}}',
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      reason: 'invalid_input',
      field: 'body.params.__proto__',
      error: 'body.params.__proto__: "__proto__" is not allowed as a key',
    });
  });

  it('stores no credential sent in the query string, refused or not', async () => {
    const secret = 'lw_leaked_secret_in_query_000000';
    const anonymous = await fetch(`${service.url}/api/v1/me?access_token=${secret}&x=1`);
    expect(anonymous.status).toBe(401);
    const me = await api(
      service.url,
      'viewer',
      'GET',
      `/api/v1/me?password=${secret}&Token=${secret}`,
    );
    expect(me.status).toBe(200);
    const exported = await fetch(`${service.url}/api/v1/audit/export`, {
      headers: { authorization: `Bearer ${TOKENS.admin}` },
    });
    const text = await exported.text();
    expect(text).not.toContain(secret);
    const paths = text
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { path: string }).path)
      .filter((p) => p.startsWith('/api/v1/me?'));
    expect(paths).toEqual([
      '/api/v1/me?access_token=REDACTED&x=1',
      '/api/v1/me?password=REDACTED&Token=REDACTED',
    ]);
  });
});
