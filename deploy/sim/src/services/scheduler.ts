import { Router } from 'express';
import type { ServiceModule } from './types.js';
import { httpService } from '@layerwatch/vocabulary';

/** Layer 4 scheduler: one task queue whose depth wanders a little, like a real one. */
export const QUEUE_NAME = 'agent-tasks';

export const schedulerService: ServiceModule = {
  layer: httpService('scheduler').layer,
  defaultPort: httpService('scheduler').port,
  create({ clock }) {
    const routes = Router();
    routes.get('/health/queue', (_req, res) => {
      const depth = 5 + Math.floor(clock.random() * 10);
      res.json({ status: 'healthy', queue: QUEUE_NAME, depth });
    });
    return { routes };
  },
};
