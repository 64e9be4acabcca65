/**
 * Shared parts of the alerting integration tests: a webhook receiver standing in for the
 * remediation service (the composition's `webhookUrl`), the stack composed up to Prometheus
 * or Alertmanager paging it, polling, Alertmanager timing for tests, and the labels a
 * generated rule's alert carries.
 */
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  alertRules,
  buildRuleGroups,
  resolveConfig,
  type ConfigOverrides,
  type RuleGroup,
} from '@layerwatch/alert-rules';
import { closeServer, listen } from '@layerwatch/local/net';
import type { ComposeOptions, PartName, RunningComposition } from '@layerwatch/stack';
import { PRIORITIES } from '@layerwatch/vocabulary';
import { startTestComposition, type TestComposition } from './composition.js';

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
  /** Every alert of every payload so far, in the order they came. */
  alerts(): WebhookAlert[];
  close(): Promise<void>;
}

/** A real HTTP server on a free port that keeps every payload POSTed to it. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const payloads: WebhookPayload[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method === 'POST') payloads.push(JSON.parse(body) as WebhookPayload);
      res.writeHead(200).end();
    });
  });
  const { port } = await listen(server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}/alertmanager/webhook`,
    payloads,
    alerts: () => payloads.flatMap((payload) => payload.alerts),
    close: () => closeServer(server),
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
export const FAST_ALERTMANAGER: ConfigOverrides = {
  alertmanager: {
    timing: Object.fromEntries(
      PRIORITIES.map((p) => [p, { groupWait: '0s', groupInterval: '1s', repeatInterval: '1h' }]),
    ),
  },
};

export interface PagingComposition {
  readonly composition: RunningComposition;
  readonly receiver: WebhookReceiver;
  /** Stops the composition (removing its temp dir) and the receiver. */
  stop(): Promise<void>;
}

/**
 * The stack composed as `make up` composes it up to `part` (and what it needs), on free ports
 * in a temp dir of its own, Alertmanager paging a fresh webhook receiver with
 * `FAST_ALERTMANAGER` timing; `rules` are the test's own overrides (short `for:`s). `alsoStart`:
 * parts to run beside it (remediation, which the page then does not reach, for its API).
 */
export async function startPagingComposition(
  name: string,
  part: 'prometheus' | 'alertmanager',
  options: Pick<ComposeOptions, 'intervalSeconds' | 'rules'> & {
    readonly alsoStart?: readonly PartName[];
  } = {},
): Promise<PagingComposition> {
  const { alsoStart = [], ...compose } = options;
  const receiver = await startWebhookReceiver();
  let started: TestComposition;
  try {
    started = await startTestComposition(name, [part, ...alsoStart], {
      ...compose,
      webhookUrl: receiver.url,
      rules: { ...FAST_ALERTMANAGER, ...compose.rules },
    });
  } catch (error) {
    await receiver.close();
    throw error;
  }
  return {
    composition: started.composition,
    receiver,
    stop: async () => {
      await started.stop();
      await receiver.close();
    },
  };
}

/** The rule groups a composition with these overrides loads. */
export function ruleGroupsWith(overrides: ConfigOverrides): RuleGroup[] {
  return buildRuleGroups(resolveConfig(overrides));
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
