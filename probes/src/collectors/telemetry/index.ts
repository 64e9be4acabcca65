export { createTelemetryCollector, type TelemetryCollectorHooks } from './collector.js';
export { writeTelemetrySeries, TELEMETRY_METRICS, type TelemetryFileLabel } from './series.js';
