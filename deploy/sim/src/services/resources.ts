import { Router } from 'express';
import type { ServiceModule } from './types.js';
import { httpService } from '@layerwatch/vocabulary';

/**
 * Layer 8 resources: the GPU resource manager the GPU nodes register with. `/api/gpus` is
 * its allocation view, per node, read from its workload so it agrees with `/metrics`.
 */
export const resourcesService: ServiceModule = {
  layer: httpService('resources').layer,
  defaultPort: httpService('resources').port,
  create({ workloads }) {
    const routes = Router();
    routes.get('/api/gpus', (_req, res) => {
      res.json({ status: 'healthy', nodes: workloads.resources.allocations() });
    });
    return { routes };
  },
};
