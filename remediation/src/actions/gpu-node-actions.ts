import { z } from 'zod/v4';
import { nodeName, type KubernetesConfig } from '../config/schema.js';
import { ACTION_DEFAULTS } from './defaults.js';
import {
  classify,
  drainReport,
  evictAll,
  partialDrainMessage,
  podKey,
  type PodResult,
  type PodToEvict,
} from './drain.js';
import { kube } from './kube-errors.js';
import type { KubernetesClient } from './kubernetes-client.js';
import { ActionError, type ActionDefinition, type Plan } from './types.js';

type NodeParams = { node: string };

/** The `node` param: a node name (DNS-1123), and one of `kubernetes.gpuNodes`. */
function nodeParams(nodes: readonly string[]): z.ZodType<NodeParams> {
  const registered = nodes.join(', ');
  const node = nodeName
    .refine((n) => nodes.includes(n), {
      error: (issue) =>
        `node ${JSON.stringify(issue.input)} is not a registered GPU node (kubernetes.gpuNodes: ${registered})`,
    })
    .describe(`a registered GPU node: ${registered}`);
  return z.object({ node }).strict();
}

/** cordon-gpu-node and drain-gpu-node over the registered GPU nodes; none without any. */
export function gpuNodeActions(
  config: KubernetesConfig,
  client: KubernetesClient,
): ActionDefinition[] {
  if (config.gpuNodes.length === 0) return [];
  const params = nodeParams(config.gpuNodes);
  return [
    cordonGpuNode(client, params),
    drainGpuNode(config, client, params),
  ] as ActionDefinition[];
}

const unschedulableChange = (node: string, from: boolean) => ({
  kind: 'unschedulable',
  target: `node ${node}`,
  from,
  to: true,
});

/** What both node actions share: their defaults, name, params and `node NAME` target. */
const nodeAction = <N extends 'cordon-gpu-node' | 'drain-gpu-node'>(
  name: N,
  params: z.ZodType<NodeParams>,
) => ({ ...ACTION_DEFAULTS[name], name, params, target: (p: NodeParams) => `node ${p.node}` });

/** cordon-gpu-node: `kubectl cordon`; a cordoned node stays as it is, and the answer says so. */
function cordonGpuNode(
  client: KubernetesClient,
  params: z.ZodType<NodeParams>,
): ActionDefinition<NodeParams> {
  return {
    ...nodeAction('cordon-gpu-node', params),
    async plan(p, signal) {
      const from = await kube(() => client.unschedulable(p.node, signal));
      if (from) {
        return {
          summary: `Node ${p.node} is already cordoned: nothing changes`,
          changes: [unschedulableChange(p.node, true)],
        };
      }
      await kube(() => client.cordon(p.node, true, signal));
      return {
        summary: `Cordon node ${p.node}: no new pods are scheduled on it, the pods running there stay (server-side dry run accepted)`,
        changes: [unschedulableChange(p.node, false)],
      };
    },
    async execute(p, signal) {
      const from = await kube(() => client.unschedulable(p.node, signal));
      if (from) {
        return {
          node: p.node,
          from: true,
          to: true,
          changed: false,
          message: `node ${p.node} was already cordoned`,
        };
      }
      const to = await kube(() => client.cordon(p.node, false, signal));
      return { node: p.node, from: false, to, changed: true, message: `node ${p.node} cordoned` };
    },
  };
}

/**
 * drain-gpu-node: cordon, then a policy/v1 Eviction per pod (`kubectl drain
 * --ignore-daemonsets`), never more than `kubernetes.drain.maxPods`, within the action's
 * time limit. Pods a PodDisruptionBudget protects make it a partial, failed drain whose
 * result still lists every pod's outcome.
 */
function drainGpuNode(
  config: KubernetesConfig,
  client: KubernetesClient,
  params: z.ZodType<NodeParams>,
): ActionDefinition<NodeParams> {
  const { maxPods, evictionAttempts, retrySeconds } = config.drain;
  /** The node's state and its pods to evict, refused past the bound before anything changes. */
  const survey = async (node: string, signal: AbortSignal) => {
    const from = await kube(() => client.unschedulable(node, signal));
    const { evict, kept } = classify(await kube(() => client.podsOn(node, signal)));
    if (evict.length > maxPods) {
      throw new ActionError(
        `node ${node} has ${evict.length} pods to evict, more than kubernetes.drain.maxPods (${maxPods}): raise the bound or drain it with kubectl`,
      );
    }
    return { from, evict, kept };
  };
  const evictions = (pods: PodToEvict[], dryRun: boolean, signal: AbortSignal) =>
    evictAll(pods, {
      attempts: dryRun ? 1 : evictionAttempts,
      retrySeconds,
      signal,
      evict: (pod) => client.evict(pod.namespace, pod.name, dryRun, signal),
    });
  return {
    ...nodeAction('drain-gpu-node', params),
    async plan(p, signal) {
      const { from, evict, kept } = await survey(p.node, signal);
      if (!from) await kube(() => client.cordon(p.node, true, signal));
      return drainPlan(p.node, from, evict, kept, await evictions(evict, true, signal));
    },
    async execute(p, signal) {
      const { from, evict, kept } = await survey(p.node, signal);
      const to = from || (await kube(() => client.cordon(p.node, false, signal)));
      const report = drainReport(p.node, { from, to }, await evictions(evict, false, signal), kept);
      if (!report.complete) {
        throw new ActionError(partialDrainMessage(report, evictionAttempts), { ...report });
      }
      return { ...report };
    },
  };
}

/** What a drain would do: the cordon, each pod's eviction (as the dry run answered), the pods kept. */
function drainPlan(
  node: string,
  from: boolean,
  evict: readonly PodToEvict[],
  kept: readonly { pod: string; reason: string }[],
  dryRun: readonly PodResult[],
): Plan {
  const outcome = new Map(dryRun.map((r) => [r.pod, r]));
  const refused = dryRun.filter((r) => r.outcome !== 'evicted' && r.outcome !== 'gone');
  const changes = [
    unschedulableChange(node, from),
    ...evict.map((pod) => {
      const tried = outcome.get(podKey(pod));
      const to =
        tried && tried.outcome !== 'evicted' && tried.outcome !== 'gone'
          ? `${tried.outcome} now: ${tried.reason ?? 'no reason given'}`
          : pod.controller
            ? `evicted (${pod.controller} starts a replacement elsewhere)`
            : 'evicted (no controller: nothing starts it again)';
      return { kind: 'eviction', target: `pod ${podKey(pod)}`, from: pod.phase, to };
    }),
    ...kept.map((k) => ({ kind: 'kept', target: `pod ${k.pod}`, to: k.reason })),
  ];
  const cordon = from ? 'already cordoned' : 'cordon it (server-side dry run accepted)';
  const budget =
    refused.length > 0
      ? `; ${refused.length} refused right now (a PodDisruptionBudget or another answer: see each pod)`
      : '';
  return {
    summary: `Drain node ${node}: ${cordon}, then evict ${evict.length} pods through the Eviction API, PodDisruptionBudgets respected${budget}; ${kept.length} kept (DaemonSet and mirror pods)`,
    changes,
  };
}
