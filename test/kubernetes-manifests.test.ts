import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG, packagePath } from '@layerwatch/alert-rules';
import { defaultConfigPath, loadProbeConfig, loadProbeConfigText } from '@layerwatch/probes';
import { LAYER_IDS } from '@layerwatch/vocabulary';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import * as k8s from './support/kubernetes-render.js';
import {
  PROMETHEUS_DISCOVERY_ROLE,
  grantedVerbs,
  rbacProblems,
} from './support/kubernetes-rbac.js';
import { validateObject } from './support/kubernetes-schemas.js';

/**
 * Every overlay of deploy/kubernetes, rendered by the real `kubectl kustomize` and checked
 * offline: every object against the Kubernetes and Prometheus Operator schemas, the
 * remediation RBAC's narrowness, the probe config against our own loader, the Probes
 * against that config, and the PrometheusRules against alert-rules/generated.
 */
const PLATFORM_NAMESPACE = 'ai-platform';
const GENERATED_RULES = packagePath(
  'generated/prometheus-operator/layerwatch.prometheusrules.yaml',
);

const rendered = new Map<string, k8s.K8sObject[]>();
beforeAll(async () => {
  for (const overlay of k8s.OVERLAYS) rendered.set(overlay, await k8s.renderOverlay(overlay));
});
const objectsOf = (overlay: string): k8s.K8sObject[] => rendered.get(overlay) ?? [];

function probeConfigText(objects: readonly k8s.K8sObject[]): string {
  const text = k8s.at(
    k8s.generatedConfigMap(objects, 'layerwatch-probes-config'),
    'data',
    'probes.yml',
  );
  if (typeof text !== 'string') throw new Error('layerwatch-probes-config has no probes.yml');
  return text;
}

describe.each(k8s.OVERLAYS)('overlay %s', (overlay) => {
  it('renders with kubectl kustomize, each object once, namespaced where it should be', () => {
    const objects = objectsOf(overlay);
    const ids = objects.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of objects) {
      const expected = ['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind)
        ? [undefined]
        : !['Role', 'RoleBinding'].includes(o.kind)
          ? ['layerwatch']
          : o.metadata.name === PROMETHEUS_DISCOVERY_ROLE
            ? ['layerwatch', PLATFORM_NAMESPACE] // where the ServiceMonitors find targets
            : [PLATFORM_NAMESPACE];
      expect(expected, `${o.kind}/${o.metadata.name}`).toContain(o.metadata.namespace);
    }
  });

  it('validates every object against the Kubernetes and Prometheus Operator schemas', () => {
    const objects = objectsOf(overlay);
    expect(objects.length).toBeGreaterThan(20);
    expect(objects.flatMap(validateObject)).toEqual([]);
  });

  it('grants the remediation service only what its actions need, by name, in ai-platform', () => {
    const objects = objectsOf(overlay);
    expect(rbacProblems(objects)).toEqual([]);
    const granted = grantedVerbs(objects);
    expect(Object.fromEntries([...granted].map(([k, v]) => [k, [...v].sort()]))).toEqual({
      [`${PLATFORM_NAMESPACE} apps/deployments`]: ['get', 'patch'],
      [`${PLATFORM_NAMESPACE} apps/deployments/scale`]: ['get', 'patch', 'update'],
      [`${PLATFORM_NAMESPACE} /pods`]: ['delete', 'get', 'list'],
      // The GPU node actions (cordon-gpu-node, drain-gpu-node) only where the collector runs.
      ...(overlay === 'gpu'
        ? {
            '(cluster) /nodes': ['get', 'patch'],
            '(cluster) /pods': ['list'],
            '(cluster) /pods/eviction': ['create'],
          }
        : {}),
    });
    const discovery = grantedVerbs(objects, PROMETHEUS_DISCOVERY_ROLE);
    // Read-only service discovery for the ha overlay's Prometheus pods, nothing elsewhere.
    expect([...discovery].map(([k, v]) => `${k}: ${[...v].sort().join(',')}`).sort()).toEqual(
      overlay === 'ha'
        ? [PLATFORM_NAMESPACE, 'layerwatch'].flatMap((ns) =>
            ['/endpoints', '/pods', '/services', 'discovery.k8s.io/endpointslices'].map(
              (resource) => `${ns} ${resource}: get,list,watch`,
            ),
          )
        : [],
    );
    const account = k8s.theObject(objects, 'ServiceAccount', 'layerwatch-remediation');
    const binding = k8s.theObject(objects, 'RoleBinding', 'layerwatch-remediation');
    expect(k8s.at(binding, 'subjects')).toEqual([
      {
        kind: 'ServiceAccount',
        name: account.metadata.name,
        namespace: account.metadata.namespace,
      },
    ]);
    const remediation = k8s.theObject(objects, 'Deployment', 'layerwatch-remediation');
    expect(k8s.at(remediation, 'spec', 'template', 'spec', 'serviceAccountName')).toBe(
      account.metadata.name,
    );
  });

  it('commits no secret: the tokens are a reference to a Secret the operator creates', () => {
    const objects = objectsOf(overlay);
    // ha's one Secret is the operator's Alertmanager config, generated: a token's path, no token.
    const secrets = k8s.ofKind(objects, 'Secret');
    expect(secrets.map((s) => s.metadata.name)).toEqual(
      overlay === 'ha' ? ['layerwatch-alertmanager-config'] : [],
    );
    for (const secret of secrets) {
      const data = k8s.at(secret, 'data') as Record<string, string>;
      expect(Object.keys(data)).toEqual(['alertmanager.yaml']);
      const text = Buffer.from(data['alertmanager.yaml'] ?? '', 'base64').toString('utf8');
      expect(text).toContain('credentials_file:');
      expect(text).not.toMatch(/\b(credentials|password|api_key|token):/);
    }
    const volumes = k8s.at(
      k8s.theObject(objects, 'Deployment', 'layerwatch-remediation'),
      'spec',
      'template',
      'spec',
      'volumes',
    ) as readonly { secret?: { secretName: string } }[];
    expect(volumes.flatMap((v) => (v.secret ? [v.secret.secretName] : [])).sort()).toEqual([
      // ha's replicas share a PostgreSQL store; its password is a Secret too.
      ...(overlay === 'ha' ? ['layerwatch-remediation-postgres'] : []),
      'layerwatch-remediation-tokens',
    ]);
  });

  it("ships a probe config that our loader accepts, with the embedded default's modules", async () => {
    const loaded = loadProbeConfigText(probeConfigText(objectsOf(overlay)), 'probes.yml');
    const embedded = loadProbeConfig(defaultConfigPath());
    try {
      expect(loaded.config.modules).toEqual(embedded.config.modules);
      expect(loaded.config.scheduler.enabled).toBe(false);
      expect(loaded.targets).toEqual([]);
      expect(loaded.config.server.listen).toBe('0.0.0.0:9701');
    } finally {
      await Promise.all([loaded.close(), embedded.close()]);
    }
  });

  it("points every Probe at the probe daemon's /probe with a module of its config", async () => {
    const objects = objectsOf(overlay);
    const loaded = loadProbeConfigText(probeConfigText(objects), 'probes.yml');
    await loaded.close();
    const service = k8s.theObject(objects, 'Service', 'layerwatch-probes');
    const port = k8s.at(service, 'spec', 'ports', 0, 'port') as number;
    const prober = `${service.metadata.name}.${service.metadata.namespace}.svc:${port}`;
    const probes = k8s.ofKind(objects, 'Probe');
    expect(probes.length).toBe(12);
    for (const probe of probes) {
      const module = k8s.at(probe, 'spec', 'module') as string;
      expect(Object.keys(loaded.config.modules), probe.metadata.name).toContain(module);
      expect(k8s.at(probe, 'spec', 'targets', 'staticConfig', 'labels', 'module')).toBe(module);
      expect(k8s.at(probe, 'spec', 'prober')).toEqual({ url: prober, path: '/probe' });
      expect(k8s.at(probe, 'spec', 'jobName')).toBe(DEFAULT_CONFIG.jobs.probes);
    }
    const layers = new Set(
      probes.map((p) => k8s.at(p, 'spec', 'targets', 'staticConfig', 'labels', 'layer')),
    );
    // Every layer of the platform; layer 8's probe-down alert is the rules' catch-all.
    expect([...layers].sort()).toEqual([...LAYER_IDS].sort());
  });

  it('mounts the generated ConfigMaps under their hashed names', () => {
    const objects = objectsOf(overlay);
    const workloads = [...k8s.ofKind(objects, 'Deployment'), ...k8s.ofKind(objects, 'StatefulSet')];
    const configMaps = new Set(k8s.ofKind(objects, 'ConfigMap').map((c) => c.metadata.name));
    for (const workload of workloads) {
      const volumes = k8s.at(workload, 'spec', 'template', 'spec', 'volumes') as readonly {
        configMap?: { name: string };
      }[];
      for (const v of volumes) if (v.configMap) expect(configMaps).toContain(v.configMap.name);
    }
  });

  it('labels every scrape with the job names the alert rules select on', () => {
    const objects = objectsOf(overlay);
    const jobs = [
      ...k8s.ofKind(objects, 'ServiceMonitor'),
      ...k8s.ofKind(objects, 'PodMonitor'),
    ].map((monitor) => {
      const endpoints = (k8s.at(monitor, 'spec', 'endpoints') ??
        k8s.at(monitor, 'spec', 'podMetricsEndpoints')) as readonly {
        relabelings?: readonly { targetLabel?: string; replacement?: string }[];
      }[];
      return endpoints[0]?.relabelings?.find((r) => r.targetLabel === 'job')?.replacement;
    });
    const expected = [DEFAULT_CONFIG.jobs.probes, DEFAULT_CONFIG.jobs.layers];
    if (overlay === 'gpu') expected.push(DEFAULT_CONFIG.jobs.gpuNodes);
    expect(new Set(jobs)).toEqual(new Set(expected));
  });

  it('carries the PrometheusRules exactly as alert-rules generates them', () => {
    const generated = parseAllDocuments(readFileSync(GENERATED_RULES, 'utf8'))
      .map((doc) => doc.toJS() as k8s.K8sObject | null)
      .filter((doc): doc is k8s.K8sObject => doc !== null);
    const renderedRules = k8s.ofKind(objectsOf(overlay), 'PrometheusRule').map((rule) => {
      const metadata: Record<string, unknown> = { ...rule.metadata };
      delete metadata.namespace;
      return { ...rule, metadata };
    });
    const byName = (a: { metadata: { name?: unknown } }, b: { metadata: { name?: unknown } }) =>
      String(a.metadata.name).localeCompare(String(b.metadata.name));
    expect(renderedRules.sort(byName)).toEqual(generated.sort(byName));
  });
});

describe('the GPU collector', () => {
  it("mounts the host's journal read-only, where its XIDs are read (journalctl -k), and no more", () => {
    const collector = k8s.theObject(objectsOf('gpu'), 'DaemonSet', 'layerwatch-gpu-collector');
    const pod = k8s.at(collector, 'spec', 'template', 'spec') as {
      volumes: readonly { name: string; hostPath?: { path: string } }[];
      containers: readonly {
        volumeMounts: readonly { name: string; mountPath: string; readOnly?: boolean }[];
        securityContext: Record<string, unknown>;
      }[];
      securityContext: Record<string, unknown>;
    };
    const hostPaths = new Map(
      pod.volumes.flatMap((v) => (v.hostPath ? [[v.name, v.hostPath.path] as const] : [])),
    );
    expect(new Set(hostPaths.values())).toEqual(
      new Set(['/var/log/journal', '/run/log/journal', '/etc/machine-id']),
    );
    const container = pod.containers[0];
    const mounts = (container?.volumeMounts ?? []).filter((m) => hostPaths.has(m.name));
    expect(mounts.map((m) => [m.mountPath, m.readOnly])).toEqual(
      mounts.map((m) => [hostPaths.get(m.name), true]),
    );
    expect(mounts).toHaveLength(3);
    // Reading the journal takes a group, never root or a capability.
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, supplementalGroups: [4] });
    expect(container?.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });
});
