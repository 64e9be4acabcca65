import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterEach, describe, expect, it } from 'vitest';
import { redisCommands, startRedis, type RunningServer } from '../src/index.js';

const started: RunningServer[] = [];
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'layerwatch-redis-'));
  dirs.push(dir);
  return dir;
}

async function start(password?: string): Promise<RunningServer> {
  const server = await startRedis({
    dataDir: await tempDir(),
    ...(password === undefined ? {} : { password }),
  });
  started.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('startRedis', () => {
  it('starts a server on loopback that answers PING', async () => {
    const server = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(await redisCommands(server.host, server.port, [['PING']])).toEqual(['+PONG']);
  });

  it('requires AUTH when given a password', async () => {
    const server = await start('s3cret word');
    const [noAuth] = await redisCommands(server.host, server.port, [['PING']]);
    expect(noAuth).toMatch(/^-NOAUTH/);
    const replies = await redisCommands(server.host, server.port, [
      ['AUTH', 's3cret word'],
      ['PING'],
    ]);
    expect(replies).toEqual(['+OK', '+PONG']);
  });

  it('serves only TLS when given a certificate', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
    });
    const server = await startRedis({
      dataDir: await tempDir(),
      tls: { cert: pems.cert, key: pems.private },
    });
    started.push(server);
    expect(await redisCommands(server.host, server.port, [['PING']], { tls: true })).toEqual([
      '+PONG',
    ]);
    await expect(redisCommands(server.host, server.port, [['PING']])).rejects.toThrow();
  });

  it('says so when the port it was given is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await expect(startRedis({ dataDir: await tempDir(), port })).rejects.toThrow(
        /exited before it was ready:[\s\S]*Address already in use/,
      );
    } finally {
      blocker.close();
    }
  });

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
});

function connectOnce(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
}
