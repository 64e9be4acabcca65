export { createGpuCollector } from './collector.js';
export { type GpuReading, type ParsedGpus, parseNvidiaSmiCsv } from './csv.js';
export {
  exporterMetricName,
  GAUGE_FIELDS,
  type GaugeField,
  LABEL_FIELDS,
  nvidiaSmiArgs,
  QUERY_FIELDS,
} from './fields.js';
export { type RunOptions, type RunOutcome, runNvidiaSmi } from './run-nvidia-smi.js';
export {
  type CollectorHealth,
  type NodeLabels,
  uuidLabel,
  writeGpuSeries,
  writeHealthSeries,
} from './series.js';
