import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  hashToken,
  parseConfig,
  startRemediation,
  type ConfigInput,
  type RunningRemediation,
} from '@layerwatch/remediation';
import { pino } from 'pino';

export interface RemediationOptions {
  readonly stateDir: string;
  /** Where the tokens are written for the operator (`.layerwatch/`, git-ignored). */
  readonly tokenDir: string;
  readonly host: string;
  readonly port: number;
  /** The simulated layer services: the HTTP actions' targets. */
  readonly services: Readonly<Record<string, { readonly url: string; readonly layer: string }>>;
  readonly alertmanagerUrl: string;
  /** @default 'warn' */
  readonly logLevel?: 'warn' | 'silent';
  /** Auto-remediation rules; none: auto-remediation stays off. */
  readonly autoRemediation?: AutoRules | undefined;
}

type AutoRules = NonNullable<
  NonNullable<NonNullable<ConfigInput['webhook']>['autoRemediation']>['rules']
>;

export interface StartedRemediation {
  /** The file holding the bearer token Alertmanager sends to the webhook. */
  readonly alertmanagerTokenFile: string;
  /** Every identity's token file, by name. */
  readonly tokenFiles: Readonly<Record<Identity, string>>;
  /** Every identity's token, by name (tests and benchmarks call the API with them). */
  readonly tokens: Readonly<Record<Identity, string>>;
  readonly running: RunningRemediation;
}

const IDENTITIES = [
  ['admin', 'admin'],
  ['operator', 'operator'],
  ['viewer', 'viewer'],
  ['alertmanager', 'viewer'],
] as const;
type Identity = (typeof IDENTITIES)[number][0];

/**
 * The remediation service on the simulator: fresh tokens on every start (only their hashes
 * reach its config), written to `<tokenDir>/<name>-token` with mode 0600; the admin token
 * is printed too. Its audit log and state persist in `<stateDir>/remediation/`.
 */
export async function startStackRemediation(
  options: RemediationOptions,
): Promise<StartedRemediation> {
  await mkdir(options.tokenDir, { recursive: true, mode: 0o700 });
  const tokens: { name: string; sha256: string; role: 'admin' | 'operator' | 'viewer' }[] = [];
  const files: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [name, role] of IDENTITIES) {
    const token = `lw_${randomBytes(24).toString('base64url')}`;
    const file = join(options.tokenDir, `${name}-token`);
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
    files[name] = file;
    secrets[name] = token;
    tokens.push({ name, sha256: hashToken(token), role });
  }
  const config = parseConfig({
    listen: `${options.host}:${options.port}`,
    store: { kind: 'sqlite', path: join(options.stateDir, 'remediation', 'audit.db') },
    auth: { tokens },
    http: {
      services: Object.entries(options.services).map(([name, s]) => ({
        name,
        layer: s.layer,
        url: s.url,
      })),
    },
    alertmanager: { url: options.alertmanagerUrl },
    ...(options.autoRemediation && {
      webhook: { autoRemediation: { enabled: true, rules: options.autoRemediation } },
    }),
  });
  const running = await startRemediation({
    config,
    logger: pino({ name: 'layerwatch-remediation', level: options.logLevel ?? 'warn' }),
  });
  return {
    alertmanagerTokenFile: files['alertmanager'] as string,
    tokenFiles: files as StartedRemediation['tokenFiles'],
    tokens: secrets as StartedRemediation['tokens'],
    running,
  };
}
