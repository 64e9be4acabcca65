import { setTimeout as sleep } from 'node:timers/promises';
import { Router } from 'express';
import type { ServiceModule } from './types.js';

/**
 * Layer 5 refinement: its models, the KPI ingestion lag and an optimize call, all read from
 * its workload, so the answers agree with what `/metrics` shows.
 */
export const refinementService: ServiceModule = {
  create({ clock, stopped, workloads }) {
    const work = workloads.refinement;
    const routes = Router();
    routes.get('/health/models', (_req, res) => {
      res.json({ status: 'healthy', models: work.models() });
    });
    routes.get('/health/kpi', (_req, res) => {
      res.json({ status: 'healthy', kpi_ingestion_lag_seconds: work.kpiLagSeconds });
    });
    routes.post('/api/optimize', async (_req, res) => {
      const started = clock.now();
      const seconds = work.optimizationSeconds();
      try {
        await sleep(seconds * 1000, undefined, { signal: stopped });
      } catch {
        return; // simulator stopped mid-call; the socket is gone
      }
      work.recordOptimization(seconds);
      res.json({ status: 'optimized', improvement: 0.03, duration_ms: clock.now() - started });
    });
    return { routes };
  },
};
