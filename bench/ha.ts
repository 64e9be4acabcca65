import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_CONFIG, type ConfigOverrides } from '@layerwatch/alert-rules';
import { startComposition, type ComposeOptions, type RunningComposition } from '@layerwatch/stack';
import { fixed, printTable } from './support/table.js';

/**
 * HA against single-instance, in one run: HA_RUNS (default 100) layer 7 fault → P0 page →
 * auto-rollback → recovery cycles on each stack (1 s intervals, 2 s `for:`), counting
 * duplicate actions (rollbacks the layer saw beyond one per fault; goal 0), duplicate pages
 * (pages per alert instance beyond one) and fault → page times. Printed, never asserted.
 */
const RUNS = Number(process.env.HA_RUNS ?? 100);
const CYCLE_TIMEOUT_MS = 90_000;
const FAST = { groupWait: '0s', groupInterval: '1s', repeatInterval: '1h' } as const;
const RULES: ConfigOverrides = {
  layers: DEFAULT_CONFIG.layers.map((l) =>
    l.layer === '7' ? { ...l, probeDownPriority: 'P0' as const } : l,
  ),
  alerts: { probeDown: { for: '2s' } },
  alertmanager: { timing: { P0: { ...FAST, repeatInterval: '2s' }, P1: FAST, P2: FAST, P3: FAST } },
};
const ROLLBACK = 'rollback-evolution';

interface Page {
  readonly id: string;
  readonly alertname: string;
  readonly layer?: string;
  readonly status: string;
  readonly startsAt: string;
  readonly receivedAt: string;
}

interface Outcome {
  readonly stack: string;
  readonly toPageMs: number[];
  duplicateActions: number;
  duplicatePages: number;
  failedCycles: number;
}

/** Polls `probe` every 200 ms until it gives a value; undefined after `timeoutMs`. */
async function poll<T>(probe: () => Promise<T | undefined>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(200);
  }
  return undefined;
}

class Stack {
  constructor(private readonly running: RunningComposition) {}

  private get state() {
    return this.running.state;
  }

  async pagesSince(since: number): Promise<Page[]> {
    const { remediation } = this.state;
    const response = await fetch(`${remediation!.url}/api/v1/pages?limit=500`, {
      headers: { authorization: `Bearer ${remediation!.tokens.viewer}` },
    });
    const { pages } = (await response.json()) as { pages: Page[] };
    return pages.filter(
      (p) =>
        p.alertname === 'LayerwatchProbeDown' && p.layer === '7' && Date.parse(p.startsAt) >= since,
    );
  }

  /** The simulated layer's own count of rollbacks. */
  async rollbacks(): Promise<number> {
    const text = await (await fetch(`${this.state.sim!.services.evolution.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('layerwatch_evolution_rollbacks_total'));
    return Number(line?.split(' ').at(-1) ?? 0);
  }

  async fault(mode: 'fail' | 'ok'): Promise<void> {
    const response = await fetch(`${this.state.sim!.services.evolution.url}/-/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode }),
    });
    await response.body?.cancel();
  }

  async healthy(): Promise<boolean> {
    const query = encodeURIComponent('min(probe_success{job="layerwatch-probes"})');
    const body = (await (
      await fetch(`${this.state.prometheus!.url}/api/v1/query?query=${query}`)
    ).json()) as { data: { result: { value: [number, string] }[] } };
    return body.data.result[0]?.value[1] === '1';
  }
}

/** One fault → page → rollback → resolved cycle; its figures go into `outcome`. */
async function cycle(stack: Stack, outcome: Outcome): Promise<void> {
  await poll(async () => ((await stack.healthy()) ? true : undefined), CYCLE_TIMEOUT_MS);
  const before = await stack.rollbacks();
  const fault = Date.now();
  await stack.fault('fail');
  const page = await poll(
    async () => (await stack.pagesSince(fault)).find((p) => p.status === 'firing'),
    CYCLE_TIMEOUT_MS,
  );
  const resolved =
    page &&
    (await poll(
      async () =>
        (await stack.pagesSince(fault)).find((p) => p.id === page.id && p.status === 'resolved'),
      CYCLE_TIMEOUT_MS,
    ));
  if (!page || !resolved) {
    outcome.failedCycles += 1;
    await stack.fault('ok');
    return;
  }
  outcome.toPageMs.push(Date.parse(page.receivedAt) - fault);
  // Redeliveries (2 s repeats, several peers) arrive after the recovery: let them land.
  await sleep(3000);
  outcome.duplicateActions += Math.max(0, (await stack.rollbacks()) - before - 1);
  outcome.duplicatePages += Math.max(0, (await stack.pagesSince(fault)).length - 1);
}

async function measure(name: string, ha: ComposeOptions['ha']): Promise<Outcome> {
  const dir = await mkdtemp(join(tmpdir(), `layerwatch-bench-ha-${name}-`));
  const running = await startComposition(['prometheus'], {
    dir,
    ports: 'free',
    intervalSeconds: 1,
    logLevel: 'silent',
    rules: RULES,
    ...(ha && { ha }),
    remediationActions: { [ROLLBACK]: { cooldownSeconds: 0 } },
    autoRemediation: [
      {
        name: 'roll-back-failing-evolution',
        matchLabels: { alertname: 'LayerwatchProbeDown', layer: '7' },
        action: ROLLBACK,
      },
    ],
  });
  const outcome: Outcome = {
    stack: name,
    toPageMs: [],
    duplicateActions: 0,
    duplicatePages: 0,
    failedCycles: 0,
  };
  try {
    const stack = new Stack(running);
    for (let run = 1; run <= RUNS; run += 1) {
      await cycle(stack, outcome);
      if (run % 10 === 0) console.log(`  ${name}: ${run}/${RUNS} cycles`);
    }
  } finally {
    await running.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return outcome;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const single = await measure('single', undefined);
const ha = await measure('HA', { peerTimeout: '1s' });
printTable(
  ['stack', 'cycles', 'failed', 'dup actions', 'dup pages', 'page p50 s', 'page p95 s'],
  [single, ha].map((o) => [
    o.stack,
    String(o.toPageMs.length),
    String(o.failedCycles),
    String(o.duplicateActions),
    String(o.duplicatePages),
    fixed(percentile(o.toPageMs, 50) / 1000, 1),
    fixed(percentile(o.toPageMs, 95) / 1000, 1),
  ]),
);
const ratio = percentile(ha.toPageMs, 50) / percentile(single.toPageMs, 50);
console.log(
  `RESULT ha: ${RUNS} fault/recovery runs each; HA ${ha.duplicateActions} duplicate actions (goal 0), ${ha.duplicatePages} duplicate pages, ${ha.failedCycles} failed; fault→page p50 ${fixed(percentile(ha.toPageMs, 50) / 1000, 1)} s / p95 ${fixed(percentile(ha.toPageMs, 95) / 1000, 1)} s, ${fixed(ratio)}× single-instance (${fixed(percentile(single.toPageMs, 50) / 1000, 1)} s / ${fixed(percentile(single.toPageMs, 95) / 1000, 1)} s)`,
);
