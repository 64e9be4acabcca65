/**
 * The platform's layers as the runbook names them, the services in each and their default
 * ports. The `layer` label value of every probe, exporter series and alert is `id`.
 */

export const LAYER_IDS = ['4', '5', '7', '8', 'shared'] as const;
export type LayerId = (typeof LAYER_IDS)[number];

export interface LayerService {
  /** The service's name: the `name` of its probe target, the simulator's service. */
  readonly name: string;
  readonly port: number;
}

export interface Layer {
  readonly id: LayerId;
  /** For humans and for the `layer_name` of configs: `execution`, `refinement`, … */
  readonly name: string;
  readonly services: readonly LayerService[];
}

export const LAYERS = [
  {
    id: '4',
    name: 'execution',
    services: [
      { name: 'agent', port: 8000 },
      { name: 'scheduler', port: 8001 },
    ],
  },
  { id: '5', name: 'refinement', services: [{ name: 'refinement', port: 8002 }] },
  { id: '7', name: 'evolution', services: [{ name: 'evolution', port: 8003 }] },
  // The GPU resource manager the GPU nodes register with; the nodes themselves are read
  // through nvidia-smi by the GPU collector, with no port of their own.
  { id: '8', name: 'resources', services: [{ name: 'resources', port: 8004 }] },
  {
    id: 'shared',
    name: 'shared',
    services: [
      { name: 'redis', port: 6379 },
      { name: 'postgres', port: 5432 },
    ],
  },
] as const satisfies readonly Layer[];

type PlatformLayer = Exclude<(typeof LAYERS)[number], { id: 'shared' }>;
export type HttpServiceName = PlatformLayer['services'][number]['name'];

/** A layer service that speaks HTTP (the simulator runs them; the exporters instrument them). */
export interface HttpService {
  readonly name: HttpServiceName;
  readonly layer: LayerId;
  readonly port: number;
}

/** Every HTTP service of layers 4–8, with its layer: the shared stores are not HTTP. */
export const HTTP_SERVICES: readonly HttpService[] = LAYERS.flatMap((layer) =>
  layer.id === 'shared'
    ? []
    : layer.services.map((service) => ({ ...service, layer: layer.id as LayerId })),
) as readonly HttpService[];

/** The platform's task queue in Redis, whose length the Redis probe reads. */
export const TASK_QUEUE = 'agent-tasks';

export function layerById(id: LayerId): Layer {
  const layer: Layer | undefined = LAYERS.find((l) => l.id === id);
  if (!layer) throw new Error(`unknown layer "${id}": layers are ${LAYER_IDS.join(', ')}`);
  return layer;
}

/** The HTTP service named so, with its layer and default port. */
export function httpService(name: HttpServiceName): HttpService {
  const service = HTTP_SERVICES.find((s) => s.name === name);
  if (!service) throw new Error(`unknown service "${name}"`);
  return service;
}

/** The default port of a shared store (`redis`, `postgres`). */
export function sharedStorePort(name: 'redis' | 'postgres'): number {
  const store = layerById('shared').services.find((s) => s.name === name);
  if (!store) throw new Error(`unknown shared store "${name}"`);
  return store.port;
}
