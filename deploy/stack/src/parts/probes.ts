import { startDaemon, type RunningDaemon } from '@layerwatch/probes';
import { freePort } from '@layerwatch/local';
import { pino } from 'pino';
import { need, type PartContext, type PartSpec, type StackState } from '../part.js';
import {
  loopTargets,
  writeLoopProbeConfig,
  writeShardProbeConfig,
  writeStackProbeConfig,
} from '../probe-config.js';
import { HA_TOPOLOGY } from '../ha/topology.js';

/** What the loop probes, with the stores' addresses as this composition started them. */
export function compositionTargets(host: string, state: StackState) {
  return loopTargets(need(state, 'sim', 'probes'), {
    redis: `${host}:${need(state, 'redis', 'probes').port}`,
    postgres: `${host}:${need(state, 'postgres', 'probes').port}`,
  });
}

async function probeConfig({ options, host, factoryRoot, state }: PartContext): Promise<string> {
  const interval = options.intervalSeconds;
  if (interval === undefined) return writeStackProbeConfig(options.dir, factoryRoot);
  return writeLoopProbeConfig(options.dir, compositionTargets(host, state), factoryRoot, interval);
}

function daemon(configFile: string, listen: string, level: string): Promise<RunningDaemon> {
  return startDaemon({
    configFile,
    listen,
    logger: pino({ name: 'layerwatch-probes', level }),
  });
}

/** HA: probe daemon `shard`, shard 0 on the composition's probe port. */
export async function startShardDaemon(ctx: PartContext, shard: number): Promise<RunningDaemon> {
  const { options, host, ports, factoryRoot } = ctx;
  const interval = options.intervalSeconds ?? 15;
  const file = await writeShardProbeConfig(options.dir, shard, factoryRoot, interval);
  const port = shard === 0 ? ports.probes : await freePort(host);
  return daemon(file, `${host}:${port}`, options.logLevel ?? 'warn');
}

/** HA: the probe daemons sharing the `/probe` targets. */
async function startShards(ctx: PartContext): Promise<RunningDaemon[]> {
  const count = ctx.options.ha?.probeShards ?? HA_TOPOLOGY.probeShards;
  const daemons: RunningDaemon[] = [];
  try {
    for (let shard = 0; shard < count; shard += 1) daemons.push(await startShardDaemon(ctx, shard));
  } catch (error) {
    await Promise.all(daemons.map((d) => d.stop()));
    throw error;
  }
  return daemons;
}

/** The probe daemon: every layer's endpoints and both stores, and its collectors. */
export const probesPart: PartSpec = {
  name: 'probes',
  title: 'Probe daemon',
  needs: ['sim', 'redis', 'postgres'],
  async start(ctx) {
    const { options, host, ports, state } = ctx;
    const daemons = options.ha
      ? await startShards(ctx)
      : [
          await daemon(
            await probeConfig(ctx),
            `${host}:${ports.probes}`,
            options.logLevel ?? 'warn',
          ),
        ];
    const first = daemons[0]!;
    state.probes = first;
    state.probeShards = daemons;
    const agent = need(state, 'sim', 'probes').services.agent.url;
    return {
      name: 'Probe daemon',
      urls: [
        ...daemons.map((d, i) =>
          daemons.length === 1 ? `${d.url}/metrics` : `${d.url}/metrics  (shard ${i})`,
        ),
        `${first.url}/probe?target=${agent}/health&module=http_healthy`,
      ],
      stop: async () => {
        await Promise.all(daemons.map((d) => d.stop()));
      },
    };
  },
};
