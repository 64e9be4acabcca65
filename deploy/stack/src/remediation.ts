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
import type { RunningProcessServer } from '@layerwatch/local';
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
  /** Per-action settings over the defaults (tests: no cooldown between runs). */
  readonly actions?: ConfigInput['actions'] | undefined;
  /** The cluster the node actions act on; none: no Kubernetes actions. */
  readonly kubernetes?:
    { readonly kubeconfig: string; readonly gpuNodes: readonly string[] } | undefined;
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
  /** Where its API and webhook answer (in HA, the balancer in front of the replicas). */
  readonly url: string;
  /** The service in this process (single-instance stacks). */
  readonly running?: RunningRemediation;
  /** HA: the replica processes behind `url`, in order (a restarted one takes its place). */
  readonly replicas?: readonly RunningProcessServer[];
  /** HA: starts replica `index` again after it was killed, on its port and config. */
  restartReplica?(index: number): Promise<void>;
}

const IDENTITIES = [
  ['admin', 'admin'],
  ['operator', 'operator'],
  ['viewer', 'viewer'],
  ['alertmanager', 'viewer'],
] as const;
type Identity = (typeof IDENTITIES)[number][0];

/** The tokens of the stack's identities and the config input that holds their hashes. */
export interface PreparedRemediation {
  readonly input: ConfigInput;
  readonly tokenFiles: StartedRemediation['tokenFiles'];
  readonly tokens: StartedRemediation['tokens'];
}

/**
 * The remediation config of the stack: fresh tokens on every start (only their hashes
 * reach its config), written to `<tokenDir>/<name>-token` with mode 0600; the store is
 * SQLite in `<stateDir>/remediation/` unless `store` says otherwise (HA: PostgreSQL).
 */
export async function prepareStackRemediation(
  options: RemediationOptions,
  store?: ConfigInput['store'],
): Promise<PreparedRemediation> {
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
  const input: ConfigInput = {
    listen: `${options.host}:${options.port}`,
    store: store ?? { kind: 'sqlite', path: join(options.stateDir, 'remediation', 'audit.db') },
    auth: { tokens },
    http: {
      services: Object.entries(options.services).map(([name, s]) => ({
        name,
        layer: s.layer,
        url: s.url,
      })),
    },
    alertmanager: { url: options.alertmanagerUrl },
    ...(options.kubernetes && {
      kubernetes: {
        kubeconfig: options.kubernetes.kubeconfig,
        gpuNodes: [...options.kubernetes.gpuNodes],
      },
    }),
    ...(options.actions && { actions: options.actions }),
    ...(options.autoRemediation && {
      webhook: { autoRemediation: { enabled: true, rules: options.autoRemediation } },
    }),
  };
  return {
    input,
    tokenFiles: files as StartedRemediation['tokenFiles'],
    tokens: secrets as StartedRemediation['tokens'],
  };
}

/** The remediation service on the simulator, in this process (its audit log persists). */
export async function startStackRemediation(
  options: RemediationOptions,
): Promise<StartedRemediation & { readonly running: RunningRemediation }> {
  const { input, tokenFiles, tokens } = await prepareStackRemediation(options);
  const running = await startRemediation({
    config: parseConfig(input),
    logger: pino({ name: 'layerwatch-remediation', level: options.logLevel ?? 'warn' }),
  });
  return {
    alertmanagerTokenFile: tokenFiles.alertmanager,
    tokenFiles,
    tokens,
    url: running.url,
    running,
  };
}
