import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { SimulatedKubernetes } from '@layerwatch/sim';
import { pino } from 'pino';
import { KubernetesClient } from '../../src/actions/kubernetes-client.js';
import { hashToken } from '../../src/auth/tokens.js';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { startRemediation, type RunningRemediation } from '../../src/server.js';

/** One plain token per identity; the config only ever sees their hashes. */
export const TOKENS = {
  viewer: 'lw_test_viewer_token_0000000000000',
  operator: 'lw_test_operator_token_000000000000',
  admin: 'lw_test_admin_token_00000000000000',
  alertmanager: 'lw_test_alertmanager_token_00000000',
} as const;
export type Identity = keyof typeof TOKENS;

export function tokenConfig() {
  return [
    { name: 'viewer', sha256: hashToken(TOKENS.viewer), role: 'viewer' as const },
    { name: 'operator', sha256: hashToken(TOKENS.operator), role: 'operator' as const },
    { name: 'admin', sha256: hashToken(TOKENS.admin), role: 'admin' as const },
    { name: 'alertmanager', sha256: hashToken(TOKENS.alertmanager), role: 'viewer' as const },
  ];
}

/** The GPU nodes of every test config with the simulated Kubernetes API (`kubernetes.gpuNodes`). */
export const GPU_NODES = ['gpu-node-1', 'gpu-node-2', 'gpu-node-3'] as const;

export interface Backends {
  readonly sim?: { services: Record<string, { url: string; layer: string }> };
  readonly alertmanagerUrl?: string;
  readonly kube?: SimulatedKubernetes;
}

export function baseConfig(
  store: ConfigInput['store'],
  backends: Backends,
  extra: Partial<ConfigInput> = {},
): ConfigInput {
  return {
    listen: '127.0.0.1:0',
    store,
    auth: { tokens: tokenConfig() },
    ...(backends.sim
      ? {
          http: {
            services: Object.entries(backends.sim.services).map(([name, s]) => ({
              name,
              layer: s.layer,
              url: s.url,
            })),
          },
        }
      : {}),
    ...(backends.alertmanagerUrl ? { alertmanager: { url: backends.alertmanagerUrl } } : {}),
    ...(backends.kube
      ? {
          kubernetes: {
            namespace: 'layerwatch',
            deployments: {
              'layer4-agent': { name: 'agent', minReplicas: 1, maxReplicas: 6 },
              'layer7-evolution': { name: 'evolution', minReplicas: 1, maxReplicas: 3 },
            },
            gpuNodes: [...GPU_NODES],
            // Tests wait 50 ms, not 5 s, between the evictions a PodDisruptionBudget refuses.
            drain: { retrySeconds: 0.05 },
          },
        }
      : {}),
    ...extra,
  };
}

/** The client's config for the simulated API, from the kubeconfig it writes for kubectl. */
function kubeConfigOf(kube: SimulatedKubernetes): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(kube.kubeconfig());
  return kc;
}

export async function startService(
  input: ConfigInput,
  kube?: SimulatedKubernetes,
): Promise<RunningRemediation> {
  const config = parseConfig(input);
  return startRemediation({
    config,
    logger: pino({ level: 'silent' }),
    ...(kube && config.kubernetes
      ? { kubernetes: new KubernetesClient(kubeConfigOf(kube), config.kubernetes) }
      : {}),
  });
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

export async function api(
  base: string,
  who: Identity | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(who ? { authorization: `Bearer ${TOKENS[who]}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** A dry run or an execution of one action: `POST /api/v1/actions/<action>/<step>`. */
export type ActionCall = (
  action: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Answer>;

/**
 * The two action routes as `who`. `base` is read at each call, so a test that restarts its
 * service keeps calling the running one.
 */
export function actionsAs(
  who: Identity | undefined,
  base: () => string,
): { readonly dryRun: ActionCall; readonly execute: ActionCall } {
  const step =
    (name: 'dry-run' | 'execute'): ActionCall =>
    (action, body, headers) =>
      api(base(), who, 'POST', `/api/v1/actions/${action}/${name}`, body, headers);
  return { dryRun: step('dry-run'), execute: step('execute') };
}

export async function tempDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `lw-remediation-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
