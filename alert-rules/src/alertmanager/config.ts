/**
 * alertmanager.yml: routes by `priority` (P0 at once, P1–P3 repeating every 1 h / 4 h /
 * 24 h), grouped by alertname, cluster and layer. Under each priority the remediation webhook is
 * reached first with `continue: true`, so the pager after it still gets the page. The
 * committed default has no pager credentials: pages go to the local remediation service
 * only; `readPagerSecrets` adds PagerDuty/Opsgenie/Slack/email at deploy time.
 */
import { GPU_NODE_DOWN } from '../alerts/gpu.js';
import { PROBE_DAEMON_ABSENT, PROBE_DAEMON_INSTANCE_DOWN } from '../alerts/meta.js';
import type { AlertRulesConfig, PagerKind } from '../config-types.js';
import { PRIORITIES, type Priority } from '@layerwatch/vocabulary';
import type { RuleGroup } from '../types.js';
import type { PagerSecrets } from './secrets.js';

export const RECEIVERS = {
  remediation: 'remediation',
  deadman: 'deadman',
  pager: (priority: Priority) => `pager-${priority.toLowerCase()}`,
} as const;

export const WATCHDOG = 'LayerwatchWatchdog';

type Receiver = { name: string } & Record<string, unknown>;

export function buildAlertmanagerConfig(
  config: AlertRulesConfig,
  groups: readonly RuleGroup[],
  secrets: PagerSecrets = {},
): Record<string, unknown> {
  const am = config.alertmanager;
  return {
    global: { resolve_timeout: am.resolveTimeout },
    route: {
      receiver: RECEIVERS.remediation,
      group_by: alertmanagerGroupBy(config),
      group_wait: am.timing.P2.groupWait,
      group_interval: am.timing.P2.groupInterval,
      repeat_interval: am.timing.P2.repeatInterval,
      routes: [
        {
          receiver: RECEIVERS.deadman,
          matchers: [`alertname="${WATCHDOG}"`],
          group_wait: '0s',
          group_interval: am.watchdogRepeat,
          repeat_interval: am.watchdogRepeat,
        },
        ...PRIORITIES.map((priority) => {
          const timing = am.timing[priority];
          return {
            receiver: RECEIVERS.pager(priority),
            matchers: [`priority="${priority}"`],
            group_wait: timing.groupWait,
            group_interval: timing.groupInterval,
            repeat_interval: timing.repeatInterval,
            routes: [
              { receiver: RECEIVERS.remediation, continue: true },
              { receiver: RECEIVERS.pager(priority) },
            ],
          };
        }),
      ],
    },
    inhibit_rules: inhibitRules(config, groups),
    receivers: [
      remediationReceiver(config, secrets),
      deadmanReceiver(secrets),
      ...PRIORITIES.map((priority) => pagerReceiver(priority, am.pagers[priority], secrets)),
    ],
  };
}

/**
 * The configured grouping with the cluster label added after `alertname`: a page about one
 * cluster never carries another's alerts. Empty where the series have no cluster label.
 */
export function alertmanagerGroupBy(config: AlertRulesConfig): string[] {
  const labels = config.alertmanager.groupBy.filter((l) => l !== config.clusterLabel);
  const at = labels.indexOf('alertname') + 1;
  return [...labels.slice(0, at), config.clusterLabel, ...labels.slice(at)];
}

/**
 * A layer's P0 mutes its lower alerts; a GPU node down mutes that node's GPU alerts; a
 * PostgreSQL that is not ready mutes the generic probe-down of the same target; a probe
 * daemon absent altogether mutes the instance-down alerts of its replicas. Each holds
 * within one cluster only (`equal` starts with the cluster label; both sides without it
 * count as equal, so a single Prometheus works as before).
 */
export function inhibitRules(
  config: AlertRulesConfig,
  groups: readonly RuleGroup[],
): Record<string, unknown>[] {
  const gpuAlerts = [
    ...new Set(
      groups
        .filter((g) => g.name === 'layerwatch-gpu')
        .flatMap((g) => g.alerts.map((a) => a.rule.alert))
        .filter((name) => name !== GPU_NODE_DOWN),
    ),
  ];
  const equal = (...labels: string[]): string[] => [config.clusterLabel, ...labels];
  return [
    {
      source_matchers: ['priority="P0"', 'layer=~".+"'],
      target_matchers: ['priority=~"P1|P2|P3"'],
      equal: equal('layer'),
    },
    {
      source_matchers: [`alertname="${GPU_NODE_DOWN}"`],
      target_matchers: [`alertname=~"${gpuAlerts.join('|')}"`],
      equal: equal('node'),
    },
    {
      source_matchers: ['alertname="LayerwatchPostgresNotReady"'],
      target_matchers: ['alertname="LayerwatchProbeDown"'],
      equal: equal('target'),
    },
    {
      source_matchers: [`alertname="${PROBE_DAEMON_ABSENT}"`],
      target_matchers: [`alertname="${PROBE_DAEMON_INSTANCE_DOWN}"`],
      equal: equal(),
    },
  ];
}

function remediationReceiver(config: AlertRulesConfig, secrets: PagerSecrets): Receiver {
  const auth = secrets.remediationTokenFile
    ? {
        http_config: {
          authorization: { type: 'Bearer', credentials_file: secrets.remediationTokenFile },
        },
      }
    : {};
  return {
    name: RECEIVERS.remediation,
    webhook_configs: [
      {
        url: secrets.remediationUrl ?? config.alertmanager.remediationWebhookUrl,
        send_resolved: true,
        max_alerts: 0,
        ...auth,
      },
    ],
  };
}

function deadmanReceiver(secrets: PagerSecrets): Receiver {
  if (!secrets.deadmanUrl) return { name: RECEIVERS.deadman };
  return {
    name: RECEIVERS.deadman,
    webhook_configs: [{ url: secrets.deadmanUrl, send_resolved: false }],
  };
}

/** Where each pager's settings go in a receiver, and what they are for one priority. */
const PAGERS: {
  readonly [K in PagerKind]: {
    readonly key: string;
    /** Undefined when the pager's secrets are missing: the receiver then leaves it out. */
    readonly settings: (
      secrets: PagerSecrets,
      priority: Priority,
      severity: 'critical' | 'warning',
    ) => Record<string, unknown> | undefined;
  };
} = {
  pagerduty: {
    key: 'pagerduty_configs',
    settings: ({ pagerduty: p }, _priority, severity) =>
      p && { routing_key: p.routingKey, ...(p.url ? { url: p.url } : {}), severity },
  },
  opsgenie: {
    key: 'opsgenie_configs',
    settings: ({ opsgenie: o }, priority) =>
      o && { api_key: o.apiKey, ...(o.apiUrl ? { api_url: o.apiUrl } : {}), priority },
  },
  slack: {
    key: 'slack_configs',
    settings: ({ slack }, priority) =>
      slack && {
        api_url: slack.webhookUrl,
        ...(slack.channel ? { channel: slack.channel } : {}),
        title: `[${priority}] {{ .CommonLabels.alertname }} {{ .CommonLabels.layer }}`,
        text: '{{ range .Alerts }}{{ .Annotations.description }}\n{{ .Annotations.runbook_url }}\n{{ end }}',
      },
  },
  email: {
    key: 'email_configs',
    settings: ({ email: e }) =>
      e && {
        to: e.to,
        from: e.from,
        smarthost: e.smarthost,
        ...(e.authUsername ? { auth_username: e.authUsername } : {}),
        ...(e.authPassword ? { auth_password: e.authPassword } : {}),
      },
  },
};

function pagerReceiver(
  priority: Priority,
  kinds: readonly PagerKind[],
  secrets: PagerSecrets,
): Receiver {
  const receiver: Receiver = { name: RECEIVERS.pager(priority) };
  const severity = priority === 'P0' || priority === 'P1' ? 'critical' : 'warning';
  for (const kind of kinds) {
    const pager = PAGERS[kind];
    const settings = pager.settings(secrets, priority, severity);
    if (settings) receiver[pager.key] = [{ ...settings, send_resolved: true }];
  }
  return receiver;
}
