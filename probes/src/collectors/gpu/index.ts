export { createGpuCollector, type CsvPassSettings } from './collector.js';
export { createGpuHealthCollector, type HealthPassSettings } from './health-collector.js';
export {
  type GpuHealth,
  type HealthSample,
  lostGpus,
  readGpuHealth,
  readHealth,
} from './health-readings.js';
export { CLOCK_EVENT_REASONS, HEALTH_FIELDS, type HealthField } from './health-fields.js';
export { canonicalBusId, isAbsentText, readXmlValue, unreadableReason } from './health-values.js';
export { parseNvidiaSmiXml, type ParsedXml, type XmlGpu } from './health-xml.js';
export { fileLog, journalctlLog, type KernelLog, kernelLog } from './kernel-log.js';
export { type NvlinkGpu, type NvlinkLink, parseNvlink, readNvlink } from './nvlink.js';
export { createGpuCollectors, resolveGpuPaths } from './passes.js';
export { parseXidLine, type XidEvent, XidTally } from './xid.js';
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
export * from './query-plan.js';
export { type RunOptions, type RunOutcome, runNvidiaSmi } from './run-nvidia-smi.js';
export {
  type CollectorHealth,
  type NodeLabels,
  uuidLabel,
  writeGpuSeries,
  writeHealthSeries,
} from './series.js';
