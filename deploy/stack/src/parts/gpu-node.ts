import { startDaemon } from '@layerwatch/probes';
import { pino } from 'pino';
import { gpuNodeName } from '../gpu-host.js';
import { need, type PartSpec } from '../part.js';
import { writeGpuNodeProbeConfig, type GpuSource } from '../probe-config.js';

/**
 * The GPU node (layer 8): its own probe daemon running only the GPU collector, as every
 * GPU node of a deployment runs one, scraped under the GPU-node job. It reads this
 * machine's nvidia-smi, or the simulated node's stand-in where there is none.
 */
export const gpuNodePart: PartSpec = {
  name: 'gpuNode',
  title: 'GPU node daemon',
  needs: ['sim'],
  async start({ options, host, ports, state }) {
    const simulated = need(state, 'sim', 'gpuNode').gpu;
    const gpu: GpuSource = simulated
      ? {
          kind: 'simulated',
          nvidiaSmiPath: simulated.nvidiaSmiPath,
          kernelLogPath: simulated.kernelLogPath,
        }
      : { kind: 'real' };
    const node = gpuNodeName(simulated !== undefined);
    const daemon = await startDaemon({
      configFile: await writeGpuNodeProbeConfig(options.dir, gpu, node, options.intervalSeconds),
      listen: `${host}:${ports.gpuNode}`,
      logger: pino({ name: 'layerwatch-gpu-node', level: options.logLevel ?? 'warn' }),
    });
    state.gpuNode = { daemon, node };
    return {
      name: 'GPU node daemon',
      urls: [`${daemon.url}/metrics  (node ${node}${simulated ? ', SIMULATED GPUs' : ''})`],
      stop: () => daemon.stop(),
    };
  },
};
