import { open, stat } from 'node:fs/promises';
import type { KernelLogSettings } from '../../config/collector-settings.js';
import { errorMessage } from '../../util/errors.js';
import { runNvidiaSmi } from './run-nvidia-smi.js';

export type KernelLogRead =
  | { readonly ok: true; readonly lines: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Where XID lines come from: each read returns only the lines logged since the last one
 * (never the whole log again). `undefined` when the source is `off`.
 */
export interface KernelLog {
  /** `journalctl /usr/bin/journalctl`, `file /var/log/kern.log`: for the log. */
  readonly describe: string;
  read(signal: AbortSignal, timeoutMs: number): Promise<KernelLogRead>;
}

export function kernelLog(settings: KernelLogSettings): KernelLog | undefined {
  switch (settings.source) {
    case 'journalctl':
      return journalctlLog(settings.journalctl_path);
    case 'file':
      return fileLog(settings.file);
    case 'off':
      return undefined;
  }
}

/** The first read of a boot's kernel messages: its last lines only, so it stays small. */
const FIRST_READ_LINES = 10_000;
const CURSOR = /^-- cursor: (.+)$/m;

/**
 * `journalctl -k` (the kernel's messages of this boot), read from a cursor: the first read
 * takes the last lines of the boot (XIDs since boot, as a counter should start), every
 * later one `--after-cursor` the cursor the previous read ended on.
 */
export function journalctlLog(path: string): KernelLog {
  let cursor: string | undefined;
  return {
    describe: `journalctl ${path}`,
    async read(signal, timeoutMs) {
      const from =
        cursor === undefined
          ? ['-b', '-n', String(FIRST_READ_LINES)]
          : [`--after-cursor=${cursor}`];
      const run = await runNvidiaSmi({
        path,
        args: ['-k', '-o', 'short-iso', '--no-pager', '--show-cursor', ...from],
        timeoutMs,
        signal,
        missingHint: 'is systemd-journald on this host, and journalctl in the container?',
      });
      if (!run.ok) return run;
      const found = CURSOR.exec(run.stdout);
      // No cursor line: no new entries ("-- No entries --"); the old cursor stays.
      if (found?.[1]) cursor = found[1];
      return {
        ok: true,
        lines: run.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('-- ')),
      };
    },
  };
}

/** The most a read takes; a log that grew more since keeps only its newest part. */
const MAX_READ_BYTES = 4 * 1024 * 1024;

/**
 * A kernel log file (rsyslog's `kern.log`, or a test's), read from the byte offset the last
 * read ended on. A file that shrank was rotated or truncated: it is read from the start.
 */
export function fileLog(path: string): KernelLog {
  let offset: number | undefined;
  let partial = '';
  return {
    describe: `file ${path}`,
    async read() {
      try {
        const { size } = await stat(path);
        if (offset === undefined || size < offset) [offset, partial] = [0, ''];
        const start = Math.max(offset, size - MAX_READ_BYTES);
        const text = await readRange(path, start, size - start);
        offset = size;
        const lines = `${partial}${text}`.split('\n');
        // A line still being written waits for the next read.
        partial = lines.pop() ?? '';
        return { ok: true, lines };
      } catch (error) {
        return { ok: false, reason: `${path}: ${errorMessage(error)}` };
      }
    },
  };
}

async function readRange(path: string, position: number, length: number): Promise<string> {
  if (length <= 0) return '';
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
