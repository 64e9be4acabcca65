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
export type {
  FileResult,
  FileStatus,
  VerificationCounts,
  VerificationReport,
  VerifyProgress,
  ProgressFn,
} from './report.js';
