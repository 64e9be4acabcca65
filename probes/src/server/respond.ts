import type { ServerResponse } from 'node:http';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function sendText(
  response: ServerResponse,
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

/**
 * Sends a body made of parts, each written as it is (no joined copy, no string): its
 * length is the sum of theirs.
 */
export function sendBytes(
  response: ServerResponse,
  status: number,
  parts: readonly Uint8Array[],
  contentType: string,
): void {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  response.writeHead(status, { 'content-type': contentType, 'content-length': length });
  for (const part of parts) if (part.byteLength > 0) response.write(part);
  response.end();
}
