import { systemClock, type Clock } from './clock.js';
import { SIMULATED_GPU_NODE, SIMULATED_GPUS } from './gpu/model.js';
import { DEFAULT_SIM_PORTS, SERVICE_NAMES } from './services/registry.js';
import type { ServiceName } from './services/types.js';
import {
  describeValue,
  optionalInt,
  rejectUnknownKeys,
  requireObject,
  ValidationError,
  type JsonObject,
} from './validate.js';
import type { GpuPool, RedisAddress } from './workload/index.js';

export interface SimulatorOptions {
  /** Interface every service binds to. @default '127.0.0.1' */
  host?: string;
  /** Port per service; 0 picks a free one. @default DEFAULT_SIM_PORTS (8000..8004) */
  ports?: Partial<Record<ServiceName, number>>;
  /** Adds a uniform random 0..N ms to every answer, for soak tests. @default 0 */
  latencyJitterMs?: number;
  /** Where fault changes and errors are reported. @default no output */
  log?: (line: string) => void;
  /**
   * Runs the demo factory pipeline writing its ledger, exports and readiness file under this
   * folder, with its switches at `/-/factory` on the agent service. @default off
   */
  factoryRoot?: string;
  /**
   * Every N ms the scheduler calls the agent and refinement calls evolution through
   * `layerFetch`, so `/metrics` shows cross-layer latency; 0 turns it off. @default 5000
   */
  crossLayerIntervalMs?: number;
  /**
   * Simulates a GPU node (four GPUs, a stand-in `nvidia-smi` and its state) under this
   * folder, with its fault switch at `/-/gpu` on the agent service. @default off
   */
  gpuDir?: string;
  /** How often the simulated GPUs' readings move. @default 1000 */
  gpuTickMs?: number;
  /**
   * The GPU node the layer 8 resources service allocates from and records allocation and
   * cost for: this machine's real node (its name as its GPU collector labels it, and its
   * GPU count). @default the simulated GPU node (`simulated-gpu-node`, four GPUs)
   */
  gpuNode?: { readonly name: string; readonly gpus: number };
  /**
   * `host:port` of the platform's Redis: the layer 4 task queue is mirrored into its list
   * `agent-tasks` every workload tick, so the Redis probe reads what the agents see.
   * @default none: the queue stays in the simulator's memory
   */
  redis?: string;
  /**
   * Every N ms each service's workload moves on (task queue, optimisations, generations,
   * the validation gate …) and records its domain metrics; 0 turns it off. @default 1000
   */
  workloadIntervalMs?: number;
  /**
   * Time and chance for faults, settings and the workloads: a fake (or faster) clock in
   * tests. @default the system clock and Math.random
   */
  clock?: Clock;
  /** How often the demo factory exports an order. @default 60000 */
  factoryExportEveryMs?: number;
  /** How often the demo factory runs its readiness check. @default 20000 */
  factoryReadinessEveryMs?: number;
}

export interface ResolvedOptions {
  factoryRoot: string | undefined;
  gpuDir: string | undefined;
  gpuTickMs: number;
  gpuPool: GpuPool;
  redis: RedisAddress | undefined;
  host: string;
  ports: Record<ServiceName, number>;
  latencyJitterMs: number;
  crossLayerIntervalMs: number;
  workloadIntervalMs: number;
  clock: Clock;
  factoryExportEveryMs: number;
  factoryReadinessEveryMs: number;
  log: (line: string) => void;
}

export const MAX_LATENCY_JITTER_MS = 60_000;
export const MAX_CROSS_LAYER_INTERVAL_MS = 3_600_000;

/** Defaults first, then validation, so a bad option fails before any port is taken. */
export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.trim() === '') {
    throw new ValidationError(`host: ${JSON.stringify(host)} is not a host name or address`);
  }
  const given = (options.ports ?? {}) as JsonObject;
  rejectUnknownKeys(given, SERVICE_NAMES, 'ports (services)');
  const ports = { ...DEFAULT_SIM_PORTS };
  for (const name of SERVICE_NAMES) {
    ports[name] = optionalInt(given, name, 0, 65_535) ?? ports[name];
  }
  rejectSharedPorts(ports);
  const jitter = optionalInt(
    { latencyJitterMs: options.latencyJitterMs },
    'latencyJitterMs',
    0,
    MAX_LATENCY_JITTER_MS,
  );
  const interval = optionalInt(
    { crossLayerIntervalMs: options.crossLayerIntervalMs },
    'crossLayerIntervalMs',
    0,
    MAX_CROSS_LAYER_INTERVAL_MS,
  );
  const workload = optionalInt(
    { workloadIntervalMs: options.workloadIntervalMs },
    'workloadIntervalMs',
    0,
    MAX_CROSS_LAYER_INTERVAL_MS,
  );
  const factoryMs = (key: 'factoryExportEveryMs' | 'factoryReadinessEveryMs', fallback: number) =>
    optionalInt({ [key]: options[key] }, key, 100, MAX_CROSS_LAYER_INTERVAL_MS) ?? fallback;
  return {
    host,
    ports,
    factoryExportEveryMs: factoryMs('factoryExportEveryMs', 60_000),
    factoryReadinessEveryMs: factoryMs('factoryReadinessEveryMs', 20_000),
    latencyJitterMs: jitter ?? 0,
    crossLayerIntervalMs: interval ?? 5_000,
    workloadIntervalMs: workload ?? 1_000,
    clock: options.clock ?? systemClock,
    log: options.log ?? (() => {}),
    factoryRoot: options.factoryRoot,
    gpuDir: options.gpuDir,
    gpuTickMs:
      optionalInt(
        { gpuTickMs: options.gpuTickMs },
        'gpuTickMs',
        100,
        MAX_CROSS_LAYER_INTERVAL_MS,
      ) ?? 1000,
    gpuPool: resolveGpuPool(options.gpuNode),
    redis: resolveRedis(options.redis),
  };
}

export const MAX_GPUS_PER_NODE = 1_024;

function resolveGpuPool(given: SimulatorOptions['gpuNode']): GpuPool {
  if (given === undefined) {
    return { node: SIMULATED_GPU_NODE, gpus: SIMULATED_GPUS.length, simulated: true };
  }
  const node = requireObject(given, 'gpuNode');
  rejectUnknownKeys(node, ['name', 'gpus'], 'gpuNode');
  const name = node['name'];
  if (typeof name !== 'string' || name.trim() === '') {
    throw new ValidationError(
      `gpuNode.name: ${describeValue(name)} is not a node name (the \`node\` label of its GPU series)`,
    );
  }
  const gpus = optionalInt(node, 'gpus', 0, MAX_GPUS_PER_NODE);
  if (gpus === undefined) {
    throw new ValidationError(
      `gpuNode.gpus: missing; expected an integer in 0..${MAX_GPUS_PER_NODE}`,
    );
  }
  return { node: name, gpus, simulated: false };
}

function resolveRedis(given: unknown): RedisAddress | undefined {
  if (given === undefined) return undefined;
  const match = typeof given === 'string' ? /^\[?([^\]]+?)\]?:(\d+)$/.exec(given) : null;
  const port = Number(match?.[2]);
  if (!match?.[1] || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ValidationError(
      `redis: ${describeValue(given)} is not host:port with a port in 1..65535, e.g. 127.0.0.1:6379`,
    );
  }
  return { host: match[1], port };
}

function rejectSharedPorts(ports: Record<ServiceName, number>): void {
  const owner = new Map<number, ServiceName>();
  for (const name of SERVICE_NAMES) {
    const port = ports[name];
    const other = owner.get(port);
    if (port !== 0 && other !== undefined) {
      throw new ValidationError(`ports: ${other} and ${name} both ask for port ${port}`);
    }
    owner.set(port, name);
  }
}
