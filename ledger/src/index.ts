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
