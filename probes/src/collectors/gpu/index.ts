export { createGpuCollector, type CsvPassSettings } from './collector.js';
export { type GpuReading, type ParsedGpus, parseNvidiaSmiCsv } from './csv.js';
export {
  exporterMetricName,
  GAUGE_FIELDS,
  type GaugeField,
  LABEL_FIELDS,
  nvidiaSmiArgs,
  namesOf,
  QUERY_FIELDS,
  RENAMED,
} from './fields.js';
export {
  DEFAULT_PLAN,
  describePlan,
  knownQueryFields,
  planQuery,
  type QueryPlan,
} from './query-plan.js';
export { type RunOptions, type RunOutcome, runNvidiaSmi } from './run-nvidia-smi.js';
export {
  type CollectorHealth,
  type NodeLabels,
  uuidLabel,
  writeGpuSeries,
  writeHealthSeries,
} from './series.js';
