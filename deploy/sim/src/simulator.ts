import { createServer, type Server } from 'node:http';
import { Router } from 'express';
import type { LayerInstrumentation } from '@layerwatch/exporters';
import { closeServer, formatHostPort, listen } from '@layerwatch/local/net';
import { httpService } from '@layerwatch/vocabulary';
import { createServiceApp, SIM_VERSION } from './app.js';
import {
  factoryRoutes,
  startFactory,
  type FactoryPipeline,
  type RunningFactory,
} from './factory/index.js';
import type { Clock } from './clock.js';
import { parseFault, type FaultSpec } from './fault.js';
import { FaultSwitch } from './fault-switch.js';
import { resolveOptions, type ResolvedOptions, type SimulatorOptions } from './options.js';
import { SERVICE_NAMES, SERVICES } from './services/registry.js';
import type { ServiceContext, ServiceName } from './services/types.js';
import { ServiceSettings } from './settings.js';
import { startServiceInstrumentation } from './instrumentation/service-instrumentation.js';
import { crossLayerCalls } from './instrumentation/cross-layer-calls.js';
import {
  startSharedStoreStandIn,
  type SharedStoreStandIn,
} from './instrumentation/shared-stores.js';
import { startCrossLayerTraffic, type CrossLayerTraffic } from './instrumentation/traffic.js';
import {
  createWorkloads,
  startTicking,
  tickOrder,
  type Ticking,
  type Workloads,
} from './workload/index.js';
import { closest } from './validate.js';
import { startSimulatedGpuNode, type SimulatedGpuNode } from './gpu/index.js';
import { gpuRoutes } from './gpu/routes.js';
import { startSimulatedGpuCluster, type SimulatedKubernetes } from './kubernetes/index.js';

export interface ServiceEndpoint {
  url: string;
  port: number;
  layer: string;
}

export interface RunningSimulator {
  readonly services: Record<ServiceName, ServiceEndpoint>;
  /** The demo factory pipeline, when `factoryRoot` was given. */
  readonly factory: FactoryPipeline | undefined;
  /** The simulated GPU node, when `gpuDir` was given. */
  readonly gpu: SimulatedGpuNode | undefined;
  /** The SIMULATED Kubernetes API that knows the simulated GPU node, beside it. */
  readonly kubernetes: SimulatedKubernetes | undefined;
  /** Validates like `POST /-/fault`; throws with the same message on a bad spec. */
  setFault(service: ServiceName, fault: FaultSpec): void;
  /** Closes every server and socket, hanging ones included; safe to call twice. */
  stop(): Promise<void>;
}

interface Running {
  name: ServiceName;
  server: Server;
  context: ServiceContext;
  endpoint: ServiceEndpoint;
  instrumentation: LayerInstrumentation;
}

/** What the simulator started so far, so that one stop closes whatever got started. */
interface Parts {
  readonly resolved: ResolvedOptions;
  readonly stopController: AbortController;
  readonly clock: Clock;
  readonly instrumentations: ReadonlyMap<ServiceName, LayerInstrumentation>;
  readonly faults: ReadonlyMap<ServiceName, FaultSwitch>;
  readonly workloads: Workloads;
  readonly running: Running[];
  factory: RunningFactory | undefined;
  gpu: SimulatedGpuNode | undefined;
  kubernetes: SimulatedKubernetes | undefined;
  stores: SharedStoreStandIn | undefined;
  traffic: CrossLayerTraffic | undefined;
  ticking: Ticking | undefined;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const resolved = resolveOptions(options);
  const { clock } = resolved;
  // Instrumentation first: the factory (layer 4's work) counts its exports in the agent's,
  // and each workload records through its own service's.
  const instrumentations = await startInstrumentations(resolved);
  const faults = new Map(SERVICE_NAMES.map((name) => [name, new FaultSwitch(clock)]));
  const parts: Parts = {
    resolved,
    stopController: new AbortController(),
    clock,
    instrumentations,
    faults,
    workloads: createWorkloads(
      (name) => required(instrumentations, name),
      (name) => ({ clock, scenario: () => required(faults, name).scenario() }),
      { gpuPool: resolved.gpuPool, redis: resolved.redis, log: resolved.log },
    ),
    running: [],
    factory: undefined,
    gpu: undefined,
    kubernetes: undefined,
    stores: undefined,
    traffic: undefined,
    ticking: undefined,
  };
  try {
    parts.factory = await startDemoFactory(parts);
    parts.stores = await startSharedStoreStandIn(resolved.host, clock);
    if (resolved.gpuDir !== undefined) {
      parts.gpu = await startSimulatedGpuNode({
        dir: resolved.gpuDir,
        clock: parts.clock,
        tickMs: resolved.gpuTickMs,
        log: resolved.log,
      });
      parts.kubernetes = await startSimulatedGpuCluster(resolved.log);
    }
  } catch (error) {
    await stopParts(parts);
    throw error;
  }
  for (const name of SERVICE_NAMES) parts.running.push(await startService(parts, name));
  const byName = new Map(parts.running.map((entry) => [entry.name, entry]));
  startBackground(parts, byName, parts.stores);
  return simulatorHandle(parts, byName);
}

/** The workloads' ticks and the cross-layer calls, each when its interval is above 0. */
function startBackground(
  parts: Parts,
  byName: ReadonlyMap<ServiceName, Running>,
  stores: SharedStoreStandIn,
): void {
  const { resolved, stopController } = parts;
  if (resolved.workloadIntervalMs > 0) {
    parts.ticking = startTicking(tickOrder(parts.workloads), {
      clock: parts.clock,
      everyMs: resolved.workloadIntervalMs,
      stopped: stopController.signal,
      log: resolved.log,
    });
  }
  if (resolved.crossLayerIntervalMs > 0) {
    parts.traffic = startCrossLayerTraffic(
      crossLayerCalls(byName, stores.url),
      resolved.crossLayerIntervalMs,
      stopController.signal,
    );
  }
}

function required<T>(map: ReadonlyMap<ServiceName, T>, name: ServiceName): T {
  const value = map.get(name);
  if (value === undefined) throw new Error(`sim: nothing started for ${name}`);
  return value;
}

async function startInstrumentations(
  resolved: ResolvedOptions,
): Promise<Map<ServiceName, LayerInstrumentation>> {
  const instrumentations = new Map<ServiceName, LayerInstrumentation>();
  for (const name of SERVICE_NAMES) {
    instrumentations.set(
      name,
      await startServiceInstrumentation(name, httpService(name).layer, SIM_VERSION, resolved.log),
    );
  }
  return instrumentations;
}

/** The demo factory pipeline, when `factoryRoot` was given, writing through the agent's ledger. */
async function startDemoFactory({
  resolved,
  instrumentations,
}: Parts): Promise<RunningFactory | undefined> {
  const agentExports = instrumentations.get('agent')?.telemetryExports;
  return resolved.factoryRoot
    ? await startFactory(resolved.factoryRoot, {
        exportEveryMs: resolved.factoryExportEveryMs,
        readinessEveryMs: resolved.factoryReadinessEveryMs,
        ...(agentExports && { createWriter: (options) => agentExports.ledgerWriter(options) }),
      })
    : undefined;
}

/** One service on its port; if it cannot listen, everything started so far is stopped. */
async function startService(parts: Parts, name: ServiceName): Promise<Running> {
  const { resolved, clock, factory, gpu } = parts;
  const service = SERVICES[name];
  const context: ServiceContext = {
    name,
    layer: httpService(name).layer,
    faults: required(parts.faults, name),
    settings: new ServiceSettings(clock),
    clock,
    startedAt: clock.now(),
    stopped: parts.stopController.signal,
    log: resolved.log,
    workloads: parts.workloads,
  };
  // The factory pipeline is layer 4's work, so its demo switches live on the agent service,
  // and so does the simulated GPU node's (the agents' GPUs).
  const extra = name === 'agent' ? agentExtras(factory, gpu) : undefined;
  const instrumentation = parts.instrumentations.get(name);
  if (instrumentation === undefined) throw new Error(`sim: no instrumentation for ${name}`);
  const server = createServer(
    createServiceApp(context, service, resolved.latencyJitterMs, extra, instrumentation),
  );
  try {
    const { port } = await listen(server, resolved.ports[name], resolved.host);
    const url = `http://${formatHostPort(resolved.host, port)}`;
    const endpoint = { url, port, layer: httpService(name).layer };
    return { name, server, context, endpoint, instrumentation };
  } catch (error) {
    await stopParts(parts);
    throw new Error(
      `sim: ${name} cannot listen on ${resolved.host}:${resolved.ports[name]}: ${reason(error)}` +
        ` (pick another port, or 0 for a free one)`,
      { cause: error },
    );
  }
}

/** The agent service's demo switches: the factory's and the GPU node's, where they run. */
function agentExtras(
  factory: RunningFactory | undefined,
  gpu: SimulatedGpuNode | undefined,
): Router | undefined {
  if (!factory && !gpu) return undefined;
  const router = Router();
  if (factory) router.use(factoryRoutes(factory.pipeline));
  if (gpu) router.use(gpuRoutes(gpu));
  return router;
}

async function stopParts(parts: Parts): Promise<void> {
  parts.stopController.abort();
  parts.ticking?.stop();
  parts.traffic?.stop();
  parts.factory?.stop();
  await parts.gpu?.stop();
  await parts.kubernetes?.stop();
  await parts.workloads.queueMirror?.settled();
  await Promise.all(parts.running.map(({ server }) => closeServer(server)));
  await parts.stores?.stop();
  await Promise.all([...parts.instrumentations.values()].map((i) => i.shutdown()));
}

/** The running simulator as callers see it: endpoints, faults by name, one stop. */
function simulatorHandle(
  parts: Parts,
  byName: ReadonlyMap<ServiceName, Running>,
): RunningSimulator {
  let stopping: Promise<void> | undefined;
  return {
    services: Object.fromEntries(parts.running.map((r) => [r.name, r.endpoint])) as Record<
      ServiceName,
      ServiceEndpoint
    >,
    factory: parts.factory?.pipeline,
    gpu: parts.gpu,
    kubernetes: parts.kubernetes,
    setFault(service, spec) {
      const entry = byName.get(service);
      if (entry === undefined) {
        const guess = closest(String(service), SERVICE_NAMES);
        const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
        throw new Error(
          `unknown service ${JSON.stringify(service)}; valid services are ${SERVICE_NAMES.join(', ')}${hint}`,
        );
      }
      entry.context.faults.set(parseFault(spec, service));
      parts.resolved.log(
        `${service}: fault set to ${JSON.stringify(entry.context.faults.current())}`,
      );
    },
    stop() {
      stopping ??= stopParts(parts);
      return stopping;
    },
  };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
