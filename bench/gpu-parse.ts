// GPU collector: parse time per nvidia-smi output, against the cost of one nvidia-smi run;
// then the health pass: `nvidia-smi -q -x` of 8 GPUs parsed (fast-xml-parser, then read),
// against spawning a stand-in that prints it and against a real run's known ~388 ms.
// Run: npx tsx bench/gpu-parse.ts. Printed, never asserted (timings on a shared machine).
// The peer, measured in the same run, is spawning a stand-in `nvidia-smi` (a sh script that
// prints a capture): a lower bound of what the real binary costs (~7 ms on one GPU), so the
// ratio says how much of a collection parsing is.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import {
  createGpuCollector,
  createGpuHealthCollector,
  parseNvidiaSmiCsv,
  parseNvidiaSmiXml,
  readHealth,
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
  await benchXml(dir, never);
} finally {
  await rm(dir, { recursive: true, force: true });
}

/**
 * An 8-GPU `nvidia-smi -q -x`: the real 2-GPU capture (dual RTX A5000, driver 590) where
 * ../shared has it, else our own 2-GPU fixture, its GPUs repeated under new bus ids.
 */
function eightGpuXml(): { label: string; text: string } {
  const shared = join(sharedCaptures, '..', 'xml', 'dual_a5000-v13.xml');
  const [label, file] = existsSync(shared)
    ? ['shared/dual_a5000-v13.xml', shared]
    : ['own/health-faults.xml', join(ownFixtures, 'health-faults.xml')];
  const text = readFileSync(file, 'utf8');
  const gpus = [...text.matchAll(/\t<gpu id="[^"]+">[\s\S]*?\n\t<\/gpu>\n/g)].map((m) => m[0]);
  const start = text.indexOf(gpus[0] ?? '');
  const end = text.lastIndexOf(gpus.at(-1) ?? '') + (gpus.at(-1)?.length ?? 0);
  const eight = Array.from({ length: 8 }, (_, i) => {
    const bus = (0x18 + i * 0x10).toString(16).toUpperCase().padStart(2, '0');
    return (gpus[i % gpus.length] ?? '').replace(
      /<gpu id="[^"]+">/,
      `<gpu id="00000000:${bus}:00.0">`,
    );
  });
  return {
    label: `${label} ×4`,
    text: `${text.slice(0, start)}${eight.join('')}${text.slice(end)}`,
  };
}

async function benchXml(dir: string, never: AbortSignal): Promise<void> {
  const { label, text } = eightGpuXml();
  const parse = () => readHealth(parseNvidiaSmiXml(text), '');
  if (parse().length !== 8) throw new Error('the 8-GPU XML did not parse to 8 GPUs');
  for (let i = 0; i < 50; i++) parse();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) parse();
    rounds.push(Number(process.hrtime.bigint() - start) / 1e6 / 100);
  }
  const parseMs = median(rounds);
  const file = join(dir, 'eight-gpus.xml');
  await writeFile(file, text);
  const fake = await writeFakeNvidiaSmi(dir, { kind: 'print', file });
  const spawnMs = await medianMs(() =>
    runNvidiaSmi({ path: fake.path, args: ['-q', '-x'], timeoutMs: 5000, signal: never }),
  );
  const health = createGpuHealthCollector(
    {
      nvidia_smi_path: fake.path,
      health_interval: 60_000,
      health_timeout: 5000,
      kernel_log: { source: 'off', journalctl_path: 'journalctl', file: '' },
      node: 'bench',
      layer: '8',
    },
    pino({ level: 'silent' }),
  );
  const collectMs = await medianMs(() => health.collectNow());
  await health.stop();
  const REAL_RUN_MS = 388; // netdata issue 10362: one `nvidia-smi -q -x` on one GPU
  console.log(`health pass: ${label}, ${text.length} B, median of ${ROUNDS} rounds × 100 parses`);
  console.log(`  parse + read 8 GPUs                 ${parseMs.toFixed(2).padStart(7)} ms`);
  console.log(`  spawn + read stdout (stand-in)      ${spawnMs.toFixed(2).padStart(7)} ms/run`);
  console.log(
    `  whole health pass (spawn+parse+render) ${collectMs.toFixed(2).padStart(4)} ms/run`,
  );
  console.log(
    `RESULT gpu-xml-parse: ${parseMs.toFixed(2)} ms to parse -q -x of 8 GPUs vs ${spawnMs.toFixed(2)} ms to spawn the stand-in ` +
      `(parse/spawn = ${(parseMs / spawnMs).toFixed(2)}×); = ${((parseMs / REAL_RUN_MS) * 100).toFixed(1)}% of one real ` +
      `~${REAL_RUN_MS} ms -q -x run on ONE GPU (8 GPUs take longer), once per health_interval (60 s)`,
  );
}
