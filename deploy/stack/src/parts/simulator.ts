import { startSimulator } from '@layerwatch/sim';
import type { PartSpec } from '../part.js';

/** The layer simulator on its ports, with the demo factory pipeline writing under `dir`. */
export const simulatorPart: PartSpec = {
  name: 'sim',
  title: 'Layer simulator',
  needs: [],
  async start({ options, host, ports, factoryRoot, state }) {
    const interval = options.intervalSeconds;
    const sim = await startSimulator({
      host,
      ports: ports.sim,
      factoryRoot,
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
      urls: Object.entries(sim.services).map(
        ([name, s]) => `${s.url}/health  (layer ${s.layer} ${name})`,
      ),
      stop: () => sim.stop(),
    };
  },
};
