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
 * set) and the answer back. A target that does not answer becomes 502 with the reason.
 */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  extra: Record<string, string>,
): void {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!DROPPED_REQUEST.has(name) && value !== undefined) headers[name] = value;
  }
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
  Object.assign(headers, extra);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(target, { method: req.method, headers }, (answer) => {
    const out: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (!DROPPED_RESPONSE.has(name) && value !== undefined) out[name] = value;
    }
    res.writeHead(answer.statusCode ?? 502, out);
    answer.pipe(res);
  });
  upstream.on('error', (e) => {
    if (!res.headersSent)
      sendJson(res, 502, {
        message: `Bad Gateway: ${target.origin} did not answer (${e.message})`,
      });
    else res.destroy();
  });
  req.pipe(upstream);
}
