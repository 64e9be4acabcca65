import { join } from 'node:path';
import { formatHostPort } from '@layerwatch/local/net';
import { startSimulator } from '@layerwatch/sim';
import { countLocalGpus, gpuNodeName } from '../gpu-host.js';
import { onPath } from '../on-path.js';
import { need, type PartSpec } from '../part.js';

/**
 * The layer simulator on its ports, with the demo factory pipeline writing under `dir`, a
 * simulated GPU node where this machine has no `nvidia-smi` (a real one always wins: the
 * resources service then allocates this machine's GPUs), and the layer 4 task queue
 * mirrored into the stack's Redis, where the probe daemon reads its length.
 */
export const simulatorPart: PartSpec = {
  name: 'sim',
  title: 'Layer simulator',
  needs: ['redis'],
  async start({ options, host, ports, factoryRoot, state }) {
    const interval = options.intervalSeconds;
    const redis = need(state, 'redis', 'sim');
    const simulateGpu = !(await onPath('nvidia-smi'));
    const sim = await startSimulator({
      host,
      ports: ports.sim,
      factoryRoot,
      redis: formatHostPort(redis.host, redis.port),
      ...(simulateGpu
        ? { gpuDir: join(options.dir, 'simulated-gpu') }
        : { gpuNode: { name: gpuNodeName(false), gpus: await countLocalGpus() } }),
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
        ...(sim.kubernetes
          ? [`${sim.kubernetes.url}/api/v1/nodes  (SIMULATED Kubernetes API: no API server here)`]
          : []),
      ],
      stop: () => sim.stop(),
    };
  },
};
