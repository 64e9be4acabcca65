import { createServer, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { closeServer, formatHostPort, listen, parseListenAddress } from '../src/net/index.js';

describe('parseListenAddress', () => {
  it.each([
    ['127.0.0.1:9701', '127.0.0.1', 9701],
    ['localhost:0', 'localhost', 0],
    ['[::1]:9702', '::1', 9702],
    ['::1:9702', '::1', 9702],
  ])('%s is host %s, port %d', (text, host, port) =>
    expect(parseListenAddress(text)).toEqual({ host, port }),
  );
  it.each(['9701', 'localhost', 'localhost:http'])('%j is refused with the fix', (text) =>
    expect(() => parseListenAddress(text)).toThrow(
      `listen address "${text}" must be host:port, e.g. 127.0.0.1:9701`,
    ),
  );
});

describe('formatHostPort', () => {
  it('brackets an IPv6 host only', () => {
    expect(formatHostPort('127.0.0.1', 80)).toBe('127.0.0.1:80');
    expect(formatHostPort('::1', 80)).toBe('[::1]:80');
  });
});

describe('listen and closeServer', () => {
  it('binds a free port on 0 and rejects a taken one with the listen error', async () => {
    const first = createServer();
    const { port } = await listen(first, 0, '127.0.0.1');
    expect(port).toBeGreaterThan(0);
    await expect(listen(createServer(), port, '127.0.0.1')).rejects.toThrow(/EADDRINUSE/);
    await closeServer(first);
  });

  it('ends a request that never gets an answer instead of waiting for it', async () => {
    const server = createServer(() => undefined);
    const { port } = await listen(server, 0, '127.0.0.1');
    const ended = new Promise<string>((resolve) => {
      request({ host: '127.0.0.1', port, path: '/' })
        .on('error', (error) => resolve(error.message))
        .end();
    });
    await new Promise((resolve) => server.once('request', resolve));
    await closeServer(server);
    expect(await ended).toBe('socket hang up');
    expect(server.listening).toBe(false);
  });

  it('resolves at once for a server that never listened', async () => {
    await expect(closeServer(createServer())).resolves.toBeUndefined();
  });
});
