import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { WrkResult } from './wrk.js';

const run = promisify(execFile);

export interface WrkScriptResult extends WrkResult {
  /** wrk's 99th percentile latency (`--latency`), in milliseconds. */
  readonly p99Ms: number;
}

/**
 * Runs `wrk` with one of the Lua scripts next to this file (its arguments after `--`),
 * pinned to `cpu` when given (`taskset`), and parses its summary and p99 latency.
 */
export async function wrkScript(
  url: string,
  options: {
    threads: number;
    connections: number;
    seconds: number;
    script: string;
    args: readonly string[];
    cpu?: number | undefined;
  },
): Promise<WrkScriptResult> {
  const script = fileURLToPath(new URL(options.script, import.meta.url));
  const wrkArgs = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--timeout',
    '5s',
    '--latency',
    '-s',
    script,
    url,
    '--',
    ...options.args,
  ];
  const [command, args] =
    options.cpu === undefined
      ? ['wrk', wrkArgs]
      : ['taskset', ['-c', String(options.cpu), 'wrk', ...wrkArgs]];
  const { stdout } = await run(command, args, { timeout: (options.seconds + 15) * 1000 });
  const total = /(\d+) requests in ([\d.]+)(m?s)/.exec(stdout);
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(stdout);
  if (!total || !rate || !p99) throw new Error(`cannot read wrk's output:\n${stdout}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    stdout,
  );
  const unit = { us: 0.001, ms: 1, s: 1000 }[p99[2] as 'us' | 'ms' | 's'];
  return {
    requests: Number(total[1]),
    seconds: Number(total[2]) / (total[3] === 'ms' ? 1000 : 1),
    requestsPerSecond: Number(rate[1]),
    non2xx: Number(non2xx?.[1] ?? 0),
    socketErrors: errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    p99Ms: Number(p99[1]) * unit,
  };
}
