import { DEFAULT_CONFIG, type ConfigOverrides } from '@layerwatch/alert-rules';
import { HA_TOPOLOGY, loopTargets, type RunningComposition } from '@layerwatch/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/alerting.js';
import { startTestComposition, type TestComposition } from './support/composition.js';
import { hashmod } from './support/kubernetes-sharding.js';
import { LoopClient, type InboxPage } from './support/loop-client.js';

/**
 * The loop as it runs at scale, every part real: two Prometheus replicas (the same rules,
 * `replica` a|b) and the global Prometheus replica a remote-writes to, a three-peer
 * Alertmanager cluster, two remediation replica processes on one PostgreSQL behind one
 * address, two probe daemons sharing the targets by hashmod. Layer 7 fails; its P0 page
 * auto-runs rollback-evolution. In each case the alert instance pages once and the layer is
 * rolled back once. The failures accumulate: case (b) runs with case (a)'s peer still down,
 * case (c) with both.
 */
const FAST = { groupWait: '0s', groupInterval: '1s', repeatInterval: '1h' } as const;
const RULES: ConfigOverrides = {
  layers: DEFAULT_CONFIG.layers.map((l) =>
    l.layer === '7' ? { ...l, probeDownPriority: 'P0' as const } : l,
  ),
  // Long enough a pending phase to kill a Prometheus replica in it.
  alerts: { probeDown: { for: '6s' } },
  alertmanager: {
    // P0 repeats every 2 s while it fires: the cluster redelivers the page, to either replica.
    timing: { P0: { ...FAST, repeatInterval: '2s' }, P1: FAST, P2: FAST, P3: FAST },
  },
};
const ROLLBACK = 'rollback-evolution';

let stack: TestComposition;
let composition: RunningComposition;
let client: LoopClient;
const timings: { scenario: string; toPage: number; toRecovery: number }[] = [];

beforeAll(async () => {
  stack = await startTestComposition('ha-loop', ['prometheus'], {
    intervalSeconds: 1,
    rules: RULES,
    ha: { peerTimeout: '1s' },
    // Three rollbacks in a few minutes: no cooldown between the cases.
    remediationActions: { [ROLLBACK]: { cooldownSeconds: 0 } },
    autoRemediation: [
      {
        name: 'roll-back-failing-evolution',
        matchLabels: { alertname: 'LayerwatchProbeDown', layer: '7' },
        action: ROLLBACK,
      },
    ],
  });
  composition = stack.composition;
  const { sim, remediation, prometheus, alertmanager } = composition.state;
  client = new LoopClient({
    sim: sim!,
    tokens: remediation!.tokens,
    prometheus: prometheus!,
    remediation: remediation!,
    alertmanager: alertmanager!,
  });
  await waitFor(
    'every layer probed healthy in the global Prometheus',
    async () =>
      (await client.query('min(probe_success{job="layerwatch-probes"})')) === 1 ? true : undefined,
    60_000,
  );
}, 180_000);

afterAll(async () => {
  if (timings.length > 0) {
    console.log(
      [
        'HA loop (1 s intervals, 6 s for:, 2 Prometheus, 3 Alertmanager peers, 2 remediation):',
        '  case'.padEnd(56) + 'fault→page  fault→recovery',
        ...timings.map(
          (t) =>
            `  ${t.scenario.padEnd(54)} ${(t.toPage / 1000).toFixed(1).padStart(6)} s ${(t.toRecovery / 1000).toFixed(1).padStart(8)} s`,
        ),
      ].join('\n'),
    );
  }
  await stack?.stop();
});

/** The layer 7 probe-down pages that started after `since`: one per alert instance. */
async function layer7Pages(since: number): Promise<InboxPage[]> {
  return (await client.pages()).filter(
    (p) =>
      p.alertname === 'LayerwatchProbeDown' && p.layer === '7' && Date.parse(p.startsAt) >= since,
  );
}

/** How often the simulated layer 7 has been rolled back (its own count, not ours). */
async function rollbacks(): Promise<number> {
  const url = composition.state.sim!.services.evolution.url;
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('layerwatch_evolution_rollbacks_total'));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

/** The auto runs of the rollback recorded so far, by outcome. */
async function autoRuns(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const row of await client.audit(ROLLBACK)) {
    if (row.mode === 'auto') counts[row.outcome] = (counts[row.outcome] ?? 0) + 1;
  }
  return counts;
}

/**
 * Fails layer 7, runs `during` once the fault is set (to kill something mid-way), waits for
 * the page and the recovery, and checks: one page for the instance, one rollback at the
 * layer, one intent in the audit, a chain that verifies.
 */
async function faultPagesOnceAndRecovers(
  scenario: string,
  during: (fault: number) => Promise<void> = async () => undefined,
): Promise<void> {
  const rolledBackBefore = await rollbacks();
  const runsBefore = await autoRuns();
  const fault = Date.now();
  await client.setFault('evolution', { mode: 'fail' });
  await during(fault);
  const page = await waitFor(
    'the layer 7 P0 page',
    async () => (await layer7Pages(fault)).find((p) => p.status === 'firing'),
    90_000,
  );
  const toPage = Date.parse(page.receivedAt) - fault;
  expect(page.priority).toBe('P0');
  await waitFor(
    'the page resolved (layer 7 rolled back and probed healthy)',
    async () => (await layer7Pages(fault)).find((p) => p.id === page.id && p.status === 'resolved'),
    90_000,
  );
  timings.push({ scenario, toPage, toRecovery: Date.now() - fault });
  expect((await layer7Pages(fault)).map((p) => p.id)).toEqual([page.id]);
  expect((await rollbacks()) - rolledBackBefore).toBe(1);
  const runs = await autoRuns();
  expect((runs['intent'] ?? 0) - (runsBefore['intent'] ?? 0)).toBe(1);
  expect((await client.verifyAudit()).ok).toBe(true);
}

describe('HA loop: fault → page once → remediated once', () => {
  it('runs the topology: every replica and peer up, the global view without replica labels', async () => {
    const { prometheusReplicas, alertmanagerPeers, remediation, probeShards } = composition.state;
    expect(Object.keys(prometheusReplicas!)).toEqual([...HA_TOPOLOGY.prometheusReplicas]);
    expect(alertmanagerPeers).toHaveLength(HA_TOPOLOGY.alertmanagerPeers);
    expect(remediation!.replicas).toHaveLength(HA_TOPOLOGY.remediationReplicas.length);
    expect(probeShards).toHaveLength(HA_TOPOLOGY.probeShards);
    const cluster = await waitFor('the Alertmanager cluster settled', async () => {
      const body = (await (await fetch(`${alertmanagerPeers![0]!.url}/api/v2/status`)).json()) as {
        cluster: { status: string; peers: unknown[] };
      };
      return body.cluster.status === 'ready' ? body.cluster : undefined;
    });
    expect(cluster.peers).toHaveLength(HA_TOPOLOGY.alertmanagerPeers);
    expect(await client.query('count(probe_success{replica!=""})')).toBeUndefined();
    expect(await client.query('count(probe_success)')).toBeGreaterThan(0);
  });

  it('reshards 2 → 3 probe daemons: after one interval every target is probed by exactly one, by hashmod', async () => {
    const state = composition.state;
    const replica = state.prometheusReplicas!['b']!;
    const resharded = Date.now();
    await state.reshardProbes!(3);
    const daemons = state.probeShards!.map((d) => new URL(d.url).host);
    expect(daemons).toHaveLength(3);
    const expected = loopTargets(state.sim!, {
      redis: `127.0.0.1:${state.redis!.port}`,
      postgres: `127.0.0.1:${state.postgres!.port}`,
    })
      .map((t) => t.target)
      .sort();
    const probed = await waitFor(
      'every target scraped through its new daemon after the reshard',
      async () => {
        const targets = await probeTargets(replica.url);
        const fresh = targets.filter((t) => Date.parse(t.lastScrape) > resharded + 1000);
        return fresh.length === targets.length && targets.every((t) => t.health === 'up')
          ? targets
          : undefined;
      },
      30_000,
    );
    // No target lost, none doubled, each on the daemon hashmod(target, 3) names.
    expect(probed.map((t) => t.target).sort()).toEqual(expected);
    for (const t of probed) expect(t.daemon, t.target).toBe(daemons[hashmod(t.target, 3)]);
    expect(await client.query('max(count by (name) (probe_success))')).toBe(1);
  }, 60_000);

  it('(a) one Alertmanager peer stopped before the fault', async () => {
    await composition.state.alertmanagerPeers![0]!.stop();
    await faultPagesOnceAndRecovers('(a) Alertmanager peer 0 down');
  }, 200_000);

  it('(b) one Prometheus replica stopped while the alert is pending', async () => {
    const replica = composition.state.prometheusReplicas!['a']!;
    await faultPagesOnceAndRecovers('(b) Prometheus replica a stopped while pending', async () => {
      const pending = `ALERTS{alertname="LayerwatchProbeDown",layer="7",alertstate="pending"}`;
      await waitFor(
        'the alert pending on replica a',
        async () => {
          const url = `${replica.url}/api/v1/query?query=${encodeURIComponent(pending)}`;
          const body = (await (await fetch(url)).json()) as { data: { result: unknown[] } };
          return body.data.result.length > 0 ? true : undefined;
        },
        60_000,
      );
      await replica.stop();
    });
  }, 200_000);

  it('(c) the remediation replica running the rollback killed (SIGKILL) mid-action, then restarted', async () => {
    const remediation = composition.state.remediation!;
    const evolution = composition.state.sim!.services.evolution.url;
    // The rollback takes 3 s at the layer: the time to kill the replica that runs it.
    await put(`${evolution}/-/action-delay`, { ms: 3000 });
    const before = await autoRuns();
    try {
      await faultPagesOnceAndRecovers('(c) remediation replica killed mid-rollback', async () => {
        const before = (await autoRuns())['intent'] ?? 0;
        const intent = await waitFor(
          'the rollback intent recorded',
          async () =>
            ((await autoRuns())['intent'] ?? 0) > before
              ? (await client.audit(ROLLBACK)).find((r) => r.outcome === 'intent')
              : undefined,
          90_000,
        );
        // The replica that wrote the intent is the one running the action: kill it.
        const owner = (intent as { result?: { replica?: string } }).result?.replica;
        const index = HA_TOPOLOGY.remediationReplicas.findIndex((id) => `replica-${id}` === owner);
        expect(index, `intent owned by ${owner}`).toBeGreaterThanOrEqual(0);
        const exit = await remediation.replicas![index]!.kill('SIGKILL');
        expect(exit.signal).toBe('SIGKILL');
        await remediation.restartReplica!(index);
      });
    } finally {
      await put(`${evolution}/-/action-delay`, { ms: 0 });
    }
    // The killed run has no outcome of its own: the restarted replica closes its intent as
    // unknown (the layer did roll back, once), and nothing ran it a second time.
    const after = await autoRuns();
    const added = (outcome: string) => (after[outcome] ?? 0) - (before[outcome] ?? 0);
    expect([added('unknown'), added('succeeded')]).toEqual([1, 0]);
  }, 200_000);
});

/** The `/probe` targets of a replica: each target, the daemon it is sent to, its last scrape. */
async function probeTargets(prometheusUrl: string) {
  const body = (await (await fetch(`${prometheusUrl}/api/v1/targets?state=active`)).json()) as {
    data: { activeTargets: { scrapeUrl: string; health: string; lastScrape: string }[] };
  };
  return body.data.activeTargets
    .map((t) => ({ url: new URL(t.scrapeUrl), health: t.health, lastScrape: t.lastScrape }))
    .filter((t) => t.url.pathname === '/probe')
    .map((t) => ({
      target: t.url.searchParams.get('target')!,
      daemon: t.url.host,
      health: t.health,
      lastScrape: t.lastScrape,
    }));
}

async function put(url: string, body: object): Promise<void> {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}
