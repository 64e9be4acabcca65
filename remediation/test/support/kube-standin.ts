import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { nodeRoute, type StandInNode } from './kube-standin-nodes.js';

/**
 * A stand-in for the Kubernetes API server (none runs on this machine), answering exactly
 * the calls the executor makes: read/patch a deployment, read/patch its scale, read/delete
 * a pod; and, through ./kube-standin-nodes.ts, read/cordon a node, list and evict its pods.
 * It keeps state, honours `dryRun=All` and records every call for assertions.
 */
export interface KubeCall {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly contentType: string | undefined;
  readonly body: unknown;
}

interface Deployment {
  replicas: number;
  selector: Record<string, string>;
  annotations: Record<string, string>;
  generation: number;
}

export interface KubeStandIn {
  readonly url: string;
  readonly calls: KubeCall[];
  readonly deployments: Map<string, Deployment>;
  readonly pods: Map<string, Record<string, string>>;
  /** Nodes by name, each with the pods bound to it (the node actions' world). */
  readonly nodes: Map<string, StandInNode>;
  kubeConfig(): KubeConfig;
  stop(): Promise<void>;
}

const status = (code: number, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message,
  code,
});

/** Layer 4's agent: deployment `layerwatch/agent`, 2 replicas selecting `app: agent`. */
export function addAgentDeployment(kube: KubeStandIn, generation: number): void {
  kube.deployments.set('layerwatch/agent', {
    replicas: 2,
    selector: { app: 'agent' },
    annotations: {},
    generation,
  });
}

export async function startKubeStandIn(): Promise<KubeStandIn> {
  const calls: KubeCall[] = [];
  const deployments = new Map<string, Deployment>();
  const pods = new Map<string, Record<string, string>>();
  const nodes = new Map<string, StandInNode>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const text = await read(req);
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      calls.push({
        method: req.method ?? '',
        path: url.pathname,
        query: url.search,
        contentType: req.headers['content-type'],
        body,
      });
      const dry = url.searchParams.get('dryRun') === 'All';
      const forNode = nodeRoute(nodes, req.method ?? '', url, body, dry);
      if (forNode === undefined) return; // a call that never answers
      const [code, answer] = forNode || route(req.method ?? '', url.pathname, body, dry);
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    })();
  });

  function route(
    method: string,
    path: string,
    body: Record<string, unknown> | undefined,
    dry: boolean,
  ): [number, unknown] {
    let m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)(\/scale)?$/.exec(path);
    if (m) {
      const [, ns, name, scale] = m as unknown as [string, string, string, string | undefined];
      const d = deployments.get(`${ns}/${name}`);
      if (!d) return [404, status(404, `deployments.apps "${name}" not found`)];
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
        if (!dry) deployments.set(`${ns}/${name}`, next);
        return [200, scale ? scaleOf(ns, name, next) : deploymentOf(ns, name, next)];
      }
      if (method === 'GET') return [200, scale ? scaleOf(ns, name, d) : deploymentOf(ns, name, d)];
    }
    m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(path);
    if (m) {
      const [, ns, name] = m as unknown as [string, string, string];
      const labels = pods.get(`${ns}/${name}`);
      if (!labels) return [404, status(404, `pods "${name}" not found`)];
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: ns, labels },
        spec: { nodeName: 'node-1', containers: [] },
        status: { phase: 'Running' },
      };
      if (method === 'GET') return [200, pod];
      if (method === 'DELETE') {
        if (!dry) pods.delete(`${ns}/${name}`);
        return [200, pod];
      }
    }
    return [404, status(404, `the stand-in does not serve ${method} ${path}`)];
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    deployments,
    pods,
    nodes,
    kubeConfig() {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'standin', server: url, skipTLSVerify: true }],
        users: [{ name: 'remediation', token: 'standin-token' }],
        contexts: [{ name: 'standin', cluster: 'standin', user: 'remediation' }],
        currentContext: 'standin',
      });
      return kc;
    },
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function deploymentOf(namespace: string, name: string, d: Deployment) {
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

function scaleOf(namespace: string, name: string, d: Deployment) {
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name, namespace },
    spec: { replicas: d.replicas },
    status: { replicas: d.replicas },
  };
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
