/**
 * Shared parts of the alerting integration tests: a webhook receiver standing in for the
 * remediation service, polling, and the generated rules and Alertmanager config written
 * into a temp dir with test overrides.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  alertRules,
  alertmanagerYaml,
  buildRuleGroups,
  resolveConfig,
  ruleFileYaml,
  type AlertRulesConfig,
  type ConfigOverrides,
  type RuleGroup,
} from '@layerwatch/alert-rules';

/** One alert of an Alertmanager webhook notification (payload version 4). */
export interface WebhookAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly fingerprint: string;
}

export interface WebhookPayload {
  readonly version: string;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly alerts: readonly WebhookAlert[];
}

export interface WebhookReceiver {
  readonly url: string;
  readonly payloads: WebhookPayload[];
  close(): Promise<void>;
}

/** A real HTTP server on a free port that keeps every payload POSTed to it. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const payloads: WebhookPayload[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method === 'POST') payloads.push(JSON.parse(body) as WebhookPayload);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alertmanager/webhook`,
    payloads,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `probe` until it returns a value, or throws after `timeoutMs` naming `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

/** Alertmanager timing for tests: nothing waits, groups flush every second. */
export function fastAlertmanager(webhookUrl: string): ConfigOverrides {
  const fast = { groupWait: '0s', groupInterval: '1s', repeatInterval: '1h' } as const;
  return {
    alertmanager: {
      remediationWebhookUrl: webhookUrl,
      timing: { P0: fast, P1: fast, P2: fast, P3: fast },
    },
  };
}

export interface WrittenRules {
  readonly config: AlertRulesConfig;
  readonly groups: RuleGroup[];
  /** Glob of the rule files, for prometheus.yml. */
  readonly ruleGlob: string;
  readonly alertmanagerFile: string;
}

/** The generated rules and alertmanager.yml, from the config with `overrides`, into `dir`. */
export async function writeAlerting(
  dir: string,
  overrides: ConfigOverrides,
): Promise<WrittenRules> {
  const config = resolveConfig(overrides);
  const groups = buildRuleGroups(config);
  await mkdir(join(dir, 'rules'), { recursive: true });
  for (const group of groups) {
    await writeFile(join(dir, 'rules', `${group.name}.rules.yaml`), ruleFileYaml([group]));
  }
  const alertmanagerFile = join(dir, 'alertmanager.yml');
  await writeFile(alertmanagerFile, alertmanagerYaml(config, groups));
  return { config, groups, ruleGlob: join(dir, 'rules', '*.rules.yaml'), alertmanagerFile };
}

/** The labels an alert of this rule carries: the rule's own plus the series' `extra`. */
export function ruleLabels(
  groups: readonly RuleGroup[],
  alertname: string,
  extra: Record<string, string>,
  priority?: string,
): Record<string, string> {
  const fits = (labels: Record<string, string>): boolean =>
    (priority === undefined || labels['priority'] === priority) &&
    (extra['layer'] === undefined ||
      labels['layer'] === undefined ||
      labels['layer'] === extra['layer']);
  const rule = alertRules(groups).find((r) => r.alert === alertname && fits(r.labels));
  if (!rule) throw new Error(`no rule ${alertname} ${priority ?? ''} for ${JSON.stringify(extra)}`);
  return { alertname, ...extra, ...rule.labels };
}
