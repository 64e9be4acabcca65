import { setTimeout as sleep } from 'node:timers/promises';
import { Router } from 'express';
import type { ServiceModule } from './types.js';
import { httpService } from '@layerwatch/vocabulary';

/** Layer 5 refinement: loaded models, KPI ingestion lag and an optimize call that takes time. */
const MODELS = [
  { name: 'refiner-small', status: 'loaded' },
  { name: 'refiner-large', status: 'loaded' },
];
const KPI_LAG_SECONDS = 2.5;
const OPTIMIZE_MS = 5;

export const refinementService: ServiceModule = {
  layer: httpService('refinement').layer,
  defaultPort: httpService('refinement').port,
  create({ clock, stopped }) {
    const routes = Router();
    routes.get('/health/models', (_req, res) => {
      res.json({ status: 'healthy', models: MODELS });
    });
    routes.get('/health/kpi', (_req, res) => {
      res.json({ status: 'healthy', kpi_ingestion_lag_seconds: KPI_LAG_SECONDS });
    });
    routes.post('/api/optimize', async (_req, res) => {
      const started = clock.now();
      try {
        await sleep(OPTIMIZE_MS, undefined, { signal: stopped });
      } catch {
        return; // simulator stopped mid-call; the socket is gone
      }
      res.json({ status: 'optimized', improvement: 0.03, duration_ms: clock.now() - started });
    });
    return { routes };
  },
};
