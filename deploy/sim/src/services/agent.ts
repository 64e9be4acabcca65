import { Router } from 'express';
import { optionalInt, rejectUnknownKeys, requireObject, ValidationError } from '../validate.js';
import type { ServiceModule } from './types.js';

/** Layer 4 agent service: a fixed pool of agents and the batching knob remediation tunes. */
const POOL = { total: 8, busy: 3, idle: 5 };
const DEFAULT_BATCH_SIZE = 32;

function parseBatching(input: unknown): number {
  const body = requireObject(input, 'batching');
  rejectUnknownKeys(body, ['batch_size'], 'a batching request');
  const size = optionalInt(body, 'batch_size', 1, 1024);
  if (size === undefined) {
    throw new ValidationError('batch_size: missing; expected an integer in 1..1024');
  }
  return size;
}

export const agentService: ServiceModule = {
  create() {
    let batchSize = DEFAULT_BATCH_SIZE;
    const control = Router();
    control.get('/api/config/batching', (_req, res) => {
      res.json({ batch_size: batchSize });
    });
    control.put('/api/config/batching', (req, res) => {
      batchSize = parseBatching(req.body);
      res.json({ batch_size: batchSize });
    });

    const routes = Router();
    routes.get('/health/agents', (_req, res) => {
      res.json({ status: 'healthy', agents: POOL });
    });
    return { control, routes };
  },
};
