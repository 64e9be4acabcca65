import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { alertmanagerYaml, buildRuleGroups, resolveConfig } from '@layerwatch/alert-rules';
import { startAlertmanager, type RunningAlertmanager } from '@layerwatch/local';
import {
  hashToken,
  parseConfig,
  startRemediation,
  type RunningRemediation,
} from '@layerwatch/remediation';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The generated alertmanager.yml, rendered with a bearer token file as `make up` renders
 * it, delivering a real page from a real Alertmanager to the remediation webhook.
 */
describe('Alertmanager → remediation webhook', () => {
  let dir: string;
  let am: RunningAlertmanager;
  let service: RunningRemediation;
  const token = 'lw_alertmanager_token_for_this_test_only';
  const viewer = 'lw_viewer_token_for_this_test_only';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lw-remediation-am-'));
    service = await startRemediation({
      config: parseConfig({
        listen: '127.0.0.1:0',
        store: { kind: 'sqlite', path: join(dir, 'audit.db') },
        auth: {
          tokens: [
            { name: 'alertmanager', sha256: hashToken(token), role: 'viewer' },
            { name: 'viewer', sha256: hashToken(viewer), role: 'viewer' },
          ],
        },
      }),
      logger: pino({ level: 'silent' }),
    });
    const tokenFile = join(dir, 'alertmanager-token');
    await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
    const config = resolveConfig();
    const yaml = alertmanagerYaml(config, buildRuleGroups(config), {
      remediationUrl: `${service.url}/alertmanager/webhook`,
      remediationTokenFile: tokenFile,
    });
    await writeFile(join(dir, 'alertmanager.yml'), yaml);
    am = await startAlertmanager({
      dataDir: join(dir, 'am'),
      configFile: join(dir, 'alertmanager.yml'),
    });
  });
  afterAll(async () => {
    await am?.stop();
    await service?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores a P0 page sent with the bearer token from the file', async () => {
    const alert = {
      labels: {
        alertname: 'LayerwatchLayerDown',
        layer: '7',
        priority: 'P0',
        severity: 'critical',
      },
      annotations: { summary: 'layer 7 is down', layerwatch_actions: 'rollback-evolution,silence' },
      startsAt: new Date().toISOString(),
    };
    const posted = await fetch(`${am.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([alert]),
    });
    expect(posted.status).toBe(200);
    let pages: { alertname: string; priority: string; status: string; receiver: string }[] = [];
    for (let i = 0; i < 100 && pages.length === 0; i++) {
      await sleep(200);
      const res = await fetch(`${service.url}/api/v1/pages`, {
        headers: { authorization: `Bearer ${viewer}` },
      });
      pages = ((await res.json()) as { pages: typeof pages }).pages;
    }
    expect(pages).toEqual([
      expect.objectContaining({
        alertname: 'LayerwatchLayerDown',
        priority: 'P0',
        status: 'firing',
        receiver: 'remediation',
      }),
    ]);
  });
});
