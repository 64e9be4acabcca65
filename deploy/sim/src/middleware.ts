import { setTimeout as sleep } from 'node:timers/promises';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { jitter } from './clock.js';
import { ValidationError } from './validate.js';
import type { ServiceContext } from './services/types.js';

export const FAULT_BODY = { status: 'unhealthy', reason: 'injected fault' } as const;

/** Waits `ms`; false when the simulator stopped meanwhile (the socket is gone, answer nothing). */
async function wait(ms: number, stopped: AbortSignal): Promise<boolean> {
  if (ms <= 0) return !stopped.aborted;
  try {
    await sleep(ms, undefined, { signal: stopped });
    return true;
  } catch {
    return false;
  }
}

/** Environment-level latency: random 0..maxMs on every answer, faulted or not. */
export function latencyJitter(context: ServiceContext, maxMs: number): RequestHandler {
  return async (_req, _res, next) => {
    if (await wait(jitter(context.clock, maxMs), context.stopped)) next();
  };
}

/** Plays the service's current fault on each request that reaches it. */
export function injectFault(context: ServiceContext): RequestHandler {
  return async (_req, res, next) => {
    const verdict = context.faults.verdict();
    if (verdict.kind === 'hang') return; // hold the request open; stop() destroys the socket
    if (verdict.kind === 'fail') {
      res.status(verdict.status).json(FAULT_BODY);
      return;
    }
    if (await wait(verdict.delayMs, context.stopped)) next();
  };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: `no route ${req.method} ${req.path}` });
};

interface HttpError {
  status?: unknown;
  type?: unknown;
  message?: unknown;
}

/** Every error answers JSON: bad requests say what to fix, never an HTML stack. */
export function errorHandler(context: ServiceContext): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (error instanceof ValidationError) {
      res.status(400).json({ error: error.message });
      return;
    }
    const { status, type, message } = (error ?? {}) as HttpError;
    // body-parser marks its errors with a type and a 4xx status.
    if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
      const what = type === 'entity.parse.failed' ? 'invalid JSON body' : 'bad request body';
      res.status(status).json({ error: `${what}: ${String(message)}` });
      return;
    }
    context.log(`${context.name}: internal error: ${String(message ?? error)}`);
    res.status(500).json({ error: 'internal error' });
  };
}
