import { Router } from 'express';
import { OK_FAULT } from '../fault.js';
import { optionalInt, rejectUnknownKeys, requireObject } from '../validate.js';
import type { ServiceModule } from './types.js';

/**
 * Layer 7 evolution: the population its workload evolves, and a rollback (counted in
 * `layerwatch_evolution_rollbacks_total`) that also clears the injected fault or scenario —
 * the remediation "rollback" action relies on it to recover the layer.
 */
function parseRollback(input: unknown, current: number): number | undefined {
  // A POST without a JSON body means "one generation back".
  const body = input === undefined ? {} : requireObject(input, 'rollback');
  rejectUnknownKeys(body, ['generation'], 'a rollback request');
  return optionalInt(body, 'generation', 0, current);
}

export const evolutionService: ServiceModule = {
  create(context) {
    const work = context.workloads.evolution;
    const control = Router();
    control.post('/api/evolution/rollback', (req, res) => {
      const generation = work.rollback(parseRollback(req.body, work.status().generation));
      context.faults.set(OK_FAULT);
      context.log(`${context.name}: rolled back to generation ${generation}, fault cleared`);
      res.json({ status: 'rolled_back', generation });
    });

    const routes = Router();
    routes.get('/api/population/status', (_req, res) => {
      res.json({ status: 'healthy', ...work.status() });
    });
    return { control, routes };
  },
};
