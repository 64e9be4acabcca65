import { Router } from 'express';
import { parseFault } from './fault.js';
import { parseLogLevel, parseMaintenance } from './settings.js';
import type { ServiceContext } from './services/types.js';

/**
 * Routes shared by every service that stay reachable under any fault: the fault switch
 * itself, maintenance mode and log level. Mounted ahead of the fault middleware.
 */
export function controlRoutes(context: ServiceContext): Router {
  const router = Router();
  const { faults, settings } = context;

  router.get('/-/fault', (_req, res) => {
    res.json(faults.snapshot());
  });
  router.post('/-/fault', (req, res) => {
    faults.set(parseFault(req.body, context.name));
    context.log(`${context.name}: fault set to ${JSON.stringify(faults.current())}`);
    res.json(faults.snapshot());
  });

  router.get('/api/maintenance', (_req, res) => {
    res.json({ enabled: settings.maintenance });
  });
  router.put('/api/maintenance', (req, res) => {
    settings.maintenance = parseMaintenance(req.body);
    context.log(`${context.name}: maintenance ${settings.maintenance ? 'on' : 'off'}`);
    res.json({ enabled: settings.maintenance });
  });

  router.get('/api/config/log-level', (_req, res) => {
    res.json(settings.logLevel());
  });
  router.put('/api/config/log-level', (req, res) => {
    settings.setLogLevel(parseLogLevel(req.body));
    res.json(settings.logLevel());
  });
  return router;
}
