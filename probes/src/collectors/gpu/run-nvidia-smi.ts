import { type ChildProcess, spawn } from 'node:child_process';
import { errorCode, errorMessage } from '../../util/errors.js';

export type RunOutcome =
  | { readonly ok: true; readonly stdout: string; readonly stderr: string }
  | {
      readonly ok: false;
      readonly reason: string;
      /**
       * What it printed, when it ran to a non-zero exit: `nvidia-smi -q -x` still prints the
       * GPUs it can read when one of them is lost ("Unable to determine the device handle").
       */
      readonly printed?: { readonly stdout: string; readonly stderr: string };
    };

export interface RunOptions {
  /** A name looked up on PATH, or a path. */
  readonly path: string;
  readonly args: readonly string[];
  /** The child (and anything it started) is SIGKILLed after this long. */
  readonly timeoutMs: number;
  /** Aborting kills the child the same way (the collector's timeout, a stop). */
  readonly signal: AbortSignal;
  /** What to check when the binary is not found. @default 'is the NVIDIA driver installed?' */
  readonly missingHint?: string;
}

/** One GPU's CSV is ~200 bytes for our fields (a 212-field capture ~2 KiB); 8 GPUs fit many times. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
const EXCERPT_CHARS = 200;

/**
 * Runs nvidia-smi once, without a shell, and resolves with its stdout or the reason it
 * failed; never rejects. `spawn` rather than `execFile`, because only `spawn` can start the
 * child as the leader of its own process group (`detached`): a timeout or an abort SIGKILLs
 * the whole group, so a hung child (or a wrapper script's own children) never outlives it.
 */
export function runNvidiaSmi(options: RunOptions): Promise<RunOutcome> {
  const { path, signal, timeoutMs } = options;
  if (signal.aborted) {
    return Promise.resolve({ ok: false, reason: `not started: ${abortText(signal)}` });
  }
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(path, options.args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
        windowsHide: true,
      });
    } catch (error) {
      resolve({ ok: false, reason: `${path}: cannot start: ${errorMessage(error)}` });
      return;
    }
    const output = { stdout: '', stderr: '', bytes: 0 };
    let killedFor: string | undefined;
    let spawnError: unknown;
    const kill = (why: string): void => {
      if (killedFor !== undefined) return;
      killedFor = why;
      killGroup(child);
    };
    const onAbort = (): void => kill(`stopped: ${abortText(signal)}`);
    const timer = setTimeout(() => kill(`timed out after ${timeoutMs} ms`), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });

    const collect = (stream: 'stdout' | 'stderr') => (chunk: string) => {
      output.bytes += Buffer.byteLength(chunk);
      if (output.bytes > MAX_OUTPUT_BYTES) kill(`printed more than ${MAX_OUTPUT_BYTES} bytes`);
      else output[stream] += chunk;
    };
    child.stdout?.setEncoding('utf8').on('data', collect('stdout'));
    child.stderr?.setEncoding('utf8').on('data', collect('stderr'));
    child.on('error', (error) => {
      spawnError = error;
      // A failed spawn emits 'error' but never 'close'.
      if (child.pid === undefined) finish(null, null);
    });
    child.on('close', (code, exitSignal) => finish(code, exitSignal));

    function finish(code: number | null, exitSignal: NodeJS.Signals | null): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      const hint = options.missingHint ?? 'is the NVIDIA driver installed?';
      resolve(outcome({ path, hint, killedFor, spawnError, code, exitSignal, ...output }));
    }
  });
}

/** SIGKILLs the child's process group (it was started detached, so it leads one). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

interface Ended {
  readonly path: string;
  readonly hint: string;
  readonly killedFor: string | undefined;
  readonly spawnError: unknown;
  readonly code: number | null;
  readonly exitSignal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function outcome(ended: Ended): RunOutcome {
  const { path, stdout, stderr } = ended;
  const said = excerpt(stdout, stderr);
  if (ended.killedFor !== undefined) {
    return { ok: false, reason: `${path} ${ended.killedFor}; killed it${said}` };
  }
  if (ended.spawnError !== undefined) {
    switch (errorCode(ended.spawnError)) {
      case 'ENOENT':
        return { ok: false, reason: `${path} not found (ENOENT): ${ended.hint}` };
      case 'EACCES':
        return { ok: false, reason: `${path} is not executable (EACCES)` };
      default:
        return { ok: false, reason: `${path} failed to start: ${errorMessage(ended.spawnError)}` };
    }
  }
  if (ended.exitSignal !== null) {
    return { ok: false, reason: `${path} was killed by ${ended.exitSignal}${said}` };
  }
  if (ended.code !== 0) {
    const reason = `${path} exited with code ${ended.code}${said}`;
    return { ok: false, reason, printed: { stdout, stderr } };
  }
  return { ok: true, stdout, stderr };
}

/** What the tool said, shortened: stderr, else stdout (nvidia-smi prints most errors there). */
function excerpt(stdout: string, stderr: string): string {
  const [stream, text] = stderr.trim() ? ['stderr', stderr] : ['stdout', stdout];
  const flat = text.trim().replace(/\s+/g, ' ');
  if (!flat) return '';
  const short = flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
  return `; ${stream}: ${JSON.stringify(short)}`;
}

function abortText(signal: AbortSignal): string {
  return signal.reason === undefined ? 'aborted' : errorMessage(signal.reason);
}
