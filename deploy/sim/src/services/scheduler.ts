import { Router } from 'express';
import type { ServiceModule } from './types.js';
import { TASK_QUEUE } from '@layerwatch/vocabulary';

/** Layer 4 scheduler: the task queue its workload fills and the agents drain. */
export const QUEUE_NAME = TASK_QUEUE;

export const schedulerService: ServiceModule = {
  create({ workloads }) {
    const routes = Router();
    routes.get('/health/queue', (_req, res) => {
      res.json({ status: 'healthy', queue: QUEUE_NAME, depth: workloads.scheduler.queueDepth });
    });
    return { routes };
  },
};
