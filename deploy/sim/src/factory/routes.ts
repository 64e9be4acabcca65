import { Router } from 'express';
import { rejectUnknownKeys, requireObject, ValidationError } from '../validate.js';
import type { FactoryPipeline } from './pipeline.js';

/**
 * `GET /-/factory` shows the demo pipeline's state; `POST /-/factory` flips its switches:
 * `{"corrupt": true|false, "readiness": "pass"|"fail", "export": true}`.
 */
export function factoryRoutes(factory: FactoryPipeline): Router {
  const router = Router();
  router.get('/-/factory', (_req, res) => {
    res.json(factory.state());
  });
  router.post('/-/factory', async (req, res, next) => {
    try {
      const body = requireObject(req.body, 'factory switch');
      rejectUnknownKeys(body, ['corrupt', 'readiness', 'export'], 'a factory switch');
      const { corrupt, readiness } = body;
      if (corrupt !== undefined && typeof corrupt !== 'boolean') {
        throw new ValidationError(`corrupt: ${JSON.stringify(corrupt)} is not true or false`);
      }
      if (readiness !== undefined && readiness !== 'pass' && readiness !== 'fail') {
        throw new ValidationError(
          `readiness: ${JSON.stringify(readiness)} is not one of pass, fail`,
        );
      }
      if (body.export === true) await factory.exportOrder();
      if (corrupt !== undefined) await factory.setCorrupted(corrupt);
      if (readiness !== undefined) factory.setReadiness(readiness);
      res.json(factory.state());
    } catch (error) {
      next(error);
    }
  });
  return router;
}
