import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultConfigPath } from '@layerwatch/probes';
import type { RunningSimulator } from '@layerwatch/sim';
import { TASK_QUEUE } from '@layerwatch/vocabulary';
import { parseDocument, stringify } from 'yaml';

/**
 * The GPU collector's settings: the real `nvidia-smi` where there is one, else the
 * simulated node's stand-in, its series labelled `node="simulated-gpu-node"`.
 */
export type GpuSource =
  | { readonly kind: 'real' }
  | { readonly kind: 'simulated'; readonly nvidiaSmiPath: string; readonly kernelLogPath: string };

/**
 * The GPU node daemon's config: no probe targets, the GPU collector only, every `interval`
 * seconds (15 s as `make up` runs it). Written to `<dir>/gpu-node/probes.yml`.
 */
export async function writeGpuNodeProbeConfig(
  dir: string,
  gpu: GpuSource,
  node: string,
  interval: number | undefined,
): Promise<string> {
  const every = `${interval ?? 15}s`;
  const collector = {
    enabled: true,
    interval: every,
    node,
    // Tests: the health pass every two intervals (never per scrape), its timeout one.
    ...(interval !== undefined && {
      health_interval: `${2 * interval}s`,
      health_timeout: `${interval}s`,
    }),
    ...(gpu.kind === 'simulated' && {
      nvidia_smi_path: gpu.nvidiaSmiPath,
      kernel_log: { source: 'file', file: gpu.kernelLogPath },
    }),
  };
  return writeConfig(
    join(dir, 'gpu-node'),
    stringify({ modules: {}, layers: [], collectors: { gpu: collector } }),
  );
}

/** Where the demo factory's readiness check writes its result, under the factory root. */
const READINESS_FILE = 'logs/ops_readiness.json';

/**
 * The probe daemon's config for `make up`: the embedded default, plus the collectors
 * pointed at the demo factory pipeline's folder (the GPU node's daemon collects the GPUs).
 * Written into the state folder so an operator can read what runs.
 */
export async function writeStackProbeConfig(
  stateDir: string,
  factoryRoot: string,
): Promise<string> {
  const doc = parseDocument(await readFile(defaultConfigPath(), 'utf8'));
  doc.set('collectors', {
    checksums: { enabled: true, root: factoryRoot, interval: '15s' },
    readiness: { enabled: true, file: join(factoryRoot, READINESS_FILE), interval: '10s' },
    gpu: { enabled: false },
  });
  doc.commentBefore =
    ' Written by `layerwatch up` from probes/config/default.yml; rewritten on every start.';
  return writeConfig(stateDir, doc.toString());
}

/**
 * The probe config of a fast loop (tests, the soak): every simulated service and both
 * shared stores probed every `interval` seconds, the collectors on the factory's files.
 */
export async function writeLoopProbeConfig(
  dir: string,
  sim: RunningSimulator,
  stores: { readonly redis: string; readonly postgres: string },
  factoryRoot: string,
  interval: number,
): Promise<string> {
  const timeout = '900ms';
  const config = {
    scheduler: { default_schedule: interval === 1 ? '* * * * * *' : `*/${interval} * * * * *` },
    modules: {
      http_healthy: {
        prober: 'http',
        timeout,
        http: { valid_status_codes: [200], json_assertions: ['$.status == "healthy"'] },
      },
      redis_queue: { prober: 'redis', timeout, redis: { queues: [TASK_QUEUE] } },
      postgres_ready: {
        prober: 'postgres',
        timeout,
        postgres: { user: 'layerwatch', database: 'layerwatch' },
      },
    },
    layers: [
      ...Object.entries(sim.services).map(([name, s]) => ({
        layer: s.layer,
        name,
        targets: [{ name, target: `${s.url}/health`, module: 'http_healthy' }],
      })),
      {
        layer: 'shared',
        name: 'data stores',
        targets: [
          { name: 'redis', target: stores.redis, module: 'redis_queue' },
          { name: 'postgres', target: stores.postgres, module: 'postgres_ready' },
        ],
      },
    ],
    collectors: {
      checksums: { enabled: true, root: factoryRoot, interval: `${interval}s` },
      readiness: {
        enabled: true,
        file: join(factoryRoot, READINESS_FILE),
        interval: `${interval}s`,
      },
    },
  };
  return writeConfig(dir, stringify(config));
}

async function writeConfig(dir: string, text: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'probes.yml');
  await writeFile(file, text);
  return file;
}
