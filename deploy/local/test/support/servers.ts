import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterEach, expect, it } from 'vitest';
import type { PemPair, RunningServer } from '../../src/index.js';

/**
 * The servers and temp folders of one test file, stopped and removed after each test.
 * `prefix` names the folders (`layerwatch-<prefix>-…`).
 */
export function servers(prefix: string) {
  const started: { stop(): Promise<void> }[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.stop()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const tempDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), `layerwatch-${prefix}-`));
    dirs.push(dir);
    return dir;
  };
  return {
    tempDir,
    /** A temp folder with `config` written to `file` in it, and a data folder beside it. */
    async withConfig(
      file: string,
      config: string,
    ): Promise<{ dataDir: string; configFile: string }> {
      const dir = await tempDir();
      const configFile = join(dir, file);
      await writeFile(configFile, config);
      return { dataDir: join(dir, 'data'), configFile };
    },
    /** Stopped after the test. */
    keep<T extends { stop(): Promise<void> }>(server: T): T {
      started.push(server);
      return server;
    },
  };
}

/** Runs `use` with a loopback port that another listener holds meanwhile. */
export async function withTakenPort(use: (port: number) => Promise<void>): Promise<void> {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const address = blocker.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    await use(port);
  } finally {
    blocker.close();
  }
}

/** A self-signed EC certificate for `localhost`. */
export async function localhostCert(): Promise<PemPair> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * What every launcher does alike: `stop()` frees the port (a second stop is harmless), and
 * two servers started at once never get the same port.
 */
export function itStopsAndPicksItsOwnPort(start: () => Promise<RunningServer>): void {
  it('frees its port on stop', async () => {
    const server = await start();
    await server.stop();
    await expect(connectOnce(server.host, server.port)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    await server.stop(); // a second stop is harmless
  });

  it('gives two servers started at once different ports', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a?.port).not.toBe(b?.port);
  });
}

function connectOnce(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
}
