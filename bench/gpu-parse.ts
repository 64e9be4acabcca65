// GPU collector: parse time per nvidia-smi output, against the cost of one nvidia-smi run.
// Run: npx tsx bench/gpu-parse.ts. Printed, never asserted (timings on a shared machine).
// The peer, measured in the same run, is spawning a stand-in `nvidia-smi` (a sh script that
// prints a capture): a lower bound of what the real binary costs (~7 ms on one GPU), so the
// ratio says how much of a collection parsing is.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import {
  createGpuCollector,
  parseNvidiaSmiCsv,
  runNvidiaSmi,
} from '../probes/src/collectors/gpu/index.js';
import {
  ownFixtures,
  sharedCaptures,
  writeFakeNvidiaSmi,
} from '../probes/test/support/fake-nvidia-smi.js';

const PARSES_PER_ROUND = 5_000;
const ROUNDS = 7;
const SPAWNS = 40;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Median µs per parse over several rounds, after a warm-up. */
function parseMicros(text: string): number {
  for (let i = 0; i < 1_000; i++) parseNvidiaSmiCsv(text);
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < PARSES_PER_ROUND; i++) {
      if (!parseNvidiaSmiCsv(text).ok) throw new Error('fixture did not parse');
    }
    rounds.push(Number(process.hrtime.bigint() - start) / 1e3 / PARSES_PER_ROUND);
  }
  return median(rounds);
}

/** Median ms of `work` over SPAWNS runs, after a few warm-up runs. */
async function medianMs(work: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < SPAWNS; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return median(times);
}

const fixtures: { label: string; path: string }[] = [];
if (existsSync(sharedCaptures)) {
  for (const file of readdirSync(sharedCaptures)
    .filter((f) => f.endsWith('.csv'))
    .sort()) {
    fixtures.push({
      label: `shared/${file.replace('linux-x86_64__nvidia-', '')}`,
      path: join(sharedCaptures, file),
    });
  }
} else {
  console.log(`note: ${sharedCaptures} is absent; only our own fixtures are timed`);
}
for (const file of readdirSync(ownFixtures)
  .filter((f) => f.endsWith('.csv'))
  .sort()) {
  fixtures.push({ label: `own/${file}`, path: join(ownFixtures, file) });
}

console.log(`parse: median of ${ROUNDS} rounds × ${PARSES_PER_ROUND} parses`);
const parsed: { label: string; micros: number; bytes: number }[] = [];
for (const { label, path } of fixtures) {
  const text = readFileSync(path, 'utf8');
  const micros = parseMicros(text);
  parsed.push({ label, micros, bytes: text.length });
  console.log(
    `  ${label.padEnd(62)} ${String(text.length).padStart(5)} B  ${micros.toFixed(2).padStart(7)} µs/parse`,
  );
}

const peerFixture =
  fixtures.find((f) => f.label.includes('h100-80gb-hbm3') && f.label.includes('load')) ??
  fixtures[0];
if (!peerFixture) throw new Error('no fixture to time');
const dir = await mkdtemp(join(tmpdir(), 'layerwatch-bench-gpu-'));
try {
  const fake = await writeFakeNvidiaSmi(dir, { kind: 'print', file: peerFixture.path });
  const never = new AbortController().signal;
  const spawnMs = await medianMs(() =>
    runNvidiaSmi({ path: fake.path, args: [], timeoutMs: 5000, signal: never }),
  );
  const settings = {
    enabled: true,
    nvidia_smi_path: fake.path,
    interval: 60_000,
    timeout: 5000,
    node: 'bench',
    layer: '8',
  };
  const collector = createGpuCollector(settings, pino({ level: 'silent' }));
  const collectMs = await medianMs(() => collector.collectNow());
  await collector.stop();

  const peerParse = parsed.find((p) => p.label === peerFixture.label)?.micros ?? NaN;
  const worst = parsed.reduce((a, b) => (b.micros > a.micros ? b : a));
  console.log(
    `spawn: median of ${SPAWNS} runs of a stand-in nvidia-smi printing ${peerFixture.label}`,
  );
  console.log(`  spawn + read stdout                 ${spawnMs.toFixed(2).padStart(7)} ms/run`);
  console.log(`  whole collection (spawn+parse+render) ${collectMs.toFixed(2).padStart(5)} ms/run`);
  const share = (peerParse / 1000 / spawnMs) * 100;
  const shareOfReal = (worst.micros / 1000 / 7) * 100;
  console.log(
    `RESULT gpu-parse: ${peerParse.toFixed(1)} µs to parse ${peerFixture.label} vs ${spawnMs.toFixed(2)} ms to spawn the stand-in ` +
      `(parse = ${share.toFixed(2)}% of a run, spawn/parse = ${((spawnMs * 1000) / peerParse).toFixed(0)}×); ` +
      `slowest fixture ${worst.micros.toFixed(1)} µs = ${shareOfReal.toFixed(2)}% of a real ~7 ms nvidia-smi run`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
