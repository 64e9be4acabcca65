import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hashToken, parseConfig } from '@layerwatch/remediation';
import { HA_TOPOLOGY } from '@layerwatch/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as k8s from './support/kubernetes-render.js';
import { operatorProbeLabels, relabel, type RelabelConfig } from './support/kubernetes-sharding.js';

/**
 * The ha overlay against the local HA stack's topology (deploy/stack/src/ha/topology.ts):
 * the counts it sets, the objects that must find each other by name or label, and the
 * remediation config through remediation's own parser.
 */
let ha: k8s.K8sObject[];
beforeAll(async () => {
  ha = await k8s.renderOverlay('ha');
});

const run = promisify(execFile);
interface WebhookConfig {
  readonly url: string;
  readonly http_config?: { readonly authorization?: { readonly credentials_file?: string } };
}

type Labels = Record<string, string>;
const matches = (selector: unknown, labels: unknown): boolean =>
  Object.entries(selector as Labels).every(([k, v]) => (labels as Labels | undefined)?.[k] === v);
const remediationPod = (): unknown =>
  k8s.at(k8s.theObject(ha, 'Deployment', 'layerwatch-remediation'), 'spec', 'template', 'spec');

describe('ha overlay: Prometheus', () => {
  it('runs the rule-evaluating pair with the replica label the operator drops from alerts', () => {
    const pair = k8s.theObject(ha, 'Prometheus', 'layerwatch');
    expect(k8s.at(pair, 'spec', 'replicas')).toBe(HA_TOPOLOGY.prometheusReplicas.length);
    expect(k8s.at(pair, 'spec', 'replicas')).toBe(2);
    expect(k8s.at(pair, 'spec', 'replicaExternalLabelName')).toBe(HA_TOPOLOGY.replicaLabel);
    expect(k8s.at(pair, 'spec', 'enableRemoteWriteReceiver')).toBe(true);
    const rules = k8s.ofKind(ha, 'PrometheusRule');
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(
        matches(k8s.at(pair, 'spec', 'ruleSelector', 'matchLabels'), rule.metadata.labels),
      ).toBe(true);
    }
  });

  it('sends every alert to every Alertmanager peer through their Service', () => {
    const [endpoint, ...others] = k8s.at(
      k8s.theObject(ha, 'Prometheus', 'layerwatch'),
      'spec',
      'alerting',
      'alertmanagers',
    ) as readonly { name: string; port: string }[];
    expect(others).toEqual([]);
    const service = k8s.theObject(ha, 'Service', endpoint?.name ?? '');
    expect(k8s.at(service, 'spec', 'ports', 0, 'name')).toBe(endpoint?.port);
    const peers = k8s.theObject(ha, 'Alertmanager', 'layerwatch');
    expect(
      matches(k8s.at(service, 'spec', 'selector'), k8s.at(peers, 'spec', 'podMetadata', 'labels')),
    ).toBe(true);
  });

  it('gives the peers a generated config that amtool accepts, paging remediation with the mounted token', async () => {
    const peers = k8s.theObject(ha, 'Alertmanager', 'layerwatch');
    const secret = k8s.theObject(ha, 'Secret', k8s.at(peers, 'spec', 'configSecret') as string);
    const text = Buffer.from(
      k8s.at(secret, 'data', 'alertmanager.yaml') as string,
      'base64',
    ).toString('utf8');
    const dir = await mkdtemp(join(tmpdir(), 'layerwatch-ha-alertmanager-'));
    try {
      await writeFile(join(dir, 'alertmanager.yml'), text);
      const { stdout } = await run('amtool', ['check-config', join(dir, 'alertmanager.yml')]);
      expect(stdout).toContain('SUCCESS');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const config = parse(text) as {
      receivers: { name: string; webhook_configs?: WebhookConfig[] }[];
    };
    const [webhook] = config.receivers.find((r) => r.name === 'remediation')?.webhook_configs ?? [];
    // The URL names the remediation Service and its port, in the overlay's namespace.
    const url = new URL(webhook?.url ?? 'http://missing');
    const [serviceName, namespace] = url.hostname.split('.');
    const service = k8s.theObject(ha, 'Service', serviceName ?? '');
    expect(namespace).toBe(service.metadata.namespace);
    expect(k8s.at(service, 'spec', 'ports', 0, 'port')).toBe(Number(url.port));
    // The token file lies in a Secret the peers mount (the operator's /etc/alertmanager/secrets/NAME/).
    const tokenFile = webhook?.http_config?.authorization?.credentials_file ?? '';
    const [, mounted, key] =
      /^\/etc\/alertmanager\/secrets\/([^/]+)\/([^/]+)$/.exec(tokenFile) ?? [];
    expect(k8s.at(peers, 'spec', 'secrets')).toContain(mounted);
    expect(key).toBe('token');
  });

  it('scrapes in shards that evaluate no rules and remote-write to each replica of the pair', () => {
    const scrape = k8s.theObject(ha, 'Prometheus', 'layerwatch-scrape');
    expect(k8s.at(scrape, 'spec', 'shards')).toBe(2);
    expect(k8s.at(scrape, 'spec', 'replicas')).toBe(1); // one writer per series
    expect(k8s.at(scrape, 'spec', 'ruleSelector')).toBeUndefined();
    const urls = (k8s.at(scrape, 'spec', 'remoteWrite') as readonly { url: string }[]).map(
      (w) => w.url,
    );
    expect(urls).toEqual(
      HA_TOPOLOGY.prometheusReplicas.map(
        (_, i) =>
          `http://prometheus-layerwatch-${i}.prometheus-operated.layerwatch.svc:9090/api/v1/write`,
      ),
    );
    for (const monitor of [...k8s.ofKind(ha, 'ServiceMonitor'), ...k8s.ofKind(ha, 'Probe')]) {
      const selector = monitor.kind === 'Probe' ? 'probeSelector' : 'serviceMonitorSelector';
      expect(
        matches(k8s.at(scrape, 'spec', selector, 'matchLabels'), monitor.metadata.labels),
        `${monitor.kind}/${monitor.metadata.name}`,
      ).toBe(true);
    }
    const pair = k8s.theObject(ha, 'Prometheus', 'layerwatch');
    expect(k8s.at(pair, 'spec', 'serviceMonitorSelector')).toBeUndefined();
    expect(k8s.at(pair, 'spec', 'probeSelector')).toBeUndefined();
  });
});

describe('ha overlay: Alertmanager', () => {
  it('runs the peers of one gossip cluster', () => {
    const peers = k8s.theObject(ha, 'Alertmanager', 'layerwatch');
    expect(k8s.at(peers, 'spec', 'replicas')).toBe(HA_TOPOLOGY.alertmanagerPeers);
    expect(k8s.at(peers, 'spec', 'replicas')).toBe(3);
  });
});

describe('ha overlay: remediation', () => {
  const config = (): string =>
    String(
      k8s.at(
        k8s.generatedConfigMap(ha, 'layerwatch-remediation-config'),
        'data',
        'remediation.yml',
      ),
    );

  it('runs its replicas on one PostgreSQL store, a config that remediation accepts', () => {
    const deployment = k8s.theObject(ha, 'Deployment', 'layerwatch-remediation');
    expect(k8s.at(deployment, 'spec', 'replicas')).toBe(HA_TOPOLOGY.remediationReplicas.length);
    expect(k8s.at(deployment, 'spec', 'replicas')).toBe(2);
    expect(k8s.at(deployment, 'spec', 'strategy', 'type')).toBe('RollingUpdate');
    const withAuth = `${config()}\nauth:\n  tokens: [{ name: alertmanager, role: operator, sha256: ${hashToken('t')} }]\n`;
    const parsed = parseConfig(parse(withAuth) as never, '/');
    expect(parsed.store).toMatchObject({ kind: 'postgres' });
    expect(parsed.replica.id).toBeUndefined(); // each replica's comes from its pod
  });

  it('reads the PostgreSQL password from a mounted Secret, never from the config', () => {
    const store = (parse(config()) as { store: { url: string; passwordFile: string } }).store;
    expect(store.url).not.toMatch(/:[^/@]*@/);
    const pod = remediationPod();
    const mounts = k8s.at(pod, 'containers', 0, 'volumeMounts') as readonly {
      name: string;
      mountPath: string;
    }[];
    const volumes = k8s.at(pod, 'volumes') as readonly { name: string; secret?: object }[];
    const mount = mounts.find((m) => store.passwordFile.startsWith(`${m.mountPath}/`));
    expect(mount, store.passwordFile).toBeDefined();
    expect(volumes.find((v) => v.name === mount?.name)?.secret).toMatchObject({
      secretName: 'layerwatch-remediation-postgres',
    });
  });

  it('names each replica by its pod, as remediation reads its replica id', () => {
    const env = k8s.at(remediationPod(), 'containers', 0, 'env') as readonly {
      name: string;
      valueFrom?: { fieldRef?: { fieldPath: string } };
    }[];
    expect(env.find((e) => e.name === 'LAYERWATCH_REPLICA_ID')?.valueFrom).toEqual({
      fieldRef: { fieldPath: 'metadata.name' },
    });
  });

  it('keeps no audit volume: no PersistentVolumeClaim, no data volume', () => {
    expect(k8s.ofKind(ha, 'PersistentVolumeClaim')).toEqual([]);
    const volumes = k8s.at(remediationPod(), 'volumes') as readonly { name: string }[];
    expect(volumes.map((v) => v.name).sort()).toEqual(['config', 'postgres', 'run', 'tokens']);
  });
});

describe('ha overlay: disruption budgets', () => {
  /** Every pod template the overlay makes, or the operator makes from a resource's podMetadata. */
  const podLabels = (): { owner: string; labels: unknown; replicas: number }[] => [
    ...[...k8s.ofKind(ha, 'Deployment'), ...k8s.ofKind(ha, 'StatefulSet')].map((w) => ({
      owner: `${w.kind}/${w.metadata.name}`,
      labels: k8s.at(w, 'spec', 'template', 'metadata', 'labels'),
      replicas: k8s.at(w, 'spec', 'replicas') as number,
    })),
    ...[...k8s.ofKind(ha, 'Prometheus'), ...k8s.ofKind(ha, 'Alertmanager')].map((r) => ({
      owner: `${r.kind}/${r.metadata.name}`,
      labels: k8s.at(r, 'spec', 'podMetadata', 'labels'),
      replicas:
        (k8s.at(r, 'spec', 'replicas') as number) * ((k8s.at(r, 'spec', 'shards') as number) || 1),
    })),
  ];

  it("selects one existing workload's pods each, and leaves a majority of each running", () => {
    const budgets = k8s.ofKind(ha, 'PodDisruptionBudget');
    expect(budgets.map((b) => b.metadata.name).sort()).toEqual([
      'layerwatch-alertmanager',
      'layerwatch-probes',
      'layerwatch-prometheus',
      'layerwatch-remediation',
    ]);
    for (const budget of budgets) {
      const selector = k8s.at(budget, 'spec', 'selector', 'matchLabels');
      const owners = podLabels().filter((p) => matches(selector, p.labels));
      expect(owners.length, budget.metadata.name).toBe(1);
      const replicas = owners[0]?.replicas ?? 0;
      const minAvailable = k8s.at(budget, 'spec', 'minAvailable') as number | undefined;
      const maxUnavailable = k8s.at(budget, 'spec', 'maxUnavailable') as number | undefined;
      const kept = minAvailable ?? replicas - (maxUnavailable ?? 0);
      expect(kept, budget.metadata.name).toBeGreaterThanOrEqual(1);
      expect(kept, budget.metadata.name).toBeLessThan(replicas); // a drain can still proceed
    }
    const peers = HA_TOPOLOGY.alertmanagerPeers;
    expect(
      k8s.at(k8s.theObject(ha, 'PodDisruptionBudget', 'layerwatch-alertmanager'), 'spec'),
    ).toEqual(expect.objectContaining({ maxUnavailable: peers - (Math.floor(peers / 2) + 1) }));
    expect(
      k8s.at(
        k8s.theObject(ha, 'PodDisruptionBudget', 'layerwatch-remediation'),
        'spec',
        'minAvailable',
      ),
    ).toBe(1);
  });
});

describe('ha overlay: probe shards', () => {
  it('sends each target to one of the probe daemons, spreading them over all', () => {
    const sts = k8s.theObject(ha, 'StatefulSet', 'layerwatch-probes');
    const replicas = k8s.at(sts, 'spec', 'replicas') as number;
    expect(replicas).toBe(HA_TOPOLOGY.probeShards);
    const headless = k8s.at(sts, 'spec', 'serviceName') as string;
    const pods = Array.from(
      { length: replicas },
      (_, i) => `${sts.metadata.name}-${i}.${headless}.${sts.metadata.namespace ?? ''}.svc:9701`,
    );
    const used = new Set<string>();
    for (const probe of k8s.ofKind(ha, 'Probe')) {
      const config = k8s.at(probe, 'spec', 'targets', 'staticConfig') as {
        static: readonly string[];
        relabelingConfigs: readonly RelabelConfig[];
      };
      const hashmods = config.relabelingConfigs.filter((c) => c.action === 'hashmod');
      expect(hashmods.map((c) => c.modulus)).toEqual([replicas]);
      const proberUrl = k8s.at(probe, 'spec', 'prober', 'url') as string;
      for (const target of config.static) {
        const labels = relabel(operatorProbeLabels(target, proberUrl), config.relabelingConfigs);
        expect(pods, `${probe.metadata.name} ${target}`).toContain(labels.__address__);
        used.add(labels.__address__ ?? '');
      }
    }
    expect(used.size).toBe(replicas);
  });
});
