export { createChecksumCollector, type ChecksumCollectorHooks } from './collector.js';
export { writeChecksumSeries, CHECKSUM_METRICS, type ChecksumFileLabel } from './series.js';
