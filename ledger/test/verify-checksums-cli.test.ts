import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runVerifyChecksumsCli } from '../src/cli/verify-checksums.js';
import { createLedgerRoot, EXPORTS_DIR, type LedgerRoot } from './support/ledger-root.js';

class Captured {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

async function cli(args: readonly string[], tty = false) {
  const stdout = new Captured();
  const stderr = new Captured(tty);
  const code = await runVerifyChecksumsCli(args, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

let fx: LedgerRoot;
beforeEach(async () => {
  fx = await createLedgerRoot();
});
afterEach(() => fx.remove());

async function ledgerWith(kind: 'clean' | 'mismatch' | 'missing' | 'invalid' | 'both') {
  const a = await fx.exportFile('a.csv', 'alpha');
  const b = await fx.exportFile('b.csv', 'bravo');
  const entries: unknown[] = [fx.entry('ORD-1', [a]), fx.entry('ORD-2', [b])];
  if (kind === 'mismatch' || kind === 'both') await fx.writeFile(b.path, 'BRAVO');
  if (kind === 'missing' || kind === 'both')
    entries.push(fx.entry('ORD-3', [{ ...a, path: `${EXPORTS_DIR}/gone` }]));
  if (kind === 'invalid') entries.push(fx.entry('ORD-4', [{ ...a, sha256: 'xyz' }]));
  await fx.writeLedger(entries);
}

describe('layerwatch verify-checksums', () => {
  it('prints the usage with the exit codes on --help', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Exit codes:\n  0   clean');
    expect(stdout).toContain('  64  usage error');
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--workers', 'two'], '--workers "two" is not a whole number from 0 to 32'],
    [['--chunk-size', '1GiB'], '--chunk-size "1GiB" is not a size from 4KiB to 256MiB, e.g. 4MiB'],
    [['a', 'b'], 'expected at most one ROOT, got 2: a b'],
  ])('exits 64 on the usage error %j', async (args, message) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(64);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage:');
  });

  it('exits 0 when clean, with progress lines on a non-terminal and the summary table', async () => {
    await ledgerWith('clean');
    const { code, stdout, stderr } = await cli([fx.root, '--workers', '0']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^verifying 2 files, 10 B\n/);
    expect(stdout).toContain(
      'files checked         2\nmatched               2\nmismatched            0\n',
    );
    expect(stdout).toContain('latest batch          2026-11-23T10 (exported)\n');
    expect(stdout).toMatch(/rate {18}.*\/s\nresult {16}clean \(exit 0\)\n$/);
  });

  it('exits 1 on a mismatch and names the file, even with errors beside it', async () => {
    await ledgerWith('mismatch');
    const mismatch = await cli([fx.root, '--workers', '0']);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stdout).toMatch(
      /^MISMATCH {3}ORD-2 {2}\.toyfoundry\/telemetry\/quilt\/exports\/b\.csv {2}ledger 5 B /,
    );
    await ledgerWith('both');
    expect((await cli([fx.root])).code).toBe(1);
  });

  it('exits 2 on a missing file or an invalid entry, and on an unparseable ledger', async () => {
    await ledgerWith('missing');
    const missing = await cli([fx.root]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain(`MISSING    ORD-3  ${EXPORTS_DIR}/gone  missing\n`);
    await ledgerWith('invalid');
    const invalid = await cli([fx.root]);
    expect(invalid.code).toBe(2);
    expect(invalid.stdout).toContain(
      'INVALID    entries[2] (order_id "ORD-4"): evidence[0].sha256: must be a SHA-256',
    );
    await fx.writeLedgerText('{"version": 1, "entr');
    const broken = await cli([fx.root]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(
      /^verify-checksums: exchange\/ledger\/index\.json: not JSON, or truncated/,
    );
  });

  it('prints the report as JSON with --json, without progress', async () => {
    await ledgerWith('mismatch');
    const { code, stdout, stderr } = await cli([fx.root, '--json'], true);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      exitCode: 1,
      entries: 2,
      counts: { files: 2, matched: 1, mismatched: 1 },
    });
    expect(report.files).toEqual([
      expect.objectContaining({ orderId: 'ORD-1', status: 'match' }),
      expect.objectContaining({ orderId: 'ORD-2', status: 'mismatch', bytes: 5 }),
    ]);
    await fx.writeLedgerText('nope');
    const broken = await cli([fx.root, '--json']);
    expect(JSON.parse(broken.stdout)).toEqual({
      exitCode: 2,
      error: expect.stringMatching(/not JSON/),
    });
  });

  it('draws a progress bar with files, bytes, rate and ETA on a terminal', async () => {
    await ledgerWith('clean');
    const { code, stderr } = await cli([fx.root, '--ledger', 'exchange/ledger/index.json'], true);
    expect(code).toBe(0);
    expect(stderr).toMatch(/verifying \[.*\] \d+% \| \d\/2 files \| .* B\/10 B \| .*\/s \| ETA /);
  });

  it('exits with its code as a process, worker threads and all', async () => {
    const big = await fx.exportFile('big.bin', Buffer.alloc(3 * 1024 * 1024, 1)); // > 1 MiB: hashed on a worker
    await fx.writeLedger([
      fx.entry('ORD-1', [big]),
      fx.entry('ORD-2', [{ ...big, sha256: 'f'.repeat(64) }]),
    ]);
    const entry = fileURLToPath(new URL('./support/verify-checksums-child.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', entry, fx.root, '--workers', '2', '--chunk-size', '4KiB'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stdout).toContain('result                MISMATCHES (exit 1)');
    expect(code).toBe(1);
  });
});
