import { Router, type RequestHandler } from 'express';
import { optionalInt, rejectUnknownKeys, requireObject } from './validate.js';

const MAX_ACTION_DELAY_MS = 60_000;

/**
 * How long the service takes to carry out a write (a rollback, a batching change), as a real
 * layer's admin action takes time: `PUT /-/action-delay {"ms": N}` sets it (0 by default,
 * at most a minute), `GET` reads it. The HA test kills a remediation replica while an
 * action is in flight with it.
 */
export function actionDelay(): { routes: Router; delay: RequestHandler } {
  let ms = 0;
  const routes = Router();
  routes.get('/-/action-delay', (_req, res) => {
    res.json({ ms });
  });
  routes.put('/-/action-delay', (req, res) => {
    const body = requireObject(req.body, 'action delay');
    rejectUnknownKeys(body, ['ms'], 'an action delay');
    ms = optionalInt(body, 'ms', 0, MAX_ACTION_DELAY_MS) ?? 0;
    res.json({ ms });
  });
  const delay: RequestHandler = (req, _res, next) => {
    if (ms === 0 || req.method === 'GET' || req.method === 'HEAD') next();
    else setTimeout(next, ms);
  };
  return { routes, delay };
}
