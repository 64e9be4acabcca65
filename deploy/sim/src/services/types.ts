import type { Router } from 'express';
import type { Clock } from '../clock.js';
import type { FaultSwitch } from '../fault-switch.js';
import type { ServiceSettings } from '../settings.js';
import type { Workloads } from '../workload/index.js';
import type { ServiceName } from './names.js';

export type { ServiceName } from './names.js';

/** What one running service shares between the common app and its own routes. */
export interface ServiceContext {
  readonly name: ServiceName;
  readonly layer: string;
  readonly faults: FaultSwitch;
  readonly settings: ServiceSettings;
  readonly clock: Clock;
  readonly startedAt: number;
  /** Aborted by stop(), so delayed answers give up instead of holding the process open. */
  readonly stopped: AbortSignal;
  readonly log: (line: string) => void;
  /** Every service's simulated work; a service's routes read their own. */
  readonly workloads: Workloads;
}

export interface ServiceRoutes {
  /** Routes that answer whatever the fault, so remediation can reach a broken service. */
  control?: Router;
  /** Routes the injected fault applies to. */
  routes: Router;
}

/** A service's routes; its layer and default port are the vocabulary's (`httpService`). */
export interface ServiceModule {
  /** Called once per running service; its routers share that instance's state. */
  create(context: ServiceContext): ServiceRoutes;
}
