/**
 * The workload half of the simulated Kubernetes API (no API server runs here): read and
 * patch a deployment and its scale subresource, read and delete a pod, as the deployment
 * actions call them.
 */
export interface SimulatedDeployment {
  replicas: number;
  selector: Record<string, string>;
  annotations: Record<string, string>;
  generation: number;
}

/** The workload world: deployments and pods (their labels) by `namespace/name`. */
export interface Workloads {
  readonly deployments: Map<string, SimulatedDeployment>;
  readonly pods: Map<string, Record<string, string>>;
}

export const failure = (code: number, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message,
  code,
});

/** The workload routes; `false` when the path is not one of them. */
export function workloadRoute(
  world: Workloads,
  method: string,
  path: string,
  body: Record<string, unknown> | undefined,
  dry: boolean,
): [number, unknown] | false {
  let m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)(\/scale)?$/.exec(path);
  if (m) {
    const [, ns, name, scale] = m as unknown as [string, string, string, string | undefined];
    const d = world.deployments.get(`${ns}/${name}`);
    if (!d) return [404, failure(404, `deployments.apps "${name}" not found`)];
    if (method === 'PATCH') {
      const next = structuredClone(d);
      if (scale) next.replicas = (body as { spec: { replicas: number } }).spec.replicas;
      else {
        const a = (
          body as { spec: { template: { metadata: { annotations: Record<string, string> } } } }
        ).spec.template.metadata.annotations;
        Object.assign(next.annotations, a);
        next.generation += 1;
      }
      if (!dry) world.deployments.set(`${ns}/${name}`, next);
      return [200, scale ? scaleOf(ns, name, next) : deploymentOf(ns, name, next)];
    }
    if (method === 'GET') return [200, scale ? scaleOf(ns, name, d) : deploymentOf(ns, name, d)];
  }
  m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(path);
  if (m) {
    const [, ns, name] = m as unknown as [string, string, string];
    const labels = world.pods.get(`${ns}/${name}`);
    if (!labels) return [404, failure(404, `pods "${name}" not found`)];
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, labels },
      spec: { nodeName: 'node-1', containers: [] },
      status: { phase: 'Running' },
    };
    if (method === 'GET') return [200, pod];
    if (method === 'DELETE') {
      if (!dry) world.pods.delete(`${ns}/${name}`);
      return [200, pod];
    }
  }
  return false;
}

function deploymentOf(namespace: string, name: string, d: SimulatedDeployment) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, generation: d.generation },
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: d.selector },
      template: {
        metadata: { labels: d.selector, annotations: d.annotations },
        spec: { containers: [] },
      },
    },
  };
}

function scaleOf(namespace: string, name: string, d: SimulatedDeployment) {
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name, namespace },
    spec: { replicas: d.replicas },
    status: { replicas: d.replicas },
  };
}
