import { Router } from 'express';
import { parseGpuFault } from './faults.js';
import type { SimulatedGpuNode } from './index.js';
import { SIMULATED_GPUS } from './model.js';

/**
 * `GET /-/gpu` shows each simulated GPU's fault and last reading; `POST /-/gpu` sets one:
 * `{"gpu": 0, "mode": "hot" | "off-bus" | "ecc-uncorrectable" | "ok"}`.
 */
export function gpuRoutes(node: SimulatedGpuNode): Router {
  const router = Router();
  router.get('/-/gpu', (_req, res) => {
    res.json(state(node));
  });
  router.post('/-/gpu', async (req, res, next) => {
    try {
      await node.setFault(parseGpuFault(req.body, SIMULATED_GPUS.length));
      res.json(state(node));
    } catch (error) {
      next(error);
    }
  });
  return router;
}

function state(node: SimulatedGpuNode) {
  const faults = node.faults();
  return {
    nvidia_smi: node.nvidiaSmiPath,
    gpus: node.last().map((gpu, i) => ({
      index: gpu.spec.index,
      uuid: gpu.spec.uuid,
      fault: faults[i],
      utilization: gpu.utilizationGpu,
      temperature_celsius: gpu.readable ? gpu.temperatureGpu : null,
      ecc_uncorrectable: gpu.counters.eccUncorrectable,
    })),
  };
}
