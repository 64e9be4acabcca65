import { httpService } from '@layerwatch/vocabulary';
import { agentService } from './agent.js';
import { evolutionService } from './evolution.js';
import { refinementService } from './refinement.js';
import { resourcesService } from './resources.js';
import { schedulerService } from './scheduler.js';
import type { ServiceModule, ServiceName } from './types.js';

/** Every simulated service by name: the one map the simulator and CLI dispatch from. */
export const SERVICES: Readonly<Record<ServiceName, ServiceModule>> = {
  agent: agentService,
  scheduler: schedulerService,
  refinement: refinementService,
  evolution: evolutionService,
  resources: resourcesService,
};

export const SERVICE_NAMES = Object.keys(SERVICES) as readonly ServiceName[];

/** Every service on its documented port (the vocabulary's). */
export const DEFAULT_SIM_PORTS: Readonly<Record<ServiceName, number>> = Object.fromEntries(
  SERVICE_NAMES.map((name) => [name, httpService(name).port]),
) as Record<ServiceName, number>;

/** Every service on a free port (tests and benchmarks: never the documented ports). */
export const FREE_SIM_PORTS: Readonly<Record<ServiceName, number>> = Object.fromEntries(
  Object.keys(DEFAULT_SIM_PORTS).map((name) => [name, 0]),
) as Record<ServiceName, number>;
