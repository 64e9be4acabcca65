import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, type ConfigOverrides } from '@layerwatch/alert-rules';
import { startLoop, type RunningLoop } from '@layerwatch/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/alerting.js';
import { LoopClient, type InboxPage } from './support/loop-client.js';
import {
  GPU_SECTION_NOTE,
  GPU_SECTION_TITLE,
  gpuMetricFamilies,
} from './support/gpu-metrics-doc.js';
import { familyTable, metricFamilies, type MetricFamily } from './support/metric-families.js';

/**
 * The closed loop end to end, every part real: the simulator (instrumented, writing its
 * factory exports and ledger), the probe daemon with its collectors, Prometheus with the
 * generated rules, Alertmanager with the generated routing, and the remediation service as
 * the pages' webhook, with one auto-remediation rule. Intervals are 1 s and `for:`s 2 s;
 * everything else is the committed config. Layer 7's probe-down priority is raised to P0
 * here, so that the scenario runs through the P0 route (no group wait, fast repeats) as the
 * runbook's "layer 7 fails → P0 page → roll back" story does.
 */
const FAST = { groupWait: '0s', groupInterval: '1s', repeatInterval: '1h' } as const;
const RULES: ConfigOverrides = {
  layers: DEFAULT_CONFIG.layers.map((l) =>
    l.layer === '7' ? { ...l, probeDownPriority: 'P0' as const } : l,
  ),
  alerts: {
    probeDown: { for: '2s' },
    checksumMismatch: { for: '2s' },
    readinessGateFailedTwice: { for: '2s' },
  },
  alertmanager: {
    // P0 repeats every second while it fires: Alertmanager redelivers the page.
    timing: { P0: { ...FAST, repeatInterval: '1s' }, P1: FAST, P2: FAST, P3: FAST },
  },
};

let root: string;
let loop: RunningLoop;
let client: LoopClient;
const timings: { scenario: string; toPage: number; toRecovery: number }[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'layerwatch-closed-loop-'));
  loop = await startLoop({
    dir: root,
    rules: RULES,
    autoRemediation: [
      {
        name: 'roll-back-failing-evolution',
        matchLabels: { alertname: 'LayerwatchProbeDown', layer: '7' },
        action: 'rollback-evolution',
      },
    ],
  });
  client = new LoopClient(loop);
  await waitFor(
    'every layer probed healthy in Prometheus',
    async () => {
      const up = await client.query('min(probe_success{job="layerwatch-probes"})');
      const checksums = await client.query('layerwatch_telemetry_checksum_mismatches');
      return up === 1 && checksums === 0 ? true : undefined;
    },
    45_000,
  );
}, 90_000);

afterAll(async () => {
  if (timings.length > 0) {
    const rows = timings.map(
      (t) =>
        `  ${t.scenario.padEnd(44)} ${(t.toPage / 1000).toFixed(1).padStart(6)} s ${(t.toRecovery / 1000).toFixed(1).padStart(8)} s`,
    );
    console.log(
      [
        'closed loop (1 s intervals, 2 s for:):',
        '  scenario'.padEnd(47) + 'fault→page  fault→recovery',
        ...rows,
      ].join('\n'),
    );
  }
  await loop?.stop();
  await rm(root, { recursive: true, force: true });
});

/**
 * Waits for a page of this alert (and layer) in the remediation inbox, first received after
 * `since`. A resolution updates the same page (one per alert instance), so "recovered" is
 * when the test sees it resolved: within 200 ms of its arrival.
 */
function pageOf(
  alertname: string,
  status: 'firing' | 'resolved',
  since: number,
  layer?: string,
): Promise<InboxPage> {
  return waitFor(
    `a ${status} ${alertname} page${layer ? ` for layer ${layer}` : ''}`,
    async () =>
      (await client.pages()).find(
        (p) =>
          p.alertname === alertname &&
          p.status === status &&
          (layer === undefined || p.layer === layer) &&
          Date.parse(p.receivedAt) >= since,
      ),
    60_000,
  );
}

/** A scenario's times from its `fault` to the page and to the page's resolution (now). */
function recordTiming(scenario: string, fault: number, page: InboxPage): void {
  timings.push({
    scenario,
    toPage: Date.parse(page.receivedAt) - fault,
    toRecovery: Date.now() - fault,
  });
}

describe('fault → probe → Prometheus → Alertmanager → remediation → recovery', () => {
  it('starts healthy: nothing pages', async () => {
    const firing = (await client.pages()).filter((p) => p.status === 'firing');
    expect(firing.map((p) => p.alertname).filter((n) => n !== 'LayerwatchWatchdog')).toEqual([]);
  });

  it('layer 7 fails → P0 page → auto-rollback runs once despite redelivery → layer recovers → resolved', async () => {
    const fault = Date.now();
    await client.setFault('evolution', { mode: 'fail' });

    const page = await pageOf('LayerwatchProbeDown', 'firing', fault, '7');
    const toPage = Date.parse(page.receivedAt) - fault;
    expect(page.priority).toBe('P0');
    expect(page.annotations['layerwatch_actions']).toContain('rollback-evolution');

    await pageOf('LayerwatchProbeDown', 'resolved', fault, '7');
    const toRecovery = Date.now() - fault;
    expect(await client.simFault('evolution')).toBe('ok');

    // An HA pair's duplicate of the firing notification, after the fact: it must run nothing.
    const replay = await client.redeliver(page);
    expect(replay).toBe(200);
    const runs = await client.audit('rollback-evolution');
    const executed = runs.filter((r) => r.mode === 'auto' && r.outcome !== 'denied');
    // Write-ahead audit: the one run has its intent record, then its outcome (newest first).
    expect(executed.map((r) => [r.actor, r.outcome])).toEqual([
      ['alertmanager-auto', 'succeeded'],
      ['alertmanager-auto', 'intent'],
    ]);
    const deliveries = (await client.pages()).find((p) => p.id === page.id)?.deliveries ?? 0;
    expect(deliveries).toBeGreaterThanOrEqual(2);
    expect((await client.verifyAudit()).ok).toBe(true);
    timings.push({ scenario: 'layer 7 down → auto-rollback', toPage, toRecovery });
  });

  it('a corrupted telemetry export → checksum alert → fixing the file resolves it', async () => {
    const fault = Date.now();
    await client.factory({ corrupt: true });
    const page = await pageOf('LayerwatchTelemetryChecksumMismatch', 'firing', fault);
    expect(page.priority).toBe('P1');
    expect(page.labels['path']).toMatch(/\.jsonl$/);

    await client.factory({ corrupt: false });
    await pageOf('LayerwatchTelemetryChecksumMismatch', 'resolved', fault);
    recordTiming('checksum mismatch → file restored', fault, page);
  });

  it('the readiness gate failing twice → P0 "halt production" page', async () => {
    // The corruption above failed readiness too: start from a gate that passes again.
    await waitFor('the readiness gate passing', async () =>
      (await client.query('layerwatch_readiness_consecutive_failures')) === 0 ? true : undefined,
    );
    const fault = Date.now();
    await client.factory({ readiness: 'fail' });
    const page = await pageOf('LayerwatchReadinessGateFailedTwice', 'firing', fault);
    expect(page.priority).toBe('P0');

    await client.factory({ readiness: 'pass' });
    await pageOf('LayerwatchReadinessGateFailedTwice', 'resolved', fault);
    recordTiming('readiness gate failed twice → passes again', fault, page);
  });

  it('documents every series the loop exposes in docs/metrics.md (UPDATE_METRICS_DOC=1 rewrites it)', async () => {
    const text = async (url: string): Promise<string> => (await fetch(url)).text();
    const { sim, daemon, remediation } = loop;
    const standard = (f: MetricFamily): boolean => !/^(process|nodejs)_/.test(f.name);
    const layers = await Promise.all(
      Object.values(sim.services).map(async (s) => text(`${s.url}/metrics`)),
    );
    const sections: [string, string, MetricFamily[]][] = [
      [
        'Probe endpoint (`/probe`, blackbox_exporter-compatible)',
        'One probe of the simulated agent with module `http_healthy`; other probers add their own series, listed in the README.',
        metricFamilies(
          await text(
            `${daemon.url}/probe?target=${encodeURIComponent(`${sim.services.agent.url}/health`)}&module=http_healthy`,
          ),
        ),
      ],
      [
        'Probe daemon (`/metrics`: scheduled probes, collectors, self-metrics)',
        'With the checksum and readiness collectors on; the GPU collector’s series (its `nvidia_smi_*` ones named as nvidia_gpu_exporter names them) are in the GPU section below.',
        metricFamilies(await text(`${daemon.url}/metrics`)).filter(standard),
      ],
      [
        'Layer services (`@layerwatch/exporters`, each service’s `/metrics`)',
        'What the simulated layers record; the per-layer helpers add the rest of `exporters/README.md`’s table when a service records them.',
        metricFamilies(layers.join('\n')),
      ],
      [
        'Remediation service (`/metrics`)',
        '',
        metricFamilies(await text(`${remediation.url}/metrics`)).filter(standard),
      ],
      // The loop has no GPU: stand-in nvidia-smi scripts (test/support/gpu-metrics-doc.ts).
      [GPU_SECTION_TITLE, GPU_SECTION_NOTE, await gpuMetricFamilies()],
    ];
    const doc = [
      '# Metric reference',
      '',
      'Generated by `UPDATE_METRICS_DOC=1 npx vitest run test/closed-loop.test.ts` from what the running',
      'closed loop exposes, after its fault scenarios. The test fails when a series is not listed here.',
      'Daemons also export the standard `process_*` and `nodejs_*` series of prom-client.',
      ...sections.flatMap(([title, note, families]) => [
        '',
        `## ${title}`,
        '',
        ...(note ? [note, ''] : []),
        familyTable(families),
      ]),
      '',
    ].join('\n');
    const file = new URL('../docs/metrics.md', import.meta.url);
    if (process.env['UPDATE_METRICS_DOC'] === '1') await writeFile(file, doc);
    const documented = await readFile(file, 'utf8');
    const missing = sections
      .flatMap(([, , families]) => families.map((f) => f.name))
      .filter((name) => !documented.includes(`| \`${name}\` |`));
    expect(missing).toEqual([]);
  });
});
