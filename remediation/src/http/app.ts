import express, {
  type ErrorRequestHandler,
  type Express,
  type Request,
  type RequestHandler,
} from 'express';
import { fail, type Outcome } from '../engine/outcome.js';
import { printable } from '../input/storable.js';
import { authenticate, verifyAndParse } from './auth-middleware.js';
import type { ServiceContext } from './context.js';
import { auditAndSend, deny, locals } from './request.js';
import { actionRoutes } from './routes-actions.js';
import { auditRoutes } from './routes-audit.js';
import { webhookRoutes } from './routes-webhook.js';

/**
 * Order is the design: metrics and health (no auth, never audited), then for the API and
 * the webhook: bearer token (before the body is read), size-capped raw body, optional
 * HMAC over it, JSON; then the routes. Everything past the token check is audited.
 */
export function createApp(ctx: ServiceContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(requestMetrics(ctx));

  app.get('/-/healthy', (_req, res) => void res.type('text/plain').send('OK\n'));
  app.get('/-/ready', async (_req, res) => {
    const ready = await ctx.store.lastAudit().then(
      () => true,
      () => false,
    );
    res
      .status(ready ? 200 : 503)
      .type('text/plain')
      .send(ready ? 'Ready\n' : 'store unavailable\n');
  });
  app.get('/metrics', async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });

  app.use(['/api', '/alertmanager'], authenticate(ctx));
  app.use(
    ['/api', '/alertmanager'],
    express.raw({ type: () => true, limit: ctx.config.limits.bodyBytes }),
    verifyAndParse(ctx),
  );
  app.use(actionRoutes(ctx), auditRoutes(ctx), webhookRoutes(ctx));
  app.use(async (req, res) => {
    await auditAndSend(
      ctx,
      req,
      res,
      fail(404, 'not_found', `no route ${req.method} ${req.path}`),
      'read',
    );
  });
  app.use(errorHandler(ctx));
  return app;
}

function requestMetrics(ctx: ServiceContext): RequestHandler {
  return (req, res, next) => {
    locals(res).started = performance.now();
    res.once('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'other';
      ctx.metrics.requests.inc({ route, code: String(res.statusCode) });
    });
    next();
  };
}

function errorHandler(ctx: ServiceContext): ErrorRequestHandler {
  return async (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      res.end();
      return;
    }
    const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
    if (type === 'entity.too.large') {
      const outcome = fail(
        413,
        'body_too_large',
        `request body is over the ${ctx.config.limits.bodyBytes}-byte limit`,
      );
      await deny(ctx, req, res, outcome);
      return;
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      await deny(ctx, req, res, bodyError(error as Error, status, type, req));
      return;
    }
    ctx.log('internal error', { error: String(error), path: req.path });
    await auditAndSend(
      ctx,
      req,
      res,
      fail(500, 'internal_error', 'internal error (the server log has the details)'),
      'read',
    );
  };
}

/**
 * A body the parser refused: an unsupported Content-Encoding (415) or one that does not
 * decode (zlib and brotli errors carry status 400 but no type), or any other 4xx.
 */
function bodyError(error: Error, status: number, type: unknown, req: Request): Outcome {
  const encoding = printable(req.get('content-encoding') ?? 'identity', 40);
  if (type === 'encoding.unsupported') {
    return fail(
      415,
      'unsupported_encoding',
      `Content-Encoding "${encoding}" is not supported: send gzip, deflate, br or none`,
    );
  }
  if (type === undefined) {
    return fail(
      400,
      'invalid_encoding',
      `request body does not decode as Content-Encoding "${encoding}": ${printable(error.message)}`,
    );
  }
  return fail(status, 'bad_request', `bad request body (${printable(String(type))})`);
}
