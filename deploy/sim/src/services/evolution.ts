import { Router } from 'express';
import { OK_FAULT } from '../fault.js';
import { optionalInt, rejectUnknownKeys, requireObject } from '../validate.js';
import type { ServiceModule } from './types.js';
import { httpService } from '@layerwatch/vocabulary';

/**
 * Layer 7 evolution: a population at some generation, and a rollback that also clears the
 * injected fault — the remediation "rollback" action relies on it to recover the layer.
 */
const START_GENERATION = 42;

function parseRollback(input: unknown, current: number): number {
  // A POST without a JSON body means "one generation back".
  const body = input === undefined ? {} : requireObject(input, 'rollback');
  rejectUnknownKeys(body, ['generation'], 'a rollback request');
  return optionalInt(body, 'generation', 0, current) ?? Math.max(0, current - 1);
}

export const evolutionService: ServiceModule = {
  layer: httpService('evolution').layer,
  defaultPort: httpService('evolution').port,
  create(context) {
    let generation = START_GENERATION;
    const control = Router();
    control.post('/api/evolution/rollback', (req, res) => {
      generation = parseRollback(req.body, generation);
      context.faults.set(OK_FAULT);
      context.log(`${context.name}: rolled back to generation ${generation}, fault cleared`);
      res.json({ status: 'rolled_back', generation });
    });

    const routes = Router();
    routes.get('/api/population/status', (_req, res) => {
      res.json({
        status: 'healthy',
        generation,
        population_size: 64,
        diversity: 0.73,
        best_fitness: 0.91,
      });
    });
    return { control, routes };
  },
};
