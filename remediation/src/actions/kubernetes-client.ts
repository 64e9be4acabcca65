import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Observable,
  type ConfigurationOptions,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
  type V1Deployment,
  type V1LabelSelector,
  type V1Pod,
} from '@kubernetes/client-node';
import type { DeploymentConfig, KubernetesConfig } from '../config/schema.js';
import { ActionError } from './types.js';

export interface ResolvedDeployment extends DeploymentConfig {
  readonly key: string;
  readonly namespace: string;
}

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** A node's pods are listed in one page of at most this many; a node with more is refused. */
export const NODE_POD_LIST_LIMIT = 1000;

/**
 * The only Kubernetes calls remediation makes: read/patch a deployment, read/patch its scale
 * subresource, read/delete a pod; read/cordon a node, list its pods and evict them.
 * `dryRun` sends `dryRun=All`, the server-side dry run.
 */
export class KubernetesClient {
  readonly #apps: AppsV1Api;
  readonly #core: CoreV1Api;

  constructor(
    kubeConfig: KubeConfig,
    private readonly config: KubernetesConfig,
  ) {
    this.#apps = kubeConfig.makeApiClient(AppsV1Api);
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
  }

  static fromConfig(config: KubernetesConfig): KubernetesClient {
    const kc = new KubeConfig();
    if (config.source === 'in-cluster') kc.loadFromCluster();
    else if (config.kubeconfig) kc.loadFromFile(config.kubeconfig);
    else kc.loadFromDefault();
    return new KubernetesClient(kc, config);
  }

  deployment(key: string): ResolvedDeployment {
    const found = this.config.deployments[key];
    if (!found) throw new ActionError(`deployment "${key}" is not in the registry`);
    return { ...found, key, namespace: found.namespace ?? this.config.namespace };
  }

  async restart(d: ResolvedDeployment, dryRun: boolean, at: string) {
    const before = await this.#apps.readNamespacedDeployment({
      name: d.name,
      namespace: d.namespace,
    });
    const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at } } } } };
    const after = await this.#apps.patchNamespacedDeployment(
      { name: d.name, namespace: d.namespace, body, ...this.#write(dryRun) },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    return {
      from: before.spec?.template.metadata?.annotations?.[RESTARTED_AT] ?? null,
      to: after.spec?.template.metadata?.annotations?.[RESTARTED_AT] ?? at,
      generation: after.metadata?.generation,
    };
  }

  async scale(d: ResolvedDeployment, replicas: number, dryRun: boolean) {
    const before = await this.#apps.readNamespacedDeploymentScale({
      name: d.name,
      namespace: d.namespace,
    });
    const after = await this.#apps.patchNamespacedDeploymentScale(
      {
        name: d.name,
        namespace: d.namespace,
        body: { spec: { replicas } },
        ...this.#write(dryRun),
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    return { from: before.spec?.replicas ?? null, to: after.spec?.replicas ?? replicas };
  }

  /** Deletes a pod only if the deployment's selector selects it, in the same namespace. */
  async deletePod(d: ResolvedDeployment, pod: string, dryRun: boolean) {
    const deployment: V1Deployment = await this.#apps.readNamespacedDeployment({
      name: d.name,
      namespace: d.namespace,
    });
    const target: V1Pod = await this.#core.readNamespacedPod({ name: pod, namespace: d.namespace });
    if (!selects(deployment.spec?.selector, target.metadata?.labels ?? {})) {
      throw new ActionError(
        `pod "${pod}" does not belong to deployment "${d.key}" (its selector does not match the pod's labels)`,
      );
    }
    await this.#core.deleteNamespacedPod({
      name: pod,
      namespace: d.namespace,
      ...(dryRun ? { dryRun: 'All' } : {}),
    });
    return { phase: target.status?.phase ?? null, node: target.spec?.nodeName ?? null };
  }

  /** Whether the node is cordoned (`spec.unschedulable`). */
  async unschedulable(node: string, signal: AbortSignal): Promise<boolean> {
    const found = await this.#core.readNode({ name: node }, callOptions(signal));
    return found.spec?.unschedulable === true;
  }

  /** `kubectl cordon`: a strategic merge patch of `spec.unschedulable: true`; the value after. */
  async cordon(node: string, dryRun: boolean, signal: AbortSignal): Promise<boolean> {
    const after = await this.#core.patchNode(
      { name: node, body: { spec: { unschedulable: true } }, ...this.#write(dryRun) },
      callOptions(signal, PatchStrategy.StrategicMergePatch),
    );
    return after.spec?.unschedulable === true;
  }

  /** The pods bound to the node, in every namespace (one page; more is an ActionError). */
  async podsOn(node: string, signal: AbortSignal): Promise<V1Pod[]> {
    const list = await this.#core.listPodForAllNamespaces(
      { fieldSelector: `spec.nodeName=${node}`, limit: NODE_POD_LIST_LIMIT },
      callOptions(signal),
    );
    if (list.metadata?._continue) {
      throw new ActionError(
        `node "${node}" runs more than ${NODE_POD_LIST_LIMIT} pods: drain it with kubectl`,
      );
    }
    return list.items;
  }

  /**
   * A policy/v1 Eviction of one pod (`kubectl drain`'s way): the API server answers 429 while
   * a PodDisruptionBudget forbids it. Never a delete: nothing here bypasses a budget.
   */
  async evict(namespace: string, pod: string, dryRun: boolean, signal: AbortSignal) {
    await this.#core.createNamespacedPodEviction(
      {
        name: pod,
        namespace,
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace } },
        ...(dryRun ? { dryRun: 'All' } : {}),
      },
      callOptions(signal),
    );
  }

  #write(dryRun: boolean): { dryRun?: string; fieldManager: string } {
    const fieldManager = this.config.fieldManager;
    return dryRun ? { dryRun: 'All', fieldManager } : { fieldManager };
  }
}

/**
 * Request options that abort the call with `signal` (and set a patch's content type). The
 * object-parameter API takes the generated client's observable middleware, as
 * `setHeaderOptions` builds it.
 */
function callOptions(signal: AbortSignal, contentType?: string): ConfigurationOptions {
  const middleware: ObservableMiddleware = {
    pre(context: RequestContext) {
      context.setSignal(signal);
      if (contentType) context.setHeaderParam('Content-Type', contentType);
      return new Observable(Promise.resolve(context));
    },
    post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}

/** Label selector semantics: every matchLabels pair and every matchExpression must hold. */
export function selects(
  selector: V1LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return false;
  const pairs = Object.entries(selector.matchLabels ?? {});
  const expressions = selector.matchExpressions ?? [];
  // An empty selector would select every pod: never treat that as ownership.
  if (pairs.length === 0 && expressions.length === 0) return false;
  if (!pairs.every(([k, v]) => labels[k] === v)) return false;
  return expressions.every(({ key, operator, values = [] }) => {
    const has = Object.hasOwn(labels, key);
    switch (operator) {
      case 'In':
        return has && values.includes(labels[key] as string);
      case 'NotIn':
        return !has || !values.includes(labels[key] as string);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}
