export * from './schema.js';
export { LedgerWriter, type LedgerWriterOptions } from './writer.js';
export {
  LedgerInputError,
  LedgerConflictError,
  type ExportRequest,
  type ExportFile,
  type ExportContent,
} from './write-input.js';
export { LedgerLockError } from './ledger-lock.js';
export { writeFileAtomic, TEMP_SUFFIX } from './temp-files.js';
export {
  DEFAULT_LEDGER,
  DEFAULT_EXPORTS_DIR,
  DEFAULT_HASH_WORKERS,
  DEFAULT_READ_CHUNK_SIZE,
} from './defaults.js';
export { parseByteSize } from './byte-size.js';
export * from './verify/index.js';
export { runVerifyChecksumsCli, VERIFY_CHECKSUMS_USAGE } from './cli/verify-checksums.js';
