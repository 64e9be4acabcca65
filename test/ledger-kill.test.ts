import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  inThreadHasher,
  parseLedger,
  verifyLedger,
  type VerificationReport,
} from '@layerwatch/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The ledger writer against the ledger verifier (both ledger/): a child process
 * exports 2 × 8 MiB per order in a loop and is killed with SIGKILL at a random moment, five
 * times. After every kill the ledger must parse and every file it cites must be there and
 * match; what the kill cut short may only show as orphans (temp files, or the files of the
 * order that was being recorded), and the next writer to start removes the temp files.
 */
const REPO = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = join(REPO, 'ledger/test/support/export-loop.ts');
const LEDGER = 'exchange/ledger/index.json';
const EXPORTS = '.toyfoundry/telemetry/quilt/exports';
const TEMP_FILE = /\/\.[^/]+\.\d+\.[0-9a-f]{8}\.lwtmp$/;
const KILLS = 5;

interface Loop {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly committed: string[];
  stderr(): string;
}

/** Starts the export loop the way an operator restarts a pipeline: on the same folder. */
function startLoop(root: string, args: readonly string[] = []): Loop {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, root, ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const committed: string[] = [];
  let stderr = '';
  let ready: () => void = () => undefined;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    buffered += text;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'ready') ready();
      else if (line.startsWith('committed ')) committed.push(line.slice('committed '.length));
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  // A child that dies before it is ready must fail the test, not hang it.
  const failed = exited.then(({ code }) => {
    throw new Error(`export loop exited (${code}) before it was ready: ${stderr}`);
  });
  return {
    child,
    ready: Promise.race([readyPromise, failed]),
    exited,
    committed,
    stderr: () => stderr,
  };
}

let root: string;
const hasher = inThreadHasher(1024 * 1024);
const verify = (): Promise<VerificationReport> =>
  verifyLedger({ root, ledger: LEDGER, exportsDir: EXPORTS, hasher });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'layerwatch-ledger-kill-'));
});
afterAll(async () => {
  await hasher.close();
  await rm(root, { recursive: true, force: true });
});

/** What every kill must leave: a ledger that parses, and only good files cited. */
async function expectConsistent(context: string, acknowledged: readonly string[]) {
  const parsed = parseLedger(await readFile(join(root, LEDGER), 'utf8'), LEDGER);
  const report = await verify();
  const ids = parsed.valid.map((valid) => valid.entry.order_id);
  expect(parsed.invalid, context).toEqual([]);
  expect(report.invalidEntries, context).toEqual([]);
  // Every export the child said it committed is in the ledger, numbered without gaps.
  expect(ids, context).toEqual(ids.map((_, i) => `ORD-${String(i + 1).padStart(4, '0')}`));
  expect(ids, context).toEqual(expect.arrayContaining([...acknowledged]));
  expect(report.counts, context).toMatchObject({
    files: 2 * ids.length,
    matched: 2 * ids.length,
    mismatched: 0,
    unreadable: 0,
  });
  // What the kill cut short: temp files, or the files of the one order not yet recorded.
  const inFlight = `ORD-${String(ids.length + 1).padStart(4, '0')}-`;
  const unexpected = report.orphans.filter(
    (path) => !TEMP_FILE.test(path) && !path.split('/').pop()?.startsWith(inFlight),
  );
  expect(unexpected, context).toEqual([]);
  return report.orphans.filter((path) => TEMP_FILE.test(path)).length;
}

describe('ledger writer killed with SIGKILL mid-write', () => {
  it(`leaves a ledger the checksum collector verifies, after each of ${KILLS} kills`, async () => {
    const first = startLoop(root, ['--count', '1']);
    expect((await first.exited).code, first.stderr()).toBe(0);
    let killsThatLeftTempFiles = 0;
    const acknowledged: string[] = [...first.committed];
    for (let kill = 1; kill <= KILLS; kill += 1) {
      const loop = startLoop(root);
      await loop.ready;
      const delay = 30 + Math.floor(Math.random() * 470);
      await sleep(delay);
      loop.child.kill('SIGKILL');
      const { signal } = await loop.exited;
      const context = `kill ${kill} after ${delay} ms, ${loop.committed.length} committed before it; stderr: ${loop.stderr()}`;
      expect(signal, context).toBe('SIGKILL');
      acknowledged.push(...loop.committed);
      if ((await expectConsistent(context, acknowledged)) > 0) killsThatLeftTempFiles += 1;
    }
    // Most kills land while a file streams (it is most of the time): the test saw some.
    expect(killsThatLeftTempFiles).toBeGreaterThan(0);

    // A clean run afterwards sweeps the dead writers' temp files and rewrites the order
    // that was cut short: nothing is left over, and the ledger dir holds no lock.
    const last = startLoop(root, ['--count', '1']);
    expect((await last.exited).code, last.stderr()).toBe(0);
    const report = await verify();
    expect(report.orphans).toEqual([]);
    expect(report.counts.mismatched + report.counts.unreadable).toBe(0);
    expect(report.latestBatchExported).toBe(true);
    expect(await readdir(join(root, 'exchange/ledger'))).toEqual(['index.json']);
  }, 90_000);
});
