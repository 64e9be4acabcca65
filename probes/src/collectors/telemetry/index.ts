export { createTelemetryCollector, type TelemetryCollectorHooks } from './collector.js';
export { verifyLedger, type VerifyOptions } from './verify.js';
export { createHasher, inThreadHasher, type Hasher, type HasherOptions } from './hash-pool.js';
export { hashFile, allocChunkBuffers, type ChunkBuffers, type HashResult } from './hash-file.js';
export {
  HashCache,
  statIdentity,
  forEachLimit,
  type FileIdentity,
  type StatFn,
} from './file-identity.js';
export { rootResolver, type Located } from './root-resolver.js';
export {
  parseLedger,
  LedgerError,
  LedgerMemo,
  ledgerEntrySchema,
  ledgerTopSchema,
  lexicalPathProblem,
  BATCH_PATTERN,
  type LedgerEntry,
  type EvidenceFile,
  type InvalidEntry,
  type ParsedLedger,
} from '@layerwatch/ledger';
export type {
  FileResult,
  FileStatus,
  VerificationCounts,
  VerificationReport,
  VerifyProgress,
  ProgressFn,
} from './report.js';
export { writeTelemetrySeries, TELEMETRY_METRICS, type TelemetryFileLabel } from './series.js';
