import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callJson } from '../src/actions/http-client.js';

// A real loopback server: /hang never answers, /json answers JSON, /bad answers 500.
let server: Server;
let base: string;
let connections = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/hang') return;
    if (req.url === '/bad') return void res.writeHead(500).end('broken');
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, body }));
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('callJson', () => {
  it('sends the JSON body and reuses keep-alive connections: 20 calls in turn open at most 2', async () => {
    const before = connections;
    for (let i = 0; i < 20; i++) {
      const answer = await callJson('PUT', `${base}/json`, { n: i }, AbortSignal.timeout(5000), 5);
      expect(answer).toEqual({ method: 'PUT', body: JSON.stringify({ n: i }) });
    }
    // The pool may open a second socket while the first is being handed back.
    expect(connections - before).toBeLessThanOrEqual(2);
  });

  it('ends at its own timeout with a message naming the call', async () => {
    await expect(
      callJson('GET', `${base}/hang`, undefined, new AbortController().signal, 0.2),
    ).rejects.toThrow(`GET ${base}/hang failed: The operation was aborted due to timeout`);
  });

  it("ends when the caller's signal aborts first", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('action deadline')), 50);
    await expect(callJson('GET', `${base}/hang`, undefined, controller.signal, 30)).rejects.toThrow(
      `GET ${base}/hang failed: action deadline`,
    );
  });

  it('reports a non-2xx answer with its status and body', async () => {
    await expect(
      callJson('GET', `${base}/bad`, undefined, AbortSignal.timeout(5000), 5),
    ).rejects.toThrow(`GET ${base}/bad answered 500: broken`);
  });
});
