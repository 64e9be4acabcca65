import type { HttpServiceName } from '@layerwatch/vocabulary';

/**
 * A simulated service: every HTTP service of the vocabulary's layers, by the same name. Its
 * own file, importing nothing of the simulator's, so the scenarios, faults and workloads
 * name services without importing the service contract (and through it themselves).
 */
export type ServiceName = HttpServiceName;
