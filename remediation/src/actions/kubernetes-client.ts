import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
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

/**
 * The only Kubernetes calls remediation makes: read/patch a deployment, read/patch its scale
 * subresource, read/delete a pod. `dryRun` sends `dryRun=All`, the server-side dry run.
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

  #write(dryRun: boolean): { dryRun?: string; fieldManager: string } {
    const fieldManager = this.config.fieldManager;
    return dryRun ? { dryRun: 'All', fieldManager } : { fieldManager };
  }
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
