import { systemClock, type Clock } from './clock.js';
import { DEFAULT_SIM_PORTS, SERVICE_NAMES } from './services/registry.js';
import type { ServiceName } from './services/types.js';
import { optionalInt, rejectUnknownKeys, ValidationError, type JsonObject } from './validate.js';

export interface SimulatorOptions {
  /** Interface every service binds to. @default '127.0.0.1' */
  host?: string;
  /** Port per service; 0 picks a free one. @default DEFAULT_SIM_PORTS (8000..8003) */
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
  };
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
