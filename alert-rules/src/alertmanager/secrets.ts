/**
 * Pager credentials, read at deploy time from the environment or a secrets file (YAML or
 * JSON), never from the repository. Unknown keys and half-configured pagers are refused
 * with the name of what is missing.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface PagerSecrets {
  readonly pagerduty?: { readonly routingKey: string; readonly url?: string };
  readonly opsgenie?: { readonly apiKey: string; readonly apiUrl?: string };
  readonly slack?: { readonly webhookUrl: string; readonly channel?: string };
  readonly email?: {
    readonly to: string;
    readonly from: string;
    readonly smarthost: string;
    readonly authUsername?: string;
    readonly authPassword?: string;
  };
  /** Heartbeat URL of a dead-man's-switch service (healthchecks.io, Dead Man's Snitch…). */
  readonly deadmanUrl?: string;
  /** Overrides the remediation webhook URL of the config. */
  readonly remediationUrl?: string;
  /** A file holding the bearer token Alertmanager sends to the remediation webhook. */
  readonly remediationTokenFile?: string;
}

type Field = readonly [
  section: keyof PagerSecrets,
  key: string | undefined,
  env: string,
  fileKey: string,
];

/** Each secret: where it goes, its environment variable, its key in the secrets file. */
const FIELDS: readonly Field[] = [
  ['pagerduty', 'routingKey', 'LAYERWATCH_PAGERDUTY_ROUTING_KEY', 'pagerduty.routing_key'],
  ['pagerduty', 'url', 'LAYERWATCH_PAGERDUTY_URL', 'pagerduty.url'],
  ['opsgenie', 'apiKey', 'LAYERWATCH_OPSGENIE_API_KEY', 'opsgenie.api_key'],
  ['opsgenie', 'apiUrl', 'LAYERWATCH_OPSGENIE_API_URL', 'opsgenie.api_url'],
  ['slack', 'webhookUrl', 'LAYERWATCH_SLACK_WEBHOOK_URL', 'slack.webhook_url'],
  ['slack', 'channel', 'LAYERWATCH_SLACK_CHANNEL', 'slack.channel'],
  ['email', 'to', 'LAYERWATCH_EMAIL_TO', 'email.to'],
  ['email', 'from', 'LAYERWATCH_EMAIL_FROM', 'email.from'],
  ['email', 'smarthost', 'LAYERWATCH_EMAIL_SMARTHOST', 'email.smarthost'],
  ['email', 'authUsername', 'LAYERWATCH_EMAIL_AUTH_USERNAME', 'email.auth_username'],
  ['email', 'authPassword', 'LAYERWATCH_EMAIL_AUTH_PASSWORD', 'email.auth_password'],
  ['deadmanUrl', undefined, 'LAYERWATCH_DEADMAN_URL', 'deadman_url'],
  ['remediationUrl', undefined, 'LAYERWATCH_REMEDIATION_WEBHOOK_URL', 'remediation.url'],
  [
    'remediationTokenFile',
    undefined,
    'LAYERWATCH_REMEDIATION_TOKEN_FILE',
    'remediation.token_file',
  ],
];

const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  pagerduty: ['routingKey'],
  opsgenie: ['apiKey'],
  slack: ['webhookUrl'],
  email: ['to', 'from', 'smarthost'],
};

/** The environment variable that names a secrets file. */
export const SECRETS_FILE_ENV = 'LAYERWATCH_ALERTMANAGER_SECRETS';

/**
 * Secrets from `file` (or the file `LAYERWATCH_ALERTMANAGER_SECRETS` names), then the
 * environment, which wins key by key.
 */
export function readPagerSecrets(
  env: NodeJS.ProcessEnv = process.env,
  file: string | undefined = env[SECRETS_FILE_ENV],
): PagerSecrets {
  const fromFile = file === undefined || file === '' ? {} : readSecretsFile(file);
  const values = new Map<Field, string>();
  for (const field of FIELDS) {
    const value = env[field[2]] ?? lookup(fromFile, field[3]);
    if (value !== undefined && value !== '') values.set(field, value);
  }
  const out: Record<string, unknown> = {};
  for (const [[section, key], value] of values) {
    if (key === undefined) out[section] = value;
    else out[section] = { ...(out[section] as object | undefined), [key]: value };
  }
  for (const [section, keys] of Object.entries(REQUIRED)) {
    const given = out[section] as Record<string, string> | undefined;
    if (!given) continue;
    for (const key of keys) {
      if (given[key] === undefined) {
        const field = FIELDS.find((f) => f[0] === section && f[1] === key);
        throw new Error(
          `${section} is half configured: ${field?.[2]} (or ${field?.[3]} in the secrets file) is missing`,
        );
      }
    }
  }
  return out as PagerSecrets;
}

function readSecretsFile(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`secrets file ${file}: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`secrets file ${file}: expected a mapping of pager settings`);
  }
  const known = new Set(FIELDS.map((f) => f[3]));
  for (const path of leafPaths(parsed as Record<string, unknown>)) {
    if (!known.has(path)) {
      throw new Error(`secrets file ${file}: unknown key ${path}; known: ${[...known].join(', ')}`);
    }
  }
  return parsed as Record<string, unknown>;
}

function leafPaths(object: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(object).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? leafPaths(value as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

function lookup(object: Record<string, unknown>, path: string): string | undefined {
  let node: unknown = object;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node === undefined || node === null ? undefined : String(node);
}
