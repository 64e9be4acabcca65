import { describe, expect, it } from 'vitest';
import { redisCommands, startRedis, type RunningServer } from '../src/index.js';
import {
  itStopsAndPicksItsOwnPort,
  localhostCert,
  servers,
  withTakenPort,
} from './support/servers.js';

const { tempDir, keep } = servers('redis');

async function start(password?: string): Promise<RunningServer> {
  return keep(
    await startRedis({
      dataDir: await tempDir(),
      ...(password === undefined ? {} : { password }),
    }),
  );
}

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
    const server = keep(await startRedis({ dataDir: await tempDir(), tls: await localhostCert() }));
    expect(await redisCommands(server.host, server.port, [['PING']], { tls: true })).toEqual([
      '+PONG',
    ]);
    await expect(redisCommands(server.host, server.port, [['PING']])).rejects.toThrow();
  });

  it('says so when the port it was given is taken', async () => {
    await withTakenPort(async (port) => {
      await expect(startRedis({ dataDir: await tempDir(), port })).rejects.toThrow(
        /exited before it was ready:[\s\S]*Address already in use/,
      );
    });
  });

  itStopsAndPicksItsOwnPort(() => start());
});
