import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseByteSize } from '../byte-size.js';
import {
  DEFAULT_EXPORTS_DIR,
  DEFAULT_HASH_WORKERS,
  DEFAULT_LEDGER,
  DEFAULT_READ_CHUNK_SIZE,
} from '../defaults.js';
import { errorMessage } from '../errors.js';
import { LedgerError } from '../schema.js';
import { createHasher } from '../verify/hash-pool.js';
import { verifyLedger } from '../verify/verify.js';
import {
  EXIT,
  exitCodeFor,
  formatSummary,
  progressView,
  type CliStream,
} from './verify-checksums-output.js';

export const VERIFY_CHECKSUMS_USAGE = `Usage:
  layerwatch verify-checksums [ROOT] [--ledger PATH] [--exports-dir PATH] [--json]
                              [--workers N] [--chunk-size SIZE]

Verifies every evidence file the factory pipeline's ledger cites: streams its SHA-256 and
compares digest and size with the ledger. Refuses entries whose paths leave ROOT.

  ROOT               the pipeline's checkout (default: the current directory)
  --ledger PATH      the ledger, relative to ROOT (default: ${DEFAULT_LEDGER})
  --exports-dir PATH the exports folder, relative to ROOT, whose uncited files are orphans
                     (default: ${DEFAULT_EXPORTS_DIR})
  --json             print the whole report as JSON on stdout (no progress, no table)
  --workers N        hashing threads, 0 to hash on the main thread (default: ${DEFAULT_HASH_WORKERS})
  --chunk-size SIZE  read size, e.g. 1MiB (default: ${DEFAULT_READ_CHUNK_SIZE})

Progress goes to stderr: a bar on a terminal, else a line per second. The summary table
goes to stdout.

Exit codes:
  0   clean: every file present and matching, every entry valid
  1   mismatches: at least one file's SHA-256 or size differs from the ledger
  2   errors (no mismatch): missing, unreadable or changing files, invalid entries, or a
      ledger that cannot be read or parsed
  64  usage error`;

/** Captured streams in tests; the process's own by default. */
export interface VerifyChecksumsIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
}

interface CliOptions {
  readonly root: string;
  readonly ledger: string;
  readonly exportsDir: string;
  readonly json: boolean;
  readonly workers: number;
  readonly chunkSize: number;
}

/** `layerwatch verify-checksums …`: resolves to the exit code (see the usage text). */
export async function runVerifyChecksumsCli(
  argv: readonly string[],
  io: VerifyChecksumsIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const parsed = parseCli(argv);
  if (parsed === 'help') {
    io.stdout.write(`${VERIFY_CHECKSUMS_USAGE}\n`);
    return EXIT.clean;
  }
  if (typeof parsed === 'string') {
    io.stderr.write(`verify-checksums: ${parsed}\n\n${VERIFY_CHECKSUMS_USAGE}\n`);
    return EXIT.usage;
  }
  const progress = parsed.json ? undefined : progressView(io.stderr);
  const hasher = createHasher({
    workers: parsed.workers,
    chunkSize: parsed.chunkSize,
    onWorkerFailure: (error) =>
      io.stderr.write(
        `hash workers failed to start (${error.message}); hashing on the main thread\n`,
      ),
  });
  try {
    const report = await verifyLedger(
      {
        root: parsed.root,
        ledger: parsed.ledger,
        exportsDir: parsed.exportsDir,
        hasher,
      },
      (p) => progress?.update(p),
    );
    progress?.stop();
    const exitCode = exitCodeFor(report);
    io.stdout.write(
      parsed.json
        ? `${JSON.stringify({ exitCode, ...report }, null, 2)}\n`
        : formatSummary(report, exitCode),
    );
    return exitCode;
  } catch (error) {
    progress?.stop();
    const message =
      error instanceof LedgerError ? error.message : `${parsed.root}: ${errorMessage(error)}`;
    if (parsed.json)
      io.stdout.write(`${JSON.stringify({ exitCode: EXIT.errors, error: message }, null, 2)}\n`);
    else io.stderr.write(`verify-checksums: ${message}\n`);
    return EXIT.errors;
  } finally {
    await hasher.close();
  }
}

/** The options, 'help', or a usage error's message. */
function parseCli(argv: readonly string[]): CliOptions | 'help' | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        ledger: { type: 'string', default: DEFAULT_LEDGER },
        'exports-dir': { type: 'string', default: DEFAULT_EXPORTS_DIR },
        json: { type: 'boolean', default: false },
        workers: { type: 'string', default: String(DEFAULT_HASH_WORKERS) },
        'chunk-size': { type: 'string', default: DEFAULT_READ_CHUNK_SIZE },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return errorMessage(error);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length > 1)
    return `expected at most one ROOT, got ${positionals.length}: ${positionals.join(' ')}`;
  const workers = Number(values.workers);
  if (!/^\d+$/.test(values.workers) || workers > 32) {
    return `--workers "${values.workers}" is not a whole number from 0 to 32`;
  }
  const chunkSize = parseByteSize(values['chunk-size']);
  if (chunkSize === undefined || chunkSize < 4096 || chunkSize > 256 * 1024 * 1024) {
    return `--chunk-size "${values['chunk-size']}" is not a size from 4KiB to 256MiB, e.g. 4MiB`;
  }
  return {
    root: resolve(positionals[0] ?? '.'),
    ledger: values.ledger,
    exportsDir: values['exports-dir'],
    json: values.json,
    workers,
    chunkSize,
  };
}
