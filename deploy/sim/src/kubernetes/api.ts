import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer } from '@layerwatch/local/net';
import { nodeRoute, type SimulatedNode } from './nodes.js';
import { failure, workloadRoute, type SimulatedDeployment } from './workloads.js';

/** One call the simulated API answered, as it came, for tests to assert on. */
export interface KubernetesCall {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly contentType: string | undefined;
  readonly body: unknown;
}

/**
 * A SIMULATED Kubernetes API server (no API server runs on this machine), answering exactly
 * the calls remediation's Kubernetes actions make: read/patch a deployment, read/patch its
 * scale, read/delete a pod (./workloads.ts); read/cordon a node, list and evict its pods
 * (./nodes.ts). It keeps state, honours `dryRun=All` and records every call.
 */
export interface SimulatedKubernetes {
  readonly url: string;
  readonly calls: KubernetesCall[];
  readonly deployments: Map<string, SimulatedDeployment>;
  readonly pods: Map<string, Record<string, string>>;
  /** Nodes by name, each with the pods bound to it (the node actions' world). */
  readonly nodes: Map<string, SimulatedNode>;
  /** A kubeconfig (JSON, which kubectl and client libraries read as YAML) for this server. */
  kubeconfig(): string;
  stop(): Promise<void>;
}

export interface SimulatedKubernetesOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 (a free port) */
  readonly port?: number;
}

/** Layer 4's agent: deployment `layerwatch/agent`, 2 replicas selecting `app: agent`. */
export function addAgentDeployment(kube: SimulatedKubernetes, generation: number): void {
  kube.deployments.set('layerwatch/agent', {
    replicas: 2,
    selector: { app: 'agent' },
    annotations: {},
    generation,
  });
}

export async function startSimulatedKubernetes(
  options: SimulatedKubernetesOptions = {},
): Promise<SimulatedKubernetes> {
  const calls: KubernetesCall[] = [];
  const world = {
    deployments: new Map<string, SimulatedDeployment>(),
    pods: new Map<string, Record<string, string>>(),
  };
  const nodes = new Map<string, SimulatedNode>();
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const method = req.method ?? '';
      const text = await read(req);
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      calls.push({
        method,
        path: url.pathname,
        query: url.search,
        contentType: req.headers['content-type'],
        body,
      });
      const dry = url.searchParams.get('dryRun') === 'All';
      const forNode = nodeRoute(nodes, method, url, body, dry);
      if (forNode === undefined) return; // a call that never answers
      const [code, answer] = forNode ||
        workloadRoute(world, method, url.pathname, body, dry) || [
          404,
          failure(404, `the simulated API does not serve ${method} ${url.pathname}`),
        ];
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    })();
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    ...world,
    nodes,
    kubeconfig: () => kubeconfigFor(url),
    stop: () => closeServer(server),
  };
}

/** A bearer token, as a real cluster's service account has; the simulated API reads none. */
function kubeconfigFor(server: string): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    // Plain HTTP on loopback: client libraries refuse it unless TLS checks are off.
    clusters: [{ name: 'simulated', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'remediation', user: { token: 'simulated-cluster-token' } }],
    contexts: [{ name: 'simulated', context: { cluster: 'simulated', user: 'remediation' } }],
    'current-context': 'simulated',
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req
      .setEncoding('utf8')
      .on('data', (c: string) => (text += c))
      .on('end', () => resolve(text));
  });
}
