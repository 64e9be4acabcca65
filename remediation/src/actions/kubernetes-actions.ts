import { z } from 'zod/v4';
import type { KubernetesConfig } from '../config/schema.js';
import { ACTION_DEFAULTS } from './defaults.js';
import { gpuNodeActions } from './gpu-node-actions.js';
import type { KubernetesClient, ResolvedDeployment } from './kubernetes-client.js';
import { kube } from './kube-errors.js';
import type { ActionDefinition } from './types.js';

const podName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a Kubernetes pod name');

type Deployment = z.ZodType<string>;

const label = (d: ResolvedDeployment) => `deployment ${d.namespace}/${d.name}`;

/**
 * restart-deployment, scale-deployment and delete-pod over the registry's deployments;
 * cordon-gpu-node and drain-gpu-node over its GPU nodes. None without its registry.
 */
export function kubernetesActions(
  config: KubernetesConfig,
  client: KubernetesClient,
): ActionDefinition[] {
  return [...deploymentActions(config, client), ...gpuNodeActions(config, client)];
}

function deploymentActions(config: KubernetesConfig, client: KubernetesClient) {
  const keys = Object.keys(config.deployments);
  if (keys.length === 0) return [];
  const deployment = z.enum(keys as [string, ...string[]]).describe('a deployment of the registry');
  return [
    restartDeployment(client, deployment),
    scaleDeployment(config, client, deployment),
    deletePod(client, deployment),
  ] as ActionDefinition[];
}

/** restart-deployment: a rolling restart through the restartedAt annotation. */
function restartDeployment(
  client: KubernetesClient,
  deployment: Deployment,
): ActionDefinition<{ deployment: string }> {
  return {
    ...ACTION_DEFAULTS['restart-deployment'],
    name: 'restart-deployment',
    params: z.object({ deployment }).strict(),
    target: (p) => label(client.deployment(p.deployment)),
    async plan(p) {
      const d = client.deployment(p.deployment);
      const r = await kube(() => client.restart(d, true, new Date().toISOString()));
      return {
        summary: `Rolling restart of ${label(d)} (server-side dry run accepted)`,
        changes: [
          { kind: 'annotation', target: `${label(d)} ${RESTART_KEY}`, from: r.from, to: r.to },
        ],
      };
    },
    async execute(p) {
      const d = client.deployment(p.deployment);
      return kube(() => client.restart(d, false, new Date().toISOString()));
    },
  };
}

/** scale-deployment: replicas within the deployment's configured bounds. */
function scaleDeployment(
  config: KubernetesConfig,
  client: KubernetesClient,
  deployment: Deployment,
): ActionDefinition<{ deployment: string; replicas: number }> {
  const bounds = Object.entries(config.deployments)
    .map(([k, d]) => `${k} ${d.minReplicas}..${d.maxReplicas}`)
    .join(', ');
  return {
    ...ACTION_DEFAULTS['scale-deployment'],
    name: 'scale-deployment',
    params: z
      .object({
        deployment,
        replicas: z.number().int().min(0).max(1000).describe(`replicas, within bounds: ${bounds}`),
      })
      .strict()
      .check((ctx) => {
        const d = config.deployments[ctx.value.deployment];
        if (d && (ctx.value.replicas < d.minReplicas || ctx.value.replicas > d.maxReplicas)) {
          ctx.issues.push({
            code: 'custom',
            input: ctx.value.replicas,
            path: ['replicas'],
            message: `${ctx.value.replicas} is outside ${ctx.value.deployment}'s bounds ${d.minReplicas}..${d.maxReplicas}`,
          });
        }
      }),
    target: (p) => label(client.deployment(p.deployment)),
    async plan(p) {
      const d = client.deployment(p.deployment);
      const r = await kube(() => client.scale(d, p.replicas, true));
      return {
        summary: `Scale ${label(d)} from ${String(r.from)} to ${p.replicas} replicas`,
        changes: [{ kind: 'replicas', target: label(d), from: r.from, to: p.replicas }],
      };
    },
    async execute(p) {
      const d = client.deployment(p.deployment);
      return kube(() => client.scale(d, p.replicas, false));
    },
  };
}

/** delete-pod: one pod of a deployment; its ReplicaSet starts a new one. */
function deletePod(
  client: KubernetesClient,
  deployment: Deployment,
): ActionDefinition<{ deployment: string; pod: string }> {
  return {
    ...ACTION_DEFAULTS['delete-pod'],
    name: 'delete-pod',
    params: z.object({ deployment, pod: podName }).strict(),
    target: (p) => `pod ${client.deployment(p.deployment).namespace}/${p.pod}`,
    async plan(p) {
      const d = client.deployment(p.deployment);
      const r = await kube(() => client.deletePod(d, p.pod, true));
      return {
        summary: `Delete pod ${d.namespace}/${p.pod} of ${label(d)}; its ReplicaSet starts a new one`,
        changes: [
          { kind: 'pod', target: `pod ${d.namespace}/${p.pod}`, from: r.phase, to: 'deleted' },
        ],
      };
    },
    async execute(p) {
      const d = client.deployment(p.deployment);
      return {
        deleted: `${d.namespace}/${p.pod}`,
        ...(await kube(() => client.deletePod(d, p.pod, false))),
      };
    },
  };
}

const RESTART_KEY = 'kubectl.kubernetes.io/restartedAt';
