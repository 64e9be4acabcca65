import type { LayerInstrumentation } from '@layerwatch/exporters';
import type { LayerId } from '@layerwatch/vocabulary';
import type { ServiceName } from '../services/types.js';
import type { CrossLayerCall } from './traffic.js';

/** The shared layer's id (checked against the vocabulary's), the `to_layer` of store calls. */
const SHARED: Extract<LayerId, 'shared'> = 'shared';

/**
 * Who calls whom between the layers, one call per pair each interval: every layer calls a
 * layer above or beside it and the shared stores, so each `from_layer`/`to_layer` pair the
 * cross-layer SLO and the app's rows select on has calls.
 */
export const CROSS_LAYER_PAIRS: readonly {
  readonly from: ServiceName;
  readonly to: ServiceName | typeof SHARED;
  readonly path: string;
}[] = [
  { from: 'scheduler', to: 'agent', path: '/health/agents' }, // 4 → 4: dispatch
  { from: 'agent', to: 'refinement', path: '/health/models' }, // 4 → 5: which model to use
  { from: 'agent', to: SHARED, path: '/redis/agent-tasks' }, // 4 → shared: the task queue
  { from: 'agent', to: 'resources', path: '/api/gpus' }, // 4 → 8: GPUs for the agents' work
  { from: 'refinement', to: 'evolution', path: '/api/population/status' }, // 5 → 7
  { from: 'refinement', to: SHARED, path: '/postgres/kpis' }, // 5 → shared: KPI history
  { from: 'evolution', to: 'refinement', path: '/health/kpi' }, // 7 → 5: fitness inputs
  { from: 'evolution', to: SHARED, path: '/postgres/genomes' }, // 7 → shared: genome store
];

export interface CallableService {
  readonly instrumentation: LayerInstrumentation;
  readonly endpoint: { readonly url: string; readonly layer: string };
}

/** The pairs as calls: the caller's `layerFetch`, the callee's layer and URL. */
export function crossLayerCalls(
  services: ReadonlyMap<ServiceName, CallableService>,
  storesUrl: string,
): CrossLayerCall[] {
  return CROSS_LAYER_PAIRS.flatMap(({ from, to, path }) => {
    const caller = services.get(from);
    const callee = to === SHARED ? { url: storesUrl, layer: SHARED } : services.get(to)?.endpoint;
    if (caller === undefined || callee === undefined) return [];
    return [
      {
        from,
        fetch: caller.instrumentation.layerFetch,
        toLayer: callee.layer,
        url: `${callee.url}${path}`,
      },
    ];
  });
}
