import { existsSync, readFileSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A stand-in `nvidia-smi`: a small POSIX shell script in a temp dir (this machine has no
 * GPU; the collector runs it exactly as it would run the real binary). Every variant first
 * records its arguments, one per line, in `<dir>/args`, and appends them as one line to
 * `<dir>/calls`.
 */
export type FakeBehaviour =
  /** Prints a file (a capture or our own fixture) whatever it is asked; exits `code` (0). */
  | {
      readonly kind: 'print';
      readonly file: string;
      readonly code?: number;
      /** Written to stderr before the file is printed. */
      readonly stderr?: string;
    }
  /**
   * Answers as a driver does, by mode: `--help-query-gpu` prints `help`, `-q` prints `xml`,
   * `nvlink -s` / `nvlink -e` print `nvlinkStatus` / `nvlinkErrors` (or exit 1 without),
   * `--query-gpu=…` prints `csv`, unless the query names a field in `rejects`: then it
   * says `Field "<name>" is not a valid field to query.` and exits 2, as nvidia-smi does.
   */
  | {
      readonly kind: 'driver';
      readonly help: string;
      readonly csv: string;
      readonly xml?: string;
      readonly nvlinkStatus?: string;
      readonly nvlinkErrors?: string;
      readonly rejects?: readonly string[];
    }
  /** Prints the start of a header, starts a `sleep 60` child (pid in `<dir>/sleep.pid`), waits. */
  | { readonly kind: 'hang' }
  /** Writes `stderr` and exits with `code`. */
  | { readonly kind: 'fail'; readonly code: number; readonly stderr: string }
  /** A path where nothing exists. */
  | { readonly kind: 'missing' }
  /** A file without the execute bit. */
  | { readonly kind: 'not-executable' };

export interface FakeNvidiaSmi {
  readonly path: string;
  /** The arguments of the last run (empty before any). */
  args(): Promise<string[]>;
  /** Every run's arguments, space-joined, oldest first. */
  calls(): Promise<string[]>;
  /** The pid of the hang variant's `sleep` child, once it started. */
  sleepPid(): Promise<number | undefined>;
}

export async function writeFakeNvidiaSmi(
  dir: string,
  behaviour: FakeBehaviour,
): Promise<FakeNvidiaSmi> {
  const path = join(dir, 'nvidia-smi');
  const argsFile = join(dir, 'args');
  const pidFile = join(dir, 'sleep.pid');
  const callsFile = join(dir, 'calls');
  if (behaviour.kind !== 'missing') {
    const body = scriptBody(behaviour, pidFile);
    const record = `printf '%s\\n' "$@" > ${sh(argsFile)}\nprintf '%s\\n' "$*" >> ${sh(callsFile)}`;
    await writeFile(path, `#!/bin/sh\n${record}\n${body}\n`);
    await chmod(path, behaviour.kind === 'not-executable' ? 0o644 : 0o755);
  }
  return {
    path,
    args: async () =>
      existsSync(argsFile) ? (await readFile(argsFile, 'utf8')).split('\n').filter(Boolean) : [],
    calls: async () =>
      existsSync(callsFile) ? (await readFile(callsFile, 'utf8')).split('\n').filter(Boolean) : [],
    sleepPid: async () =>
      existsSync(pidFile) ? Number((await readFile(pidFile, 'utf8')).trim()) : undefined,
  };
}

/**
 * From its next run on the stand-in exits `code` after writing `stderr`, as a broken driver
 * does. Waits 20 ms first, so that a success time written by a later run would differ.
 */
export async function failFromNextRun(dir: string, code: number, stderr: string): Promise<void> {
  await writeFakeNvidiaSmi(dir, { kind: 'fail', code, stderr });
  await new Promise((resolve) => setTimeout(resolve, 20));
}

function scriptBody(behaviour: FakeBehaviour, pidFile: string): string {
  switch (behaviour.kind) {
    case 'print': {
      const said =
        behaviour.stderr === undefined ? '' : `printf '%s\\n' ${sh(behaviour.stderr)} >&2\n`;
      return `${said}cat ${sh(behaviour.file)}\nexit ${behaviour.code ?? 0}`;
    }
    case 'driver':
      return driverScript(behaviour);
    case 'hang':
      return `printf 'index, uuid, na'\nsleep 60 &\necho $! > ${sh(pidFile)}\nwait`;
    case 'fail':
      return `printf '%s\\n' ${sh(behaviour.stderr)} >&2\nexit ${behaviour.code}`;
    case 'not-executable':
    case 'missing':
      return 'exit 0';
  }
}

function driverScript(driver: Extract<FakeBehaviour, { kind: 'driver' }>): string {
  const rejections = (driver.rejects ?? []).map(
    (field) =>
      `  *,${field},*) printf '%s\\n' ${sh(`Field "${field}" is not a valid field to query.`)}; exit 2 ;;`,
  );
  return [
    'case "$1" in',
    `--help-query-gpu) cat ${sh(driver.help)} ;;`,
    `-q) cat ${sh(driver.xml ?? '/dev/null')} ;;`,
    `nvlink) case "$2" in -s) ${printOr(driver.nvlinkStatus)} ;; *) ${printOr(driver.nvlinkErrors)} ;; esac ;;`,
    '--query-gpu=*)',
    '  case ",${1#--query-gpu=}," in',
    ...rejections,
    '  esac',
    `  cat ${sh(driver.csv)} ;;`,
    '*) printf \'unknown mode %s\\n\' "$1"; exit 1 ;;',
    'esac',
  ].join('\n');
}

/** `cat FILE`, or what a driver without that mode does. */
function printOr(file: string | undefined): string {
  return file === undefined
    ? "echo 'Invalid combination of input arguments.'; exit 1"
    : `cat ${sh(file)}`;
}

/** Single-quotes a string for sh. */
function sh(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Whether a process runs (a zombie left for an init that does not reap counts as dead). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const testDir = dirname(fileURLToPath(import.meta.url));

/** Our own hand-written fixtures. */
export const ownFixtures = resolve(testDir, '..', 'fixtures', 'nvidia-smi');

/**
 * The real captures, read in place from `<repo>/../shared` (never copied into the project).
 * The repository root is three levels above this folder (`probes/test/support`).
 */
export const sharedCaptures = resolve(
  testDir,
  '..',
  '..',
  '..',
  '..',
  'shared',
  'fixtures',
  'nvidia-smi',
  'query-gpu-csv',
);

/** One sample line of an exposition. */
export interface SeriesLine {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export function parseSeries(exposition: string): SeriesLine[] {
  const lines = exposition.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  return lines.map((line) => {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match?.[1] || match[3] === undefined) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      if (pair[1] !== undefined) labels[pair[1]] = pair[2] ?? '';
    }
    return { name: match[1], labels, value: Number(match[3]) };
  });
}

/** The value of the one series with this name whose labels include `labels`; throws if several. */
export function seriesValue(
  exposition: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const found = parseSeries(exposition).filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1)
    throw new Error(`${found.length} series match ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
