import { Router } from 'express';
import type { ServiceModule } from './types.js';

/**
 * Layer 8 resources: the GPU resource manager the GPU nodes register with. `/api/gpus` is
 * its allocation view, per node, read from its workload so it agrees with `/metrics`.
 */
export const resourcesService: ServiceModule = {
  create({ workloads }) {
    const routes = Router();
    routes.get('/api/gpus', (_req, res) => {
      res.json({ status: 'healthy', nodes: workloads.resources.allocations() });
    });
    return { routes };
  },
};
