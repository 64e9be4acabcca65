import { parentPort } from 'node:worker_threads';
import { allocChunkBuffers, hashFile, type ChunkBuffers } from './hash-file.js';
import type { WorkerReply, WorkerRequest } from './hash-pool.js';

/**
 * One hashing thread of the pool: hashes one file at a time with its own two reused
 * buffers and answers with the digest or the error. Compiled to dist/…/hash-worker.js; from
 * the TypeScript sources the pool loads it through tsx (see hash-pool.ts).
 */
const port = parentPort;
if (!port) throw new Error('hash-worker.js runs only as a worker thread of the hash pool');

let buffers: ChunkBuffers | undefined;

port.on('message', (request: WorkerRequest) => {
  if (buffers?.[0].length !== request.chunkSize) buffers = allocChunkBuffers(request.chunkSize);
  hashFile(request.path, buffers).then(
    (result) => port.postMessage({ id: request.id, result } satisfies WorkerReply),
    (error: unknown) => {
      const err = error as NodeJS.ErrnoException;
      const reply: WorkerReply = {
        id: request.id,
        error: { message: err.message ?? String(error), ...(err.code ? { code: err.code } : {}) },
      };
      port.postMessage(reply);
    },
  );
});
port.postMessage('ready');
