/**
 * The node half of the simulated Kubernetes API (no API server runs here): read
 * and patch a node, list the pods bound to it (`fieldSelector=spec.nodeName=…`) and evict
 * them through policy/v1 Eviction, as the node actions call them. A pod can be protected
 * by a PodDisruptionBudget (the eviction answers 429, as the API server does) or hang (the
 * eviction never answers), so the drain's partial results and time bound can be shown.
 */
export interface SimulatedPod {
  readonly namespace: string;
  readonly name: string;
  /** The controlling owner: `DaemonSet` pods are kept by a drain. */
  readonly owner?: { readonly kind: string; readonly name: string };
  /** A static pod's mirror (annotation `kubernetes.io/config.mirror`): kept by a drain. */
  readonly mirror?: boolean;
  readonly phase?: string;
  /** Evictions answer 429 while true, as a PodDisruptionBudget at its minimum makes them. */
  pdbBlocks?: boolean;
  /** Evictions never answer. */
  readonly hang?: boolean;
}

export interface SimulatedNode {
  unschedulable: boolean;
  pods: SimulatedPod[];
}

/** A route's answer; `undefined` for no answer at all (a hanging call). */
export type Answer = [number, unknown] | undefined;

const status = (code: number, message: string, extra: Record<string, unknown> = {}) => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: code < 300 ? 'Success' : 'Failure',
  message,
  code,
  ...extra,
});

const PDB_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

function podObject(node: string, pod: SimulatedPod) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: pod.namespace,
      ...(pod.owner
        ? {
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: pod.owner.kind,
                name: pod.owner.name,
                uid: 'u',
                controller: true,
              },
            ],
          }
        : {}),
      ...(pod.mirror ? { annotations: { 'kubernetes.io/config.mirror': 'abc123' } } : {}),
    },
    spec: { nodeName: node, containers: [] },
    status: { phase: pod.phase ?? 'Running' },
  };
}

/** The node routes; `false` when the path is not one of them. */
export function nodeRoute(
  nodes: Map<string, SimulatedNode>,
  method: string,
  url: URL,
  body: Record<string, unknown> | undefined,
  dry: boolean,
): Answer | false {
  let m = /^\/api\/v1\/nodes\/([^/]+)$/.exec(url.pathname);
  if (m) {
    const name = m[1] as string;
    const node = nodes.get(name);
    if (!node) return [404, status(404, `nodes "${name}" not found`)];
    if (method === 'PATCH') {
      const next = (body as { spec?: { unschedulable?: boolean } }).spec?.unschedulable;
      if (typeof next !== 'boolean') return [422, status(422, 'spec.unschedulable: not a boolean')];
      if (!dry) node.unschedulable = next;
      return [200, nodeObject(name, dry ? { ...node, unschedulable: next } : node)];
    }
    if (method === 'GET') return [200, nodeObject(name, node)];
  }
  if (url.pathname === '/api/v1/pods' && method === 'GET') {
    const selector = /^spec\.nodeName=(.+)$/.exec(url.searchParams.get('fieldSelector') ?? '');
    const node = selector ? nodes.get(selector[1] as string) : undefined;
    const items = node ? node.pods.map((p) => podObject(selector?.[1] as string, p)) : [];
    return [200, { apiVersion: 'v1', kind: 'PodList', metadata: {}, items }];
  }
  m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/eviction$/.exec(url.pathname);
  if (m && method === 'POST') return evict(nodes, m[1] as string, m[2] as string, body, dry);
  return false;
}

function evict(
  nodes: Map<string, SimulatedNode>,
  namespace: string,
  name: string,
  body: Record<string, unknown> | undefined,
  dry: boolean,
): Answer {
  const eviction = body as { apiVersion?: string; kind?: string; metadata?: { name?: string } };
  if (
    eviction.apiVersion !== 'policy/v1' ||
    eviction.kind !== 'Eviction' ||
    eviction.metadata?.name !== name
  ) {
    return [400, status(400, 'the body is not a policy/v1 Eviction of this pod')];
  }
  for (const node of nodes.values()) {
    const index = node.pods.findIndex((p) => p.namespace === namespace && p.name === name);
    const pod = node.pods[index];
    if (!pod) continue;
    if (pod.hang) return undefined;
    if (pod.pdbBlocks) {
      return [
        429,
        status(429, PDB_MESSAGE, {
          reason: 'TooManyRequests',
          details: {
            causes: [
              {
                reason: 'DisruptionBudget',
                message: `The disruption budget ${name}-pdb needs 1 healthy pods and has 1 currently`,
              },
            ],
          },
        }),
      ];
    }
    if (!dry) node.pods.splice(index, 1);
    return [201, status(201, '')];
  }
  return [404, status(404, `pods "${name}" not found`)];
}

function nodeObject(name: string, node: SimulatedNode) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'nvidia.com/gpu.present': 'true' } },
    spec: node.unschedulable ? { unschedulable: true } : {},
  };
}
