import type { Request, Response } from 'express';
import type { Caller } from '../engine/caller.js';
import type { Outcome } from '../engine/outcome.js';
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

/** The path as the client sent it, query included, capped for the audit log. */
export function requestPath(req: Request): string {
  return req.originalUrl.slice(0, 2048);
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
  try {
    const record = await ctx.audit.append({
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
    });
    if (typeof reason === 'string' && outcome.status >= 400) ctx.metrics.denials.inc({ reason });
    res.setHeader('X-Layerwatch-Audit-Id', record.id);
    send(res, outcome);
  } catch (error) {
    ctx.metrics.auditFailures.inc();
    ctx.log('audit write failed; answering 503', { error: String(error) });
    res.status(503).json({
      error: 'the audit log could not be written, so the answer is withheld; retry',
      reason: 'audit_unavailable',
    });
  }
}
