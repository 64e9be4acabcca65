import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServiceApp } from './app.js';
import { factoryRoutes, startFactory, type FactoryPipeline } from './factory/index.js';
import { systemClock, type Clock } from './clock.js';
import { parseFault, type FaultSpec } from './fault.js';
import { FaultSwitch } from './fault-switch.js';
import { resolveOptions, type SimulatorOptions } from './options.js';
import { SERVICE_NAMES, SERVICES } from './services/registry.js';
import type { ServiceContext, ServiceName } from './services/types.js';
import { ServiceSettings } from './settings.js';
import { closest } from './validate.js';

export interface ServiceEndpoint {
  url: string;
  port: number;
  layer: string;
}

export interface RunningSimulator {
  readonly services: Record<ServiceName, ServiceEndpoint>;
  /** The demo factory pipeline, when `factoryRoot` was given. */
  readonly factory: FactoryPipeline | undefined;
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
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const resolved = resolveOptions(options);
  const stopController = new AbortController();
  const clock: Clock = systemClock;
  const running: Running[] = [];
  const factory = resolved.factoryRoot ? await startFactory(resolved.factoryRoot) : undefined;
  const stopAll = async () => {
    stopController.abort();
    factory?.stop();
    await Promise.all(running.map(({ server }) => close(server)));
  };

  for (const name of SERVICE_NAMES) {
    const service = SERVICES[name];
    const context: ServiceContext = {
      name,
      layer: service.layer,
      faults: new FaultSwitch(clock),
      settings: new ServiceSettings(clock),
      clock,
      startedAt: clock.now(),
      stopped: stopController.signal,
      log: resolved.log,
    };
    // The factory pipeline is layer 4's work, so its demo switches live on the agent service.
    const extra = factory && name === 'agent' ? factoryRoutes(factory.pipeline) : undefined;
    const server = createServer(
      createServiceApp(context, service, resolved.latencyJitterMs, extra),
    );
    try {
      const port = await listen(server, resolved.ports[name], resolved.host);
      const endpoint = { url: urlFor(resolved.host, port), port, layer: service.layer };
      running.push({ name, server, context, endpoint });
    } catch (error) {
      await stopAll();
      throw new Error(
        `sim: ${name} cannot listen on ${resolved.host}:${resolved.ports[name]}: ${reason(error)}` +
          ` (pick another port, or 0 for a free one)`,
        { cause: error },
      );
    }
  }

  let stopping: Promise<void> | undefined;
  const byName = new Map(running.map((entry) => [entry.name, entry]));
  return {
    services: Object.fromEntries(running.map((r) => [r.name, r.endpoint])) as Record<
      ServiceName,
      ServiceEndpoint
    >,
    factory: factory?.pipeline,
    setFault(service, spec) {
      const entry = byName.get(service);
      if (entry === undefined) {
        const guess = closest(String(service), SERVICE_NAMES);
        const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
        throw new Error(
          `unknown service ${JSON.stringify(service)}; valid services are ${SERVICE_NAMES.join(', ')}${hint}`,
        );
      }
      entry.context.faults.set(parseFault(spec));
      resolved.log(`${service}: fault set to ${JSON.stringify(entry.context.faults.current())}`);
    },
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting, then destroys every socket so hanging requests end now, not on timeout. */
function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function urlFor(host: string, port: number): string {
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
