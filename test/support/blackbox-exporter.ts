import { freePort } from '@layerwatch/local';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export const BLACKBOX_BINARY = '/usr/bin/prometheus-blackbox-exporter';

export interface RunningBlackbox {
  readonly url: string;
  readonly process: ChildProcess;
  /** What it printed so far (logfmt), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts the real blackbox_exporter (Debian's `prometheus-blackbox-exporter`) on a free
 * loopback port and waits until `/-/healthy` answers.
 */
export async function startBlackbox(
  configFile: string,
  timeoutMs = 15_000,
): Promise<RunningBlackbox> {
  const port = await freePort();
  const child = spawn(
    BLACKBOX_BINARY,
    [`--config.file=${configFile}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`blackbox_exporter exited with ${child.exitCode}: ${output}`);
    }
    try {
      const response = await fetch(`${url}/-/healthy`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `blackbox_exporter did not answer /-/healthy within ${timeoutMs} ms: ${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url, process: child, log: () => output, stop };
}
