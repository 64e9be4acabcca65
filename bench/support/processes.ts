import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

/**
 * Child processes for the benchmarks: each measured party runs in its own process so its
 * CPU time can be read from /proc, and every child is killed when the bench ends, fails
 * or is interrupted.
 */
const children = new Set<ChildProcess>();

function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** Clock ticks per second for /proc/<pid>/stat (`getconf CLK_TCK`, normally 100). */
export const CLOCK_TICKS = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU time of a whole process (all its threads) so far, in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: fields count from after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
  return (ticks * 1000) / CLOCK_TICKS;
}

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  /** The next JSON line the child prints on stdout. */
  nextMessage<T>(timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/** Starts a command, keeps its stdout lines as messages, and registers it for cleanup. */
export function startChild(command: string, args: readonly string[], name: string): Child {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  const stdout = child.stdout;
  if (stdout) {
    createInterface({ input: stdout }).on('line', (line) => {
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    });
  }
  const nextLine = (timeoutMs: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const ready = lines.shift();
      if (ready !== undefined) return resolve(ready);
      const timer = setTimeout(
        () => reject(new Error(`${name}: no message within ${timeoutMs} ms; stderr: ${stderr}`)),
        timeoutMs,
      );
      void exited.then(() =>
        reject(new Error(`${name} exited (${child.exitCode ?? child.signalCode}): ${stderr}`)),
      );
      waiters.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  return {
    process: child,
    pid: child.pid ?? -1,
    nextMessage: async <T>(timeoutMs = 30_000): Promise<T> => {
      for (;;) {
        const line = await nextLine(timeoutMs);
        if (line.startsWith('{')) return JSON.parse(line) as T;
      }
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      children.delete(child);
    },
  };
}

/** Whether children can be pinned to one CPU each (`taskset`, and at least 2 CPUs). */
export const CAN_PIN = ((): boolean => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return availableParallelism() >= 2;
  } catch {
    return false;
  }
})();

/**
 * Runs one of the TypeScript scripts next to this file in its own Node process (via tsx),
 * pinned to `cpu` when given and pinning is possible; `nodeArgs` go to Node itself
 * (`--cpu-prof`).
 */
export function startScript(
  script: string,
  args: readonly string[],
  cpu?: number,
  nodeArgs: readonly string[] = [],
): Child {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const node = [process.execPath, ...nodeArgs, '--import', 'tsx', file, ...args];
  if (cpu === undefined || !CAN_PIN) return startChild(node[0] ?? '', node.slice(1), script);
  return startChild('taskset', ['-c', String(cpu), ...node], script);
}

/** Polls a URL until it answers 2xx. */
export async function waitUntilUp(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The loopback target every prober probes: a Node HTTP server answering 200 "ok"; with
 * `tls`, HTTPS that closes the connection after every answer (a new handshake per probe).
 */
export async function startTargetServer(
  cpu?: number,
  tls?: { certFile: string; keyFile: string },
): Promise<Child & { port: number }> {
  const args = tls ? ['--tls', tls.certFile, tls.keyFile, '--close'] : [];
  const child = startScript('target-server.ts', args, cpu);
  const { port } = await child.nextMessage<{ port: number }>();
  return Object.assign(child, { port });
}

/**
 * How many connections the target server had accepted before this call; the call's own
 * connection (a fresh one, no agent) is not counted.
 */
export function targetConnections(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(
      { host: '127.0.0.1', port, path: '/__connections', agent: false },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve((JSON.parse(body) as { connections: number }).connections - 1));
      },
    );
    request.on('error', reject);
  });
}

/** Resident set size of a process now (VmRSS in /proc/<pid>/status), in bytes. */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}
