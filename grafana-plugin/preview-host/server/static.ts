import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { sendJson } from './forward.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves `relative` under `root`; anything resolving outside root is a 404, as is a folder. */
export async function serveFile(
  res: ServerResponse,
  root: string,
  relative: string,
): Promise<void> {
  const base = resolve(root);
  const file = resolve(base, `.${sep}${decodeURIComponent(relative)}`);
  if (file !== base && !file.startsWith(base + sep))
    return sendJson(res, 404, { message: 'Not found' });
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return sendJson(res, 404, { message: `Not found: ${relative}` });
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-cache',
  });
  createReadStream(file).pipe(res);
}
