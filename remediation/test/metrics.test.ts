import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRemediation } from '../src/server.js';
import { api, baseConfig, startService, tempDir } from './support/service.js';

describe('/metrics', () => {
  let service: RunningRemediation;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir('metrics');
    service = await startService(baseConfig({ kind: 'sqlite', path: join(dir.dir, 'a.db') }, {}));
  });
  afterAll(async () => {
    await service?.stop();
    await dir?.remove();
  });

  it('passes promtool check metrics and counts requests, denials and audit commits', async () => {
    await api(service.url, undefined, 'GET', '/api/v1/me');
    await api(service.url, 'viewer', 'GET', '/api/v1/me');
    const text = await (await fetch(`${service.url}/metrics`)).text();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout + check.stderr).toBe('');
    expect(text).toContain('layerwatch_remediation_denials_total{reason="missing_token"} 1');
    expect(text).toContain('layerwatch_remediation_audit_records_total 2');
    expect(text).toContain(
      'layerwatch_remediation_http_requests_total{route="/api/v1/me",code="200"} 1',
    );
  });

  it('answers health and readiness without a token', async () => {
    expect((await fetch(`${service.url}/-/healthy`)).status).toBe(200);
    expect((await fetch(`${service.url}/-/ready`)).status).toBe(200);
  });
});
