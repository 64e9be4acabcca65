import { createServer, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  closeServer,
  formatHostPort,
  listen,
  parseListenAddress,
  startTcpBalancer,
} from '../src/net/index.js';
import { freePort } from '../src/index.js';

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

describe('startTcpBalancer (a Service in front of replicas)', () => {
  async function named(name: string) {
    const server = createServer((_req, res) => res.end(name));
    const { port } = await listen(server, 0, '127.0.0.1');
    return { server, port };
  }

  it('hands connections to the backends in turn, and past one that refuses', async () => {
    const [a, b] = [await named('a'), await named('b')];
    const refusing = await freePort();
    const balancer = await startTcpBalancer(
      [a, { port: refusing }, b].map(({ port }) => ({ host: '127.0.0.1', port })),
    );
    try {
      const answers: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        // A new connection each time: the balancer chooses per connection.
        const response = await fetch(balancer.url, { headers: { connection: 'close' } });
        answers.push(await response.text());
      }
      // a, (refused → b), b, a, (refused → b), b
      expect(answers).toEqual(['a', 'b', 'b', 'a', 'b', 'b']);
    } finally {
      await balancer.stop();
      await Promise.all([closeServer(a.server), closeServer(b.server)]);
    }
  });

  it('refuses to start without a backend', async () => {
    await expect(startTcpBalancer([])).rejects.toThrow('a TCP balancer needs at least one backend');
  });
});
