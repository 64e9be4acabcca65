/**
 * Ctrl-C leaves nothing running (#14): `layerwatch up --ha` gets SIGINT while its parts are
 * still starting (PostgreSQL, Redis and the simulator up, the Alertmanager peers and the
 * Prometheus replicas not yet). It must stop everything it started, say so, and exit 0: no
 * process whose command line names its state folder is left, orphaned or not.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '@layerwatch/generate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(REPO, 'bin', 'layerwatch.js');

/** `pid command-line` of every process whose command line contains `text`. */
async function processesNaming(text: string): Promise<string[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const lines = await Promise.all(
    pids.map(async (pid) => {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      return cmdline.includes(text) ? `${pid} ${cmdline.replaceAll('\0', ' ')}` : undefined;
    }),
  );
  return lines.filter((line): line is string => line !== undefined);
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'layerwatch-up-interrupt-'));
  await chmod(root, 0o755); // PostgreSQL runs as its own user and keeps its data in the state folder
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('layerwatch up, interrupted while starting', () => {
  it('stops every part it started and exits 0', async () => {
    const stateDir = join(root, 'state');
    const up = spawn(
      process.execPath,
      [BIN, 'up', '--ha', '--free-ports', '--state-dir', stateDir],
      {
        cwd: root, // its token folder (.layerwatch) goes here
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    up.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    up.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let exitCode: number | null | undefined;
    const exited = new Promise<number | null>((resolve) =>
      up.once('exit', (code) => resolve((exitCode = code))),
    );
    // Mid-start: once remediation begins, PostgreSQL, Redis and the simulator are running.
    const deadline = Date.now() + 120_000;
    while (
      !output.includes('starting Remediation') &&
      exitCode === undefined &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(output).toContain('starting Remediation');
    const running = await processesNaming(stateDir);
    expect(running.length).toBeGreaterThan(0);
    up.kill('SIGINT');
    const code = await exited;
    expect(output).toContain('stopping …');
    expect(output).toContain('stopped.');
    expect(code).toBe(0);
    expect(await processesNaming(stateDir)).toEqual([]);
    console.log(`interrupted with ${running.length} processes running; all stopped`);
  }, 240_000);
});
