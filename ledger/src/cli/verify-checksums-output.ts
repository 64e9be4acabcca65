import cliProgress from 'cli-progress';
import type { VerificationReport, VerifyProgress } from '../verify/report.js';

/** What the CLI writes to: the process's streams, or captured ones in tests. */
export interface CliStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export const EXIT = { clean: 0, mismatches: 1, errors: 2, usage: 64 } as const;

/** 1 when any file mismatches (it wins: it is the finding); else 2 when anything could not be checked. */
export function exitCodeFor(report: VerificationReport): number {
  if (report.counts.mismatched > 0) return EXIT.mismatches;
  if (report.counts.unreadable > 0 || report.invalidEntries.length > 0) return EXIT.errors;
  return EXIT.clean;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 'B';
  for (const next of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${unit}`;
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

export interface ProgressView {
  update(progress: VerifyProgress): void;
  stop(): void;
}

/** A bar on a terminal (files, bytes, rate, ETA); plain lines, at most one a second, elsewhere. */
export function progressView(stream: CliStream, now: () => number = Date.now): ProgressView {
  return stream.isTTY ? barView(stream, now) : lineView(stream, now);
}

function rateAndEta(progress: VerifyProgress, elapsedMs: number): { rate: number; eta: number } {
  const rate = elapsedMs > 0 ? (progress.bytesDone / elapsedMs) * 1000 : 0;
  const eta = rate > 0 ? (progress.bytesTotal - progress.bytesDone) / rate : Infinity;
  return { rate, eta };
}

function barView(stream: CliStream, now: () => number): ProgressView {
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WritableStream,
      format:
        'verifying [{bar}] {percentage}% | {files} files | {bytes} | {rate}/s | ETA {etaText}',
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = now();
  let running = false;
  const payload = (p: VerifyProgress) => {
    const { rate, eta } = rateAndEta(p, now() - started);
    return {
      files: `${p.filesDone}/${p.filesTotal}`,
      bytes: `${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}`,
      rate: formatBytes(rate),
      etaText: formatSeconds(eta),
    };
  };
  return {
    update(progress) {
      const total = Math.max(progress.bytesTotal, 1);
      if (!running) bar.start(total, progress.bytesDone, payload(progress));
      else bar.update(progress.bytesDone, payload(progress));
      running = true;
    },
    stop: () => {
      if (running) bar.stop();
    },
  };
}

function lineView(stream: CliStream, now: () => number): ProgressView {
  const started = now();
  let lastLine = -Infinity;
  let last: VerifyProgress | undefined;
  const print = (p: VerifyProgress): void => {
    const { rate, eta } = rateAndEta(p, now() - started);
    stream.write(
      `progress: ${p.filesDone}/${p.filesTotal} files, ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}, ` +
        `${formatBytes(rate)}/s, ETA ${formatSeconds(eta)}\n`,
    );
    lastLine = now();
  };
  return {
    update(progress) {
      if (last === undefined) {
        stream.write(
          `verifying ${progress.filesTotal} files, ${formatBytes(progress.bytesTotal)}\n`,
        );
        lastLine = now();
      } else if (now() - lastLine >= 1000) print(progress);
      last = progress;
    },
    stop: () => {
      if (last && last.filesDone === last.filesTotal && now() - lastLine > 0) print(last);
    },
  };
}

const LIST_LIMIT = 50;

/** Problems, one a line, then the summary table. */
export function formatSummary(report: VerificationReport, exitCode: number): string {
  const lines: string[] = [];
  const list = (items: readonly string[]) => {
    lines.push(...items.slice(0, LIST_LIMIT));
    if (items.length > LIST_LIMIT) lines.push(`  … and ${items.length - LIST_LIMIT} more`);
  };
  list(
    report.files
      .filter((f) => f.status !== 'match')
      .map((f) =>
        f.status === 'mismatch'
          ? `MISMATCH   ${f.orderId}  ${f.path}  ledger ${f.expectedBytes} B ${f.expectedSha256.slice(0, 12)}…, disk ${f.bytes ?? '?'} B ${f.actualSha256?.slice(0, 12) ?? '?'}…`
          : `${f.status.toUpperCase().padEnd(10)} ${f.orderId}  ${f.path}  ${f.reason ?? ''}`.trimEnd(),
      ),
  );
  list(report.invalidEntries.flatMap((e) => e.message.split('\n').map((m) => `INVALID    ${m}`)));
  list(report.orphans.map((path) => `ORPHAN     ${path}`));
  if (lines.length > 0) lines.push('');
  const { counts } = report;
  const seconds = report.durationMs / 1000;
  const rows: [string, string][] = [
    ['files checked', String(counts.files)],
    ['matched', String(counts.matched)],
    ['mismatched', String(counts.mismatched)],
    ['unreadable', String(counts.unreadable)],
    ['changed while hashed', String(counts.changedDuringHash)],
    ['invalid entries', String(report.invalidEntries.length)],
    ['orphan files', String(report.orphans.length)],
    ['unsigned entries', String(report.entriesWithoutSignoff)],
    [
      'latest batch',
      report.latestBatch
        ? `${report.latestBatch} (${report.latestBatchExported ? 'exported' : 'NOT exported'})`
        : '-',
    ],
    ['bytes hashed', formatBytes(counts.hashedBytes)],
    ['time', `${seconds.toFixed(2)} s`],
    ['rate', `${formatBytes(seconds > 0 ? counts.hashedBytes / seconds : 0)}/s`],
    ['result', `${['clean', 'MISMATCHES', 'ERRORS'][exitCode] ?? 'ERRORS'} (exit ${exitCode})`],
  ];
  for (const [name, value] of rows) lines.push(`${name.padEnd(22)}${value}`);
  return `${lines.join('\n')}\n`;
}
