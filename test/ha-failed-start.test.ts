/**
 * A failed HA start leaves nothing running (#14): every part of the HA stack starts except
 * the last, Prometheus, whose binary here is a stand-in that never becomes ready. The start
 * must fail within Prometheus's ready timeout, naming it and quoting its log, and by then
 * have stopped everything it started: no child process (PostgreSQL, Redis, the three
 * Alertmanager peers, the remediation replicas, the stand-in) and no listening socket of
 * this process left behind.
 */
import { execFileSync } from 'node:child_process';
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { startComposition } from '@layerwatch/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const NEVER_READY = `#!/bin/sh
echo "stand-in prometheus: listening nowhere, never ready" >&2
exec sleep 600
`;

/** This process's children, as `pid command`, but for the `ps` that lists them. */
function children(): string[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], {
      encoding: 'utf8',
    });
  } catch {
    // ps exits 1 when there is no child to list
  }
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.endsWith(' ps'));
}

/** The TCP ports this process listens on (its socket fds matched against /proc/net/tcp*). */
async function listeningPorts(): Promise<number[]> {
  const fds = await readdir('/proc/self/fd');
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  const inodes = new Set(links.map((l) => /^socket:\[(\d+)\]$/.exec(l)?.[1]).filter(Boolean));
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const rows = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const row of rows) {
      const cols = row.trim().split(/\s+/);
      // cols: sl local remote state … inode (10th); 0A is LISTEN.
      if (cols[3] === '0A' && inodes.has(cols[9]))
        ports.push(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports.sort((a, b) => a - b);
}

let root: string;
let savedPath: string | undefined;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'layerwatch-ha-failed-start-'));
  const bin = join(root, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'prometheus'), NEVER_READY);
  await chmod(join(bin, 'prometheus'), 0o755);
  savedPath = process.env.PATH;
  process.env.PATH = `${bin}${delimiter}${savedPath ?? ''}`;
});

afterAll(async () => {
  process.env.PATH = savedPath;
  await rm(root, { recursive: true, force: true });
});

describe('a failed HA start', () => {
  it('names the part that never came up, quotes its log, and leaves nothing running', async () => {
    const childrenBefore = children();
    const portsBefore = await listeningPorts();
    // What ran meanwhile: the failure must come after real parts started, or this proves nothing.
    const seen = new Set<string>();
    const sampler = setInterval(() => {
      for (const child of children()) seen.add(child.split(' ').at(-1)!);
    }, 250);
    const started = Date.now();
    const error = await startComposition(['prometheus'], {
      dir: join(root, 'stack'),
      ports: 'free',
      logLevel: 'silent',
      intervalSeconds: 1,
      ha: { peerTimeout: '1s' },
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    clearInterval(sampler);
    const tookMs = Date.now() - started;
    console.log(
      `failed start took ${(tookMs / 1000).toFixed(1)} s, after ${[...seen].join(', ')} ran: ${error?.message}`,
    );
    expect([...seen].sort()).toEqual(expect.arrayContaining(['postgres', 'redis-server', 'sleep']));
    expect(
      [...seen].some((comm) => comm.startsWith('prometheus-ale') || comm === 'alertmanager'),
    ).toBe(true);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(/prometheus/);
    expect(error!.message).toContain('never ready');
    expect(children()).toEqual(childrenBefore);
    expect(await listeningPorts()).toEqual(portsBefore);
  }, 120_000);
});
