import { join } from 'node:path';
import { startSimulator } from '@layerwatch/sim';
import { onPath } from '../on-path.js';
import type { PartSpec } from '../part.js';

/**
 * The layer simulator on its ports, with the demo factory pipeline writing under `dir`, and
 * a simulated GPU node where this machine has no `nvidia-smi` (a real one always wins).
 */
export const simulatorPart: PartSpec = {
  name: 'sim',
  title: 'Layer simulator',
  needs: [],
  async start({ options, host, ports, factoryRoot, state }) {
    const interval = options.intervalSeconds;
    const simulateGpu = !(await onPath('nvidia-smi'));
    const sim = await startSimulator({
      host,
      ports: ports.sim,
      factoryRoot,
      ...(simulateGpu && { gpuDir: join(options.dir, 'simulated-gpu') }),
      ...(simulateGpu && interval !== undefined && { gpuTickMs: interval * 1000 }),
      latencyJitterMs: options.latencyJitterMs ?? 0,
      // Tests: the factory's readiness and the cross-layer calls every interval.
      ...(interval !== undefined && {
        factoryExportEveryMs: 60_000,
        factoryReadinessEveryMs: interval * 1000,
        crossLayerIntervalMs: interval * 1000,
      }),
      ...(options.log && { log: options.log }),
    });
    state.sim = sim;
    return {
      name: 'Layer simulator',
      urls: [
        ...Object.entries(sim.services).map(
          ([name, s]) => `${s.url}/health  (layer ${s.layer} ${name})`,
        ),
        ...(sim.gpu
          ? [
              `${sim.services.agent.url}/-/gpu  (SIMULATED GPU node: no nvidia-smi here; ${sim.gpu.nvidiaSmiPath} stands in)`,
            ]
          : []),
      ],
      stop: () => sim.stop(),
    };
  },
};
