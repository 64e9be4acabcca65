import {
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Hop-by-hop headers a proxy never forwards (RFC 9110 §7.6.1), plus what Grafana strips. */
const DROPPED_REQUEST = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'host',
  'cookie',
  'set-cookie',
  'authorization',
]);
const DROPPED_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'set-cookie']);

/** Grafana's `[dataproxy] timeout`: how long its proxies wait for a backend's response headers. */
export const GRAFANA_PROXY_TIMEOUT_MS = 30_000;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Streams `req` to `target` (its query kept, cookies and credentials dropped, `extra` headers
 * set) and the answer back. A target that refuses becomes 502 with the reason; one that sends
 * no response headers within `timeoutMs` becomes 504 with an empty body, as Grafana answers.
 * A client that goes away cancels the upstream request.
 */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  extra: Record<string, string>,
  timeoutMs = GRAFANA_PROXY_TIMEOUT_MS,
): void {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!DROPPED_REQUEST.has(name) && value !== undefined) headers[name] = value;
  }
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
  Object.assign(headers, extra);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  let timedOut = false;
  const upstream = send(target, { method: req.method, headers }, (answer) => {
    clearTimeout(timer);
    const out: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (!DROPPED_RESPONSE.has(name) && value !== undefined) out[name] = value;
    }
    res.writeHead(answer.statusCode ?? 502, out);
    answer.pipe(res);
  });
  const timer = setTimeout(() => {
    timedOut = true;
    upstream.destroy(new Error(`no response headers within ${timeoutMs} ms`));
  }, timeoutMs);
  res.on('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) upstream.destroy();
  });
  upstream.on('error', (e) => {
    clearTimeout(timer);
    if (timedOut && !res.headersSent) {
      res.writeHead(504);
      res.end();
    } else if (!res.headersSent)
      sendJson(res, 502, {
        message: `Bad Gateway: ${target.origin} did not answer (${e.message})`,
      });
    else res.destroy();
  });
  req.pipe(upstream);
}
