import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { LogFn } from './running-server.js';

const KEPT_LINES = 40;

export interface SpawnOptions {
  readonly log?: LogFn | undefined;
  readonly cwd?: string | undefined;
  /** Run as this user (PostgreSQL refuses to run as root). */
  readonly uid?: number | undefined;
  readonly gid?: number | undefined;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A spawned server or tool: its output (last lines kept for error messages) and its exit. */
export class ServerProcess {
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private exit: Exit | undefined;

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    options: SpawnOptions = {},
  ) {
    this.child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: options.cwd,
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => this.keep(line, options.log));
    }
    this.exited = new Promise((resolve) => {
      // 'error' (spawn failed) may come without 'exit'; 'close' waits for output to drain.
      this.child.once('error', (error) => {
        this.keep(`${name}: ${error.message}`, options.log);
        this.exit ??= { code: -1, signal: null };
        resolve(this.exit);
      });
      this.child.once('close', (code, signal) => {
        this.exit ??= { code, signal };
        resolve(this.exit);
      });
    });
    running.add(this);
    void this.exited.then(() => running.delete(this));
  }

  get hasExited(): boolean {
    return this.exit !== undefined;
  }

  /** The last lines the process printed, for error messages. */
  recentOutput(): string {
    return this.lines.join('\n');
  }

  /** Sends `signal`, and SIGKILL if the process is still there after `graceMs`. */
  async stop(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    if (this.exit) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.exit) this.child.kill(signal);
  }

  private keep(line: string, log: LogFn | undefined): void {
    this.lines.push(line);
    if (this.lines.length > KEPT_LINES) this.lines.shift();
    log?.(line);
  }
}

/** Runs a tool to completion; rejects with its output when it exits non-zero. */
export async function runToCompletion(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<void> {
  const tool = new ServerProcess(name, command, args, options);
  const exit = await tool.exited;
  if (exit.code !== 0) {
    throw new Error(`${name} failed (exit ${exit.code ?? exit.signal}):\n${tool.recentOutput()}`);
  }
}

// A test that dies before stop() must not leave servers behind: ask them to shut down.
const running = new Set<ServerProcess>();
process.once('exit', () => {
  for (const server of running) server.signal('SIGTERM');
});
