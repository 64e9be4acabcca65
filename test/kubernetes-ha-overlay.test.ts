import { hashToken, parseConfig } from '@layerwatch/remediation';
import { HA_TOPOLOGY } from '@layerwatch/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  at,
  generatedConfigMap,
  ofKind,
  renderOverlay,
  theObject,
  type K8sObject,
} from './support/kubernetes-render.js';
import { operatorProbeLabels, relabel, type RelabelConfig } from './support/kubernetes-sharding.js';

/**
 * The ha overlay against the local HA stack's topology (deploy/stack/src/ha/topology.ts):
 * the counts it sets, the objects that must find each other by name or label, and the
 * remediation config through remediation's own parser.
 */
let ha: K8sObject[];
beforeAll(async () => {
  ha = await renderOverlay('ha');
});

type Labels = Record<string, string>;
const matches = (selector: unknown, labels: unknown): boolean =>
  Object.entries(selector as Labels).every(([k, v]) => (labels as Labels | undefined)?.[k] === v);
const remediationPod = (): unknown =>
  at(theObject(ha, 'Deployment', 'layerwatch-remediation'), 'spec', 'template', 'spec');

describe('ha overlay: Prometheus', () => {
  it('runs the rule-evaluating pair with the replica label the operator drops from alerts', () => {
    const pair = theObject(ha, 'Prometheus', 'layerwatch');
    expect(at(pair, 'spec', 'replicas')).toBe(HA_TOPOLOGY.prometheusReplicas.length);
    expect(at(pair, 'spec', 'replicas')).toBe(2);
    expect(at(pair, 'spec', 'replicaExternalLabelName')).toBe(HA_TOPOLOGY.replicaLabel);
    expect(at(pair, 'spec', 'enableRemoteWriteReceiver')).toBe(true);
    const rules = ofKind(ha, 'PrometheusRule');
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(matches(at(pair, 'spec', 'ruleSelector', 'matchLabels'), rule.metadata.labels)).toBe(
        true,
      );
    }
  });

  it('sends every alert to every Alertmanager peer through their Service', () => {
    const [endpoint, ...others] = at(
      theObject(ha, 'Prometheus', 'layerwatch'),
      'spec',
      'alerting',
      'alertmanagers',
    ) as readonly { name: string; port: string }[];
    expect(others).toEqual([]);
    const service = theObject(ha, 'Service', endpoint?.name ?? '');
    expect(at(service, 'spec', 'ports', 0, 'name')).toBe(endpoint?.port);
    const peers = theObject(ha, 'Alertmanager', 'layerwatch');
    expect(
      matches(at(service, 'spec', 'selector'), at(peers, 'spec', 'podMetadata', 'labels')),
    ).toBe(true);
  });

  it('scrapes in shards that evaluate no rules and remote-write to each replica of the pair', () => {
    const scrape = theObject(ha, 'Prometheus', 'layerwatch-scrape');
    expect(at(scrape, 'spec', 'shards')).toBe(2);
    expect(at(scrape, 'spec', 'replicas')).toBe(1); // one writer per series
    expect(at(scrape, 'spec', 'ruleSelector')).toBeUndefined();
    const urls = (at(scrape, 'spec', 'remoteWrite') as readonly { url: string }[]).map(
      (w) => w.url,
    );
    expect(urls).toEqual(
      HA_TOPOLOGY.prometheusReplicas.map(
        (_, i) =>
          `http://prometheus-layerwatch-${i}.prometheus-operated.layerwatch.svc:9090/api/v1/write`,
      ),
    );
    for (const monitor of [...ofKind(ha, 'ServiceMonitor'), ...ofKind(ha, 'Probe')]) {
      const selector = monitor.kind === 'Probe' ? 'probeSelector' : 'serviceMonitorSelector';
      expect(
        matches(at(scrape, 'spec', selector, 'matchLabels'), monitor.metadata.labels),
        `${monitor.kind}/${monitor.metadata.name}`,
      ).toBe(true);
    }
    const pair = theObject(ha, 'Prometheus', 'layerwatch');
    expect(at(pair, 'spec', 'serviceMonitorSelector')).toBeUndefined();
    expect(at(pair, 'spec', 'probeSelector')).toBeUndefined();
  });
});

describe('ha overlay: Alertmanager', () => {
  it('runs the peers of one gossip cluster', () => {
    const peers = theObject(ha, 'Alertmanager', 'layerwatch');
    expect(at(peers, 'spec', 'replicas')).toBe(HA_TOPOLOGY.alertmanagerPeers);
    expect(at(peers, 'spec', 'replicas')).toBe(3);
  });
});

describe('ha overlay: remediation', () => {
  const config = (): string =>
    String(at(generatedConfigMap(ha, 'layerwatch-remediation-config'), 'data', 'remediation.yml'));

  it('runs its replicas on one PostgreSQL store, a config that remediation accepts', () => {
    const deployment = theObject(ha, 'Deployment', 'layerwatch-remediation');
    expect(at(deployment, 'spec', 'replicas')).toBe(HA_TOPOLOGY.remediationReplicas.length);
    expect(at(deployment, 'spec', 'replicas')).toBe(2);
    expect(at(deployment, 'spec', 'strategy', 'type')).toBe('RollingUpdate');
    const withAuth = `${config()}\nauth:\n  tokens: [{ name: alertmanager, role: operator, sha256: ${hashToken('t')} }]\n`;
    const parsed = parseConfig(parse(withAuth) as never, '/');
    expect(parsed.store).toMatchObject({ kind: 'postgres' });
    expect(parsed.replica.id).toBeUndefined(); // each replica's comes from its pod
  });

  it('reads the PostgreSQL password from a mounted Secret, never from the config', () => {
    const store = (parse(config()) as { store: { url: string; passwordFile: string } }).store;
    expect(store.url).not.toMatch(/:[^/@]*@/);
    const pod = remediationPod();
    const mounts = at(pod, 'containers', 0, 'volumeMounts') as readonly {
      name: string;
      mountPath: string;
    }[];
    const volumes = at(pod, 'volumes') as readonly { name: string; secret?: object }[];
    const mount = mounts.find((m) => store.passwordFile.startsWith(`${m.mountPath}/`));
    expect(mount, store.passwordFile).toBeDefined();
    expect(volumes.find((v) => v.name === mount?.name)?.secret).toMatchObject({
      secretName: 'layerwatch-remediation-postgres',
    });
  });

  it('names each replica by its pod, as remediation reads its replica id', () => {
    const env = at(remediationPod(), 'containers', 0, 'env') as readonly {
      name: string;
      valueFrom?: { fieldRef?: { fieldPath: string } };
    }[];
    expect(env.find((e) => e.name === 'LAYERWATCH_REPLICA_ID')?.valueFrom).toEqual({
      fieldRef: { fieldPath: 'metadata.name' },
    });
  });

  it('keeps no audit volume: no PersistentVolumeClaim, no data volume', () => {
    expect(ofKind(ha, 'PersistentVolumeClaim')).toEqual([]);
    const volumes = at(remediationPod(), 'volumes') as readonly { name: string }[];
    expect(volumes.map((v) => v.name).sort()).toEqual(['config', 'postgres', 'run', 'tokens']);
  });
});

describe('ha overlay: disruption budgets', () => {
  /** Every pod template the overlay makes, or the operator makes from a resource's podMetadata. */
  const podLabels = (): { owner: string; labels: unknown; replicas: number }[] => [
    ...[...ofKind(ha, 'Deployment'), ...ofKind(ha, 'StatefulSet')].map((w) => ({
      owner: `${w.kind}/${w.metadata.name}`,
      labels: at(w, 'spec', 'template', 'metadata', 'labels'),
      replicas: at(w, 'spec', 'replicas') as number,
    })),
    ...[...ofKind(ha, 'Prometheus'), ...ofKind(ha, 'Alertmanager')].map((r) => ({
      owner: `${r.kind}/${r.metadata.name}`,
      labels: at(r, 'spec', 'podMetadata', 'labels'),
      replicas: (at(r, 'spec', 'replicas') as number) * ((at(r, 'spec', 'shards') as number) || 1),
    })),
  ];

  it("selects one existing workload's pods each, and leaves a majority of each running", () => {
    const budgets = ofKind(ha, 'PodDisruptionBudget');
    expect(budgets.map((b) => b.metadata.name).sort()).toEqual([
      'layerwatch-alertmanager',
      'layerwatch-probes',
      'layerwatch-prometheus',
      'layerwatch-remediation',
    ]);
    for (const budget of budgets) {
      const selector = at(budget, 'spec', 'selector', 'matchLabels');
      const owners = podLabels().filter((p) => matches(selector, p.labels));
      expect(owners.length, budget.metadata.name).toBe(1);
      const replicas = owners[0]?.replicas ?? 0;
      const minAvailable = at(budget, 'spec', 'minAvailable') as number | undefined;
      const maxUnavailable = at(budget, 'spec', 'maxUnavailable') as number | undefined;
      const kept = minAvailable ?? replicas - (maxUnavailable ?? 0);
      expect(kept, budget.metadata.name).toBeGreaterThanOrEqual(1);
      expect(kept, budget.metadata.name).toBeLessThan(replicas); // a drain can still proceed
    }
    const peers = HA_TOPOLOGY.alertmanagerPeers;
    expect(at(theObject(ha, 'PodDisruptionBudget', 'layerwatch-alertmanager'), 'spec')).toEqual(
      expect.objectContaining({ maxUnavailable: peers - (Math.floor(peers / 2) + 1) }),
    );
    expect(
      at(theObject(ha, 'PodDisruptionBudget', 'layerwatch-remediation'), 'spec', 'minAvailable'),
    ).toBe(1);
  });
});

describe('ha overlay: probe shards', () => {
  it('sends each target to one of the probe daemons, spreading them over all', () => {
    const sts = theObject(ha, 'StatefulSet', 'layerwatch-probes');
    const replicas = at(sts, 'spec', 'replicas') as number;
    expect(replicas).toBe(HA_TOPOLOGY.probeShards);
    const headless = at(sts, 'spec', 'serviceName') as string;
    const pods = Array.from(
      { length: replicas },
      (_, i) => `${sts.metadata.name}-${i}.${headless}.${sts.metadata.namespace ?? ''}.svc:9701`,
    );
    const used = new Set<string>();
    for (const probe of ofKind(ha, 'Probe')) {
      const config = at(probe, 'spec', 'targets', 'staticConfig') as {
        static: readonly string[];
        relabelingConfigs: readonly RelabelConfig[];
      };
      const hashmods = config.relabelingConfigs.filter((c) => c.action === 'hashmod');
      expect(hashmods.map((c) => c.modulus)).toEqual([replicas]);
      const proberUrl = at(probe, 'spec', 'prober', 'url') as string;
      for (const target of config.static) {
        const labels = relabel(operatorProbeLabels(target, proberUrl), config.relabelingConfigs);
        expect(pods, `${probe.metadata.name} ${target}`).toContain(labels.__address__);
        used.add(labels.__address__ ?? '');
      }
    }
    expect(used.size).toBe(replicas);
  });
});
