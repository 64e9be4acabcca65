import type { Request, Response } from 'express';
import { z } from 'zod/v4';
import type { Caller } from '../engine/caller.js';
import { fail, type Outcome } from '../engine/outcome.js';
import { writeRecord } from '../engine/record.js';
import { redactUrl } from '../input/redact.js';
import type { ServiceContext } from './context.js';

/** Per-request state the middleware leaves for the routes. */
export interface Locals {
  caller?: Caller;
  started: number;
  /** The raw body, kept for HMAC and parsed once. */
  json?: unknown;
}

export function locals(res: Response): Locals {
  return res.locals as Locals;
}

export function sourceIp(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** The path as the client sent it, credentials in the query redacted, capped for the log. */
export function requestPath(req: Request): string {
  return redactUrl(req.originalUrl);
}

export function send(res: Response, outcome: Outcome): void {
  res.status(outcome.status).json(outcome.body);
}

/**
 * Records a request the engine does not handle (reads, denials) and answers it; if the
 * record cannot be written the answer is a 503 instead.
 */
export async function auditAndSend(
  ctx: ServiceContext,
  req: Request,
  res: Response,
  outcome: Outcome,
  mode: 'read' | 'denied' | 'webhook',
  extra: { action?: string; result?: unknown } = {},
): Promise<void> {
  const l = locals(res);
  const caller = l.caller;
  const reason = outcome.body['reason'];
  const denied = outcome.status === 401 || outcome.status === 403;
  const written = await writeRecord(
    ctx.audit,
    {
      actor: caller?.principal.subject ?? 'anonymous',
      role: caller?.principal.role ?? 'none',
      actingUser: caller?.actingUser,
      sourceIp: sourceIp(req),
      method: req.method,
      path: requestPath(req),
      ...(extra.action ? { action: extra.action } : {}),
      mode: denied ? 'denied' : mode,
      outcome:
        outcome.status < 400 ? 'allowed' : denied || outcome.status < 500 ? 'denied' : 'failed',
      status: outcome.status,
      durationMs: Math.round((performance.now() - l.started) * 1000) / 1000,
      ...(extra.result === undefined ? {} : { result: extra.result }),
      ...(typeof outcome.body['error'] === 'string' ? { error: outcome.body['error'] } : {}),
      ...(typeof reason === 'string' ? { reason } : {}),
    },
    ctx.metrics,
    ctx.log,
  );
  if (!written.ok) {
    send(res, written.outcome);
    return;
  }
  if (typeof reason === 'string' && outcome.status >= 400) ctx.metrics.denials.inc({ reason });
  res.setHeader('X-Layerwatch-Audit-Id', written.id);
  send(res, outcome);
}

/** Records and answers a request refused before any route ran. */
export function deny(
  ctx: ServiceContext,
  req: Request,
  res: Response,
  outcome: Outcome,
): Promise<void> {
  return auditAndSend(ctx, req, res, outcome, 'denied');
}

/** A paged list's query fields: `limit` (1 to 500, 50 by default), the `cursor` a page gave. */
export const PAGE_QUERY = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z
    .string()
    .regex(/^[0-9]{1,15}$/, 'a cursor from a previous page')
    .optional(),
};

/** Where the store starts a page: below the seq or id that `?cursor=` names. */
export function below(cursor: string | undefined): number | undefined {
  return cursor === undefined ? undefined : Number(cursor);
}

/** `nextCursor` (from the last item) when a page is full, so the client asks for the next. */
export function nextPage<T>(
  items: readonly T[],
  limit: number,
  cursor: (last: T) => string | number,
): { nextCursor?: string | number } {
  const last = items[items.length - 1];
  return items.length === limit && last !== undefined ? { nextCursor: cursor(last) } : {};
}

/**
 * The query as `schema` parses it; undefined once a 400 naming the first bad field has been
 * recorded and sent.
 */
export async function parseQuery<T>(
  ctx: ServiceContext,
  req: Request,
  res: Response,
  schema: z.ZodType<T>,
): Promise<T | undefined> {
  const parsed = schema.safeParse(req.query);
  if (parsed.success) return parsed.data;
  const i = parsed.error.issues[0];
  const message = `${i?.path.join('.') || 'query'}: ${i?.message}`;
  await auditAndSend(ctx, req, res, fail(400, 'invalid_query', message), 'read');
  return undefined;
}

/**
 * A paged list route (viewer reads): the query parsed by `schema`, the items `list` reads,
 * sent as `{[key]: items, nextCursor?}` and recorded.
 */
export function listRoute<Q extends { limit: number }, T>(
  ctx: ServiceContext,
  schema: z.ZodType<Q>,
  key: string,
  list: (query: Q) => Promise<readonly T[]>,
  cursor: (last: T) => string | number,
) {
  return async (req: Request, res: Response): Promise<void> => {
    const q = await parseQuery(ctx, req, res, schema);
    if (!q) return;
    const items = await list(q);
    const body = { [key]: items, ...nextPage(items, q.limit, cursor) };
    await auditAndSend(ctx, req, res, { status: 200, body }, 'read');
  };
}
