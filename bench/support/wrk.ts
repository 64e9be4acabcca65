import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkResult {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly non2xx: number;
  readonly socketErrors: number;
}

/** Runs `wrk` against one URL and parses its summary. */
export async function wrk(
  url: string,
  options: { threads: number; connections: number; seconds: number },
): Promise<WrkResult> {
  const { stdout } = await run(
    'wrk',
    [
      `-t${options.threads}`,
      `-c${options.connections}`,
      `-d${options.seconds}s`,
      '--timeout',
      '5s',
      url,
    ],
    { timeout: (options.seconds + 15) * 1000 },
  );
  const total = /(\d+) requests in ([\d.]+)(m?s)/.exec(stdout);
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  if (!total || !rate) throw new Error(`cannot read wrk's output:\n${stdout}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    stdout,
  );
  const seconds = Number(total[2]) / (total[3] === 'ms' ? 1000 : 1);
  return {
    requests: Number(total[1]),
    seconds,
    requestsPerSecond: Number(rate[1]),
    non2xx: Number(non2xx?.[1] ?? 0),
    socketErrors: errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}
