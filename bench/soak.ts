import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLoop, type RunningLoop } from '@layerwatch/stack';
import { fixed, printTable } from './support/table.js';

/**
 * The healthy closed loop under jittered latency must page nobody. Runs the whole loop
 * (Redis, PostgreSQL, simulator with 0–JITTER ms added to every answer, probe daemon and collectors every
 * second, Prometheus with the committed rules and `for:`s, Alertmanager, the remediation
 * inbox) for SOAK_SECONDS (default 600) and counts pages in the inbox, alerts that fired
 * and alerts that went pending (near misses), Watchdog aside, after a 15 s warm-up.
 * Printed, never asserted.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
// Healthy means inside every SLO: the tightest is cross-layer calls under 50 ms (99 %), so
// the jitter stays well below it. At 0–200 ms most calls break it, and the burn-rate alert
// rightly pages (seen in a run): that is a breach, not a false page.
const JITTER_MS = Number(process.env.SOAK_JITTER_MS ?? 20);
const WATCHDOG = 'LayerwatchWatchdog';
const WARMUP_SECONDS = 15;

/** An instant query's result: each series' labels and value. */
async function promql(
  loop: RunningLoop,
  query: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const url = `${loop.prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}`;
  const body = (await (await fetch(url)).json()) as {
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return body.data.result;
}

async function inbox(loop: RunningLoop): Promise<{ alertname: string; status: string }[]> {
  const response = await fetch(`${loop.remediation.url}/api/v1/pages?limit=500`, {
    headers: { authorization: `Bearer ${loop.tokens.viewer}` },
  });
  return ((await response.json()) as { pages: { alertname: string; status: string }[] }).pages;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'layerwatch-soak-'));
  const loop = await startLoop({ dir, latencyJitterMs: JITTER_MS });
  const seenFiring = new Set<string>();
  const seenPending = new Set<string>();
  try {
    // Rules evaluated before the first scrapes see absent series: count from a warm loop.
    while ((await promql(loop, 'up{job="layerwatch-probes"} == 1')).length === 0) await sleep(500);
    await sleep(WARMUP_SECONDS * 1000);
    const started = Date.now();
    while (Date.now() - started < SECONDS * 1000) {
      await sleep(5000);
      for (const { metric: m } of await promql(loop, `ALERTS{alertname!="${WATCHDOG}"}`)) {
        const key = `${m['alertname']}{layer="${m['layer'] ?? ''}"}`;
        (m['alertstate'] === 'firing' ? seenFiring : seenPending).add(key);
      }
    }
    const total = await promql(loop, 'sum(count_over_time(probe_success[1d]))');
    const probes = Number(total[0]?.value[1] ?? 0);
    const pages = (await inbox(loop)).filter((p) => p.alertname !== WATCHDOG);
    printTable(
      ['soak', 'seconds', 'jitter', 'probe results', 'pages', 'alerts fired', 'alerts pending'],
      [
        [
          'healthy loop',
          fixed(SECONDS, 0),
          `0–${JITTER_MS} ms`,
          fixed(probes, 0),
          String(pages.length),
          String(seenFiring.size),
          String(seenPending.size),
        ],
      ],
    );
    for (const key of [...seenFiring, ...seenPending]) console.log(`  seen: ${key}`);
    for (const page of pages) console.log(`  page: ${page.alertname} (${page.status})`);
    console.log(
      `RESULT soak: ${pages.length} pages in ${SECONDS} s of the healthy loop with 0–${JITTER_MS} ms jitter (goal 0); ${seenFiring.size} alerts fired, ${seenPending.size} went pending; ${fixed(probes, 0)} probe results`,
    );
  } finally {
    await loop.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
