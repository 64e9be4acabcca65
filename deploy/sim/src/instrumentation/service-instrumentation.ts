import { startLayerInstrumentation, type LayerInstrumentation } from '@layerwatch/exporters';
import type { ServiceName } from '../services/types.js';

/**
 * One simulated service's instrumentation: the same `@layerwatch/exporters` setup a real layer
 * service uses, `/metrics` on its own app (never an own port: five services share the
 * process). The standard `OTEL_*` variables apply (set OTEL_EXPORTER_OTLP_ENDPOINT to push
 * as well); failures go to the simulator's log.
 */
export function startServiceInstrumentation(
  name: ServiceName,
  layer: string,
  version: string,
  log: (line: string) => void,
): Promise<LayerInstrumentation> {
  return startLayerInstrumentation({
    serviceName: `layerwatch-sim-${name}`,
    serviceVersion: version,
    layer,
    metricsPort: false,
    onError: (error) =>
      log(`${name}: instrumentation: ${error instanceof Error ? error.message : String(error)}`),
  });
}
