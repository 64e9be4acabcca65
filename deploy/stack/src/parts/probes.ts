import { startDaemon } from '@layerwatch/probes';
import { pino } from 'pino';
import { need, type PartSpec } from '../part.js';
import { writeLoopProbeConfig, writeStackProbeConfig } from '../probe-config.js';

/** The probe daemon: every layer's endpoints and both stores, and its collectors. */
export const probesPart: PartSpec = {
  name: 'probes',
  title: 'Probe daemon',
  needs: ['sim', 'redis', 'postgres'],
  async start({ options, host, ports, factoryRoot, state }) {
    const sim = need(state, 'sim', 'probes');
    const interval = options.intervalSeconds;
    const configFile =
      interval === undefined
        ? await writeStackProbeConfig(options.dir, factoryRoot)
        : await writeLoopProbeConfig(
            options.dir,
            sim,
            {
              redis: `${host}:${need(state, 'redis', 'probes').port}`,
              postgres: `${host}:${need(state, 'postgres', 'probes').port}`,
            },
            factoryRoot,
            interval,
          );
    const daemon = await startDaemon({
      configFile,
      listen: `${host}:${ports.probes}`,
      logger: pino({ name: 'layerwatch-probes', level: options.logLevel ?? 'warn' }),
    });
    state.probes = daemon;
    return {
      name: 'Probe daemon',
      urls: [
        `${daemon.url}/metrics`,
        `${daemon.url}/probe?target=${sim.services.agent.url}/health&module=http_healthy`,
      ],
      stop: () => daemon.stop(),
    };
  },
};
