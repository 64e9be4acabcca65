import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_CONFIG, type ConfigOverrides } from '@layerwatch/alert-rules';
import { startComposition, type ComposeOptions, type RunningComposition } from '@layerwatch/stack';

/**
 * The HA benchmarks' loop: the stack (single or HA) with a layer 7 probe-down P0 that
 * auto-remediates by rolling layer 7 back, and one fault → page → rollback → resolved cycle.
 */
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
/** The request the rollback action sends; layer 7's own request counter counts them. */
const ROLLBACK_REQUESTS =
  'http_server_request_duration_seconds_count{http_request_method="POST",http_route="/api/evolution/rollback"';

interface Page {
  readonly id: string;
  readonly alertname: string;
  readonly layer?: string;
  readonly status: string;
  readonly startsAt: string;
  readonly receivedAt: string;
}

export interface CycleOutcome {
  readonly stack: string;
  readonly toPageMs: number[];
  duplicateActions: number;
  /** Cycles that recovered with no rollback request at layer 7 (the action never ran). */
  missingActions: number;
  duplicatePages: number;
  failedCycles: number;
}

/** Polls `probe` every 200 ms until it gives a value; undefined after `timeoutMs`. */
export async function poll<T>(probe: () => Promise<T | undefined>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(200);
  }
  return undefined;
}

/** The running stack, seen through the calls a cycle makes. */
export class LoopStack {
  constructor(readonly running: RunningComposition) {}

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

  /**
   * Rollback requests layer 7 received. Not its rollbacks counter: the simulated workload
   * also rolls back on its own when a deployment fails (5 % of them), which is no action.
   */
  async rollbackRequests(): Promise<number> {
    const text = await (await fetch(`${this.state.sim!.services.evolution.url}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith(ROLLBACK_REQUESTS))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
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
export async function cycle(stack: LoopStack, outcome: CycleOutcome): Promise<void> {
  await poll(async () => ((await stack.healthy()) ? true : undefined), CYCLE_TIMEOUT_MS);
  const before = await stack.rollbackRequests();
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
  const actions = (await stack.rollbackRequests()) - before;
  outcome.duplicateActions += Math.max(0, actions - 1);
  if (actions === 0) outcome.missingActions += 1;
  outcome.duplicatePages += Math.max(0, (await stack.pagesSince(fault)).length - 1);
}

export const emptyOutcome = (stack: string): CycleOutcome => ({
  stack,
  toPageMs: [],
  duplicateActions: 0,
  missingActions: 0,
  duplicatePages: 0,
  failedCycles: 0,
});

/** Starts the loop stack in a temp dir; `stop()` stops it and removes the dir. */
export async function startLoopStack(
  name: string,
  options: Pick<ComposeOptions, 'ha' | 'intervalSeconds'>,
): Promise<LoopStack & { readonly dir: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `layerwatch-bench-ha-${name}-`));
  const running = await startComposition(['prometheus'], {
    dir,
    ports: 'free',
    intervalSeconds: options.intervalSeconds ?? 1,
    logLevel: 'silent',
    rules: RULES,
    ...(options.ha && { ha: options.ha }),
    remediationActions: { [ROLLBACK]: { cooldownSeconds: 0 } },
    autoRemediation: [
      {
        name: 'roll-back-failing-evolution',
        matchLabels: { alertname: 'LayerwatchProbeDown', layer: '7' },
        action: ROLLBACK,
      },
    ],
  });
  return Object.assign(new LoopStack(running), {
    dir,
    stop: async () => {
      await running.stop();
      await rm(dir, { recursive: true, force: true });
    },
  });
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
