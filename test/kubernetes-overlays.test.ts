import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_CONFIG } from '@layerwatch/alert-rules';
import { loadProbeConfigText } from '@layerwatch/probes';
import { hashToken, parseConfig } from '@layerwatch/remediation';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as k8s from './support/kubernetes-render.js';
import { GPU_NODES_CLUSTER_ROLE } from './support/kubernetes-rbac.js';
import { operatorProbeLabels, relabel, type RelabelConfig } from './support/kubernetes-sharding.js';

/**
 * What each overlay adds: scale-out's sharding (followed target by target through the
 * Prometheus Operator's relabelings and ours, to a replica that exists), gpu's DaemonSet
 * and its config, dev's single replica; and both shipped probe configs through the real
 * `layerwatch probes --check-config`.
 */
let dev: k8s.K8sObject[];
let scaleOut: k8s.K8sObject[];
let gpu: k8s.K8sObject[];
beforeAll(async () => {
  [dev, scaleOut, gpu] = await Promise.all([
    k8s.renderOverlay('dev'),
    k8s.renderOverlay('scale-out'),
    k8s.renderOverlay('gpu'),
  ]);
});

const staticConfig = (probe: k8s.K8sObject): Record<string, unknown> =>
  k8s.at(probe, 'spec', 'targets', 'staticConfig') as Record<string, unknown>;

describe('scale-out overlay', () => {
  it('runs the same pod as the Deployment, as a StatefulSet behind a headless Service', () => {
    const sts = k8s.theObject(scaleOut, 'StatefulSet', 'layerwatch-probes');
    const deployment = k8s.theObject(dev, 'Deployment', 'layerwatch-probes');
    expect(k8s.at(sts, 'spec', 'template')).toEqual(k8s.at(deployment, 'spec', 'template'));
    const headless = k8s.theObject(
      scaleOut,
      'Service',
      k8s.at(sts, 'spec', 'serviceName') as string,
    );
    expect(k8s.at(headless, 'spec', 'clusterIP')).toBe('None');
    expect(k8s.at(headless, 'spec', 'selector')).toEqual(
      k8s.at(sts, 'spec', 'selector', 'matchLabels'),
    );
    expect(k8s.ofKind(scaleOut, 'Deployment').map((d) => d.metadata.name)).toEqual([
      'layerwatch-remediation',
    ]);
  });

  it('shards every Probe by hashmod into as many shards as there are replicas', () => {
    const replicas = k8s.at(
      k8s.theObject(scaleOut, 'StatefulSet', 'layerwatch-probes'),
      'spec',
      'replicas',
    );
    expect(replicas).toBe(3);
    for (const probe of k8s.ofKind(scaleOut, 'Probe')) {
      const configs = staticConfig(probe).relabelingConfigs as readonly RelabelConfig[];
      const hashmods = configs.filter((c) => c.action === 'hashmod');
      expect(hashmods, probe.metadata.name).toEqual([
        expect.objectContaining({ sourceLabels: ['__param_target'], modulus: replicas }),
      ]);
    }
  });

  it('sends each target to one existing replica, and spreads the targets over all of them', () => {
    const sts = k8s.theObject(scaleOut, 'StatefulSet', 'layerwatch-probes');
    const ns = sts.metadata.namespace ?? '';
    const headless = k8s.at(sts, 'spec', 'serviceName') as string;
    const replicas = k8s.at(sts, 'spec', 'replicas') as number;
    const pods = Array.from(
      { length: replicas },
      (_, i) => `${sts.metadata.name}-${i}.${headless}.${ns}.svc:9701`,
    );
    const used = new Set<string>();
    for (const probe of k8s.ofKind(scaleOut, 'Probe')) {
      const config = staticConfig(probe);
      const proberUrl = k8s.at(probe, 'spec', 'prober', 'url') as string;
      for (const target of config.static as readonly string[]) {
        const labels = relabel(
          operatorProbeLabels(target, proberUrl),
          config.relabelingConfigs as readonly RelabelConfig[],
        );
        expect(pods, `${probe.metadata.name} ${target}`).toContain(labels.__address__);
        expect(labels.target).toBe(target);
        used.add(labels.__address__ ?? '');
      }
    }
    expect(used.size).toBe(replicas);
  });

  it('keeps at most one shard down during voluntary disruptions', () => {
    const pdb = k8s.theObject(scaleOut, 'PodDisruptionBudget', 'layerwatch-probes');
    expect(k8s.at(pdb, 'spec', 'maxUnavailable')).toBe(1);
    expect(k8s.at(pdb, 'spec', 'selector', 'matchLabels')).toEqual(
      k8s.at(
        k8s.theObject(scaleOut, 'StatefulSet', 'layerwatch-probes'),
        'spec',
        'selector',
        'matchLabels',
      ),
    );
  });
});

describe('dev overlay', () => {
  it('runs one probe daemon replica that answers every Probe through its Service', () => {
    expect(k8s.at(k8s.theObject(dev, 'Deployment', 'layerwatch-probes'), 'spec', 'replicas')).toBe(
      1,
    );
    for (const probe of k8s.ofKind(dev, 'Probe')) {
      const configs = staticConfig(probe).relabelingConfigs as readonly RelabelConfig[];
      expect(configs.map((c) => c.targetLabel)).toEqual(['target']);
    }
  });
});

describe('gpu overlay', () => {
  it('runs the GPU collector on GPU nodes only, tolerating their taint, asking for no GPU', () => {
    const ds = k8s.theObject(gpu, 'DaemonSet', 'layerwatch-gpu-collector');
    const pod = k8s.at(ds, 'spec', 'template', 'spec');
    expect(k8s.at(pod, 'nodeSelector')).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(k8s.at(pod, 'tolerations')).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(JSON.stringify(k8s.at(pod, 'containers', 0, 'resources'))).not.toContain(
      'nvidia.com/gpu',
    );
  });

  it('enables only the gpu collector in its config, which our loader accepts', async () => {
    const text = k8s.at(
      k8s.generatedConfigMap(gpu, 'layerwatch-gpu-collector-config'),
      'data',
      'gpu.yml',
    );
    const loaded = loadProbeConfigText(String(text), 'gpu.yml');
    await loaded.close();
    const { collectors, modules, layers } = loaded.config;
    expect([
      collectors.gpu.enabled,
      collectors.checksums.enabled,
      collectors.readiness.enabled,
    ]).toEqual([true, false, false]);
    expect([Object.keys(modules), layers]).toEqual([[], []]);
    expect(collectors.gpu.layer).toBe('8');
  });

  it('labels GPU series with the job the rules select on and the node the pod runs on', () => {
    const monitor = k8s.theObject(gpu, 'PodMonitor', 'layerwatch-gpu-collector');
    const endpoint = k8s.at(monitor, 'spec', 'podMetricsEndpoints', 0) as Record<string, unknown>;
    expect(endpoint.relabelings).toEqual([
      { targetLabel: 'job', replacement: DEFAULT_CONFIG.jobs.gpuNodes },
      { sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' },
    ]);
    expect(endpoint.honorLabels).toBe(false);
  });
});

describe("gpu overlay: the remediation service's node actions", () => {
  const remediationConfig = (objects: readonly k8s.K8sObject[]): string =>
    String(
      k8s.at(
        k8s.generatedConfigMap(objects, 'layerwatch-remediation-config'),
        'data',
        'remediation.yml',
      ),
    );

  it('registers exactly the nodes its ClusterRole names, and the config passes the schema', () => {
    const withAuth = `${remediationConfig(gpu)}\nauth:\n  tokens: [{ name: grafana, role: operator, sha256: ${hashToken('t')} }]\n`;
    const nodes = parseConfig(parse(withAuth) as never).kubernetes?.gpuNodes ?? [];
    expect(nodes.length).toBeGreaterThan(0);
    const role = k8s.theObject(gpu, 'ClusterRole', GPU_NODES_CLUSTER_ROLE);
    const rules = k8s.at(role, 'rules') as readonly {
      resources: string[];
      resourceNames?: string[];
    }[];
    expect(rules.find((r) => r.resources.includes('nodes'))?.resourceNames).toEqual(nodes);
    const binding = k8s.theObject(gpu, 'ClusterRoleBinding', GPU_NODES_CLUSTER_ROLE);
    const account = k8s.theObject(gpu, 'ServiceAccount', 'layerwatch-remediation');
    expect(k8s.at(binding, 'subjects')).toEqual([
      {
        kind: 'ServiceAccount',
        name: 'layerwatch-remediation',
        namespace: account.metadata.namespace,
      },
    ]);
  });

  it('is dev with the nodes registered: the rest of the config is the same', () => {
    const { kubernetes, ...rest } = parse(remediationConfig(gpu)) as {
      kubernetes: Record<string, unknown>;
    };
    const { kubernetes: devKubernetes, ...devRest } = parse(remediationConfig(dev)) as {
      kubernetes: Record<string, unknown>;
    };
    expect(rest).toEqual(devRest);
    const { gpuNodes, ...otherKubernetes } = kubernetes;
    expect(gpuNodes).toBeDefined();
    expect(otherKubernetes).toEqual(devKubernetes);
    expect(k8s.ofKind(dev, 'ClusterRole')).toEqual([]);
  });
});

describe('remediation service', () => {
  it("may touch exactly the deployments its config names, in its config's namespace", () => {
    const text = k8s.at(
      k8s.generatedConfigMap(dev, 'layerwatch-remediation-config'),
      'data',
      'remediation.yml',
    );
    const config = parse(String(text)) as {
      kubernetes: { namespace: string; deployments: Record<string, { name: string }> };
      auth?: unknown;
    };
    expect(config.auth).toBeUndefined(); // the tokens' block comes from the Secret
    const names = Object.values(config.kubernetes.deployments).map((d) => d.name);
    const role = k8s.theObject(dev, 'Role', 'layerwatch-remediation');
    expect(role.metadata.namespace).toBe(config.kubernetes.namespace);
    const rules = k8s.at(role, 'rules') as readonly {
      resources: string[];
      resourceNames?: string[];
    }[];
    for (const rule of rules.filter((r) => r.resources[0]?.startsWith('deployments'))) {
      expect(rule.resourceNames).toEqual(names);
    }
  });

  it("appends the Secret's auth block to the ConfigMap's file before the service starts", () => {
    const pod = k8s.at(
      k8s.theObject(dev, 'Deployment', 'layerwatch-remediation'),
      'spec',
      'template',
      'spec',
    );
    const init = k8s.at(pod, 'initContainers', 0, 'command') as string[];
    expect(init.at(-1)).toBe(
      'cat /etc/layerwatch/remediation.yml /etc/layerwatch/secrets/auth.yml > /run/layerwatch/remediation.yml',
    );
    expect(k8s.at(pod, 'containers', 0, 'args')).toEqual([
      'remediation',
      '--config',
      '/run/layerwatch/remediation.yml',
    ]);
  });
});

describe('shipped probe configs', () => {
  it('pass `layerwatch probes --check-config`', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'layerwatch-k8s-'));
    try {
      const files = {
        'probes.yml': k8s.at(
          k8s.generatedConfigMap(gpu, 'layerwatch-probes-config'),
          'data',
          'probes.yml',
        ),
        'gpu.yml': k8s.at(
          k8s.generatedConfigMap(gpu, 'layerwatch-gpu-collector-config'),
          'data',
          'gpu.yml',
        ),
      };
      for (const [name, text] of Object.entries(files)) {
        const file = join(dir, name);
        await writeFile(file, String(text));
        const { stdout } = await promisify(execFile)(
          process.execPath,
          [join(k8s.REPO_ROOT, 'bin', 'layerwatch.js'), 'probes', '--check-config', file],
          { cwd: k8s.REPO_ROOT },
        );
        expect(stdout).toMatch(new RegExp(`${name}: OK \\(\\d+ modules, 0 scheduled targets\\)`));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
