import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_TYPES, type ExpositionFormat } from './format.js';
import { negotiateFormat } from './negotiate.js';

/** A plain Node request handler; Express mounts it as it is: `app.get('/metrics', handler)`. */
export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The `/metrics` handler: negotiates the format, renders one collection, and never throws.
 * A failed collection answers 500 with a comment line saying why, and goes to `onError`.
 */
export function createMetricsHandler(
  render: (format: ExpositionFormat) => Promise<string>,
  onError: (error: unknown) => void,
): MetricsHandler {
  return (req, res) => {
    const format = negotiateFormat(req.headers.accept);
    render(format).then(
      (body) => answer(req, res, 200, CONTENT_TYPES[format], body),
      (error: unknown) => {
        onError(error);
        const reason = error instanceof Error ? error.message : String(error);
        answer(
          req,
          res,
          500,
          CONTENT_TYPES.text,
          `# metrics collection failed: ${oneLine(reason)}\n`,
        );
      },
    );
  };
}

function answer(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(req.method === 'HEAD' ? undefined : body);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
