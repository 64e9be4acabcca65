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

/** The modules of the loop's probes: HTTP health, the task queue, PostgreSQL ready. */
function loopModules() {
  const timeout = '900ms';
  return {
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
  };
}

export interface LoopTarget {
  readonly layer: string;
  readonly name: string;
  readonly target: string;
  readonly module: keyof ReturnType<typeof loopModules>;
}

/** What the loop probes: every simulated service and both shared stores. */
export function loopTargets(
  sim: RunningSimulator,
  stores: { readonly redis: string; readonly postgres: string },
): LoopTarget[] {
  return [
    ...Object.entries(sim.services).map(([name, s]) => ({
      layer: s.layer,
      name,
      target: `${s.url}/health`,
      module: 'http_healthy' as const,
    })),
    { layer: 'shared', name: 'redis', target: stores.redis, module: 'redis_queue' as const },
    {
      layer: 'shared',
      name: 'postgres',
      target: stores.postgres,
      module: 'postgres_ready' as const,
    },
  ];
}

/** The collectors on the demo factory's files, every `interval` seconds. */
function factoryCollectors(factoryRoot: string, interval: number) {
  return {
    checksums: { enabled: true, root: factoryRoot, interval: `${interval}s` },
    readiness: { enabled: true, file: join(factoryRoot, READINESS_FILE), interval: `${interval}s` },
  };
}

/**
 * The probe config of a fast loop (tests, the soak): every loop target probed every
 * `interval` seconds, the collectors on the factory's files.
 */
export async function writeLoopProbeConfig(
  dir: string,
  targets: readonly LoopTarget[],
  factoryRoot: string,
  interval: number,
): Promise<string> {
  // One group per service, as the embedded default has; the stores share one group.
  const groupOf = (t: LoopTarget): string => (t.layer === 'shared' ? 'data stores' : t.name);
  const layers = [...new Set(targets.map(groupOf))].map((group) => {
    const of = targets.filter((t) => groupOf(t) === group);
    return {
      layer: of[0]!.layer,
      name: group,
      targets: of.map(({ name, target, module }) => ({ name, target, module })),
    };
  });
  const config = {
    scheduler: { default_schedule: interval === 1 ? '* * * * * *' : `*/${interval} * * * * *` },
    modules: loopModules(),
    layers,
    collectors: factoryCollectors(factoryRoot, interval),
  };
  return writeConfig(dir, stringify(config));
}

/**
 * A probe daemon of the HA stack: the loop's modules, no scheduled targets (Prometheus
 * sends it its share of `/probe` requests); shard 0 also runs the factory's collectors,
 * which watch one set of files and must not be counted twice.
 */
export async function writeShardProbeConfig(
  dir: string,
  shard: number,
  factoryRoot: string,
  interval: number,
): Promise<string> {
  const config = {
    modules: loopModules(),
    layers: [],
    ...(shard === 0 && { collectors: factoryCollectors(factoryRoot, interval) }),
  };
  return writeConfig(join(dir, `probe-shard-${shard}`), stringify(config));
}

async function writeConfig(dir: string, text: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'probes.yml');
  await writeFile(file, text);
  return file;
}
