import type { Request, Response } from 'express';
import type { Caller } from '../engine/caller.js';
import type { Outcome } from '../engine/outcome.js';
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
