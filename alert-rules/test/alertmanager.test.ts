import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  GENERATED,
  alertmanagerYaml,
  packagePath,
  readPagerSecrets,
  routeCases,
} from '../src/index.js';
import { config, groups, scratchFolder } from './support/fixtures.js';
import { runTool } from './support/tools.js';

const committed = packagePath(GENERATED.alertmanager);
const scratch = scratchFolder('am');

const SECRETS_ENV = {
  LAYERWATCH_PAGERDUTY_ROUTING_KEY: 'pd-routing-key',
  LAYERWATCH_OPSGENIE_API_KEY: 'og-api-key',
  LAYERWATCH_SLACK_WEBHOOK_URL: 'https://hooks.slack.example/services/T0/B0/x',
  LAYERWATCH_SLACK_CHANNEL: '#oncall',
  LAYERWATCH_EMAIL_TO: 'oncall@example.com',
  LAYERWATCH_EMAIL_FROM: 'alertmanager@example.com',
  LAYERWATCH_EMAIL_SMARTHOST: 'smtp.example.com:587',
  LAYERWATCH_DEADMAN_URL: 'https://hc-ping.example/uuid',
};

describe('the committed alertmanager.yml', () => {
  it('passes amtool check-config', () => {
    const result = runTool('amtool', ['check-config', committed]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('holds no pager credentials: pages reach the remediation webhook only', () => {
    const am = parse(readFileSync(committed, 'utf8'));
    const receivers = am.receivers as { name: string; webhook_configs?: { url: string }[] }[];
    expect(receivers.map((r) => Object.keys(r).sort())).toEqual([
      ['name', 'webhook_configs'],
      ['name'],
      ['name'],
      ['name'],
      ['name'],
      ['name'],
    ]);
    expect(receivers[0]?.webhook_configs?.[0]?.url).toBe(config.alertmanager.remediationWebhookUrl);
  });

  it.each(routeCases(groups).map((c) => [c.name, c]))(
    'routes %s to the expected receivers (amtool config routes test)',
    (_, routeCase) => {
      const labels = Object.entries(routeCase.labels).map(([k, v]) => `${k}=${v}`);
      const result = runTool('amtool', [
        'config',
        'routes',
        'test',
        `--config.file=${committed}`,
        `--verify.receivers=${routeCase.receivers.join(',')}`,
        ...labels,
      ]);
      expect(result.status, result.output).toBe(0);
    },
  );
});

describe('rendered at deploy time with pager secrets', () => {
  it('adds every configured pager by priority and still passes amtool check-config', async () => {
    const file = scratch.file('alertmanager.yml');
    await writeFile(
      file,
      alertmanagerYaml(config, groups, readPagerSecrets(SECRETS_ENV, undefined)),
    );
    const result = runTool('amtool', ['check-config', file]);
    expect(result.status, result.output).toBe(0);
    const am = parse(await readFile(file, 'utf8'));
    const byName = new Map(
      (am.receivers as { name: string }[]).map((r) => [r.name, Object.keys(r).sort()]),
    );
    expect(byName.get('pager-p0')).toEqual([
      'name',
      'opsgenie_configs',
      'pagerduty_configs',
      'slack_configs',
    ]);
    expect(byName.get('pager-p2')).toEqual(['email_configs', 'name', 'slack_configs']);
    expect(byName.get('pager-p3')).toEqual(['email_configs', 'name']);
    expect(byName.get('deadman')).toEqual(['name', 'webhook_configs']);
  });

  it('reads a secrets file, and the environment wins over it', async () => {
    const file = scratch.file('secrets.yml');
    await writeFile(
      file,
      'slack:\n  webhook_url: https://from-file.example\npagerduty:\n  routing_key: file-key\n',
    );
    const secrets = readPagerSecrets({ LAYERWATCH_PAGERDUTY_ROUTING_KEY: 'env-key' }, file);
    expect(secrets).toEqual({
      slack: { webhookUrl: 'https://from-file.example' },
      pagerduty: { routingKey: 'env-key' },
    });
  });

  it('names the missing setting of a half-configured pager', () => {
    expect(() => readPagerSecrets({ LAYERWATCH_EMAIL_TO: 'a@example.com' }, undefined)).toThrow(
      'email is half configured: LAYERWATCH_EMAIL_FROM (or email.from in the secrets file) is missing',
    );
  });

  it('refuses unknown keys in the secrets file', async () => {
    const file = scratch.file('typo.yml');
    await writeFile(file, 'slack:\n  webhook: https://x.example\n');
    expect(() => readPagerSecrets({}, file)).toThrow(
      `secrets file ${file}: unknown key slack.webhook;`,
    );
  });
});
