import type { ComposeOptions } from '@layerwatch/stack';
import {
  cycle,
  emptyOutcome,
  percentile,
  startLoopStack,
  type CycleOutcome,
} from './support/ha-loop.js';
import { fixed, printTable } from './support/table.js';

/**
 * HA against single-instance, in one run: HA_RUNS (default 100) layer 7 fault → P0 page →
 * auto-rollback → recovery cycles on each stack (1 s intervals, 2 s `for:`), counting
 * duplicate actions (rollback requests layer 7 received beyond one per fault; goal 0),
 * cycles with no rollback request at all, duplicate pages (pages per alert instance beyond one) and fault → page times. Printed,
 * never asserted.
 */
const RUNS = Number(process.env.HA_RUNS ?? 100);

async function measure(name: string, ha: ComposeOptions['ha']): Promise<CycleOutcome> {
  const stack = await startLoopStack(name, ha ? { ha } : {});
  const outcome = emptyOutcome(name);
  try {
    for (let run = 1; run <= RUNS; run += 1) {
      await cycle(stack, outcome);
      if (run % 10 === 0) console.log(`  ${name}: ${run}/${RUNS} cycles`);
    }
  } finally {
    await stack.stop();
  }
  return outcome;
}

const seconds = (o: CycleOutcome, p: number): string => fixed(percentile(o.toPageMs, p) / 1000, 1);
const single = await measure('single', undefined);
const ha = await measure('HA', { peerTimeout: '1s' });
printTable(
  [
    'stack',
    'cycles',
    'failed',
    'dup actions',
    'no action',
    'dup pages',
    'page p50 s',
    'page p95 s',
  ],
  [single, ha].map((o) => [
    o.stack,
    String(o.toPageMs.length),
    String(o.failedCycles),
    String(o.duplicateActions),
    String(o.missingActions),
    String(o.duplicatePages),
    seconds(o, 50),
    seconds(o, 95),
  ]),
);
const ratio = percentile(ha.toPageMs, 50) / percentile(single.toPageMs, 50);
console.log(
  `RESULT ha: ${RUNS} fault/recovery runs each; HA ${ha.duplicateActions} duplicate actions (goal 0), ${ha.missingActions} cycles without one, ${ha.duplicatePages} duplicate pages, ${ha.failedCycles} failed; fault→page p50 ${seconds(ha, 50)} s / p95 ${seconds(ha, 95)} s, ${fixed(ratio)}× single-instance (${seconds(single, 50)} s / ${seconds(single, 95)} s)`,
);
