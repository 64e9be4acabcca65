import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '@layerwatch/local/worker';
import {
  allocChunkBuffers,
  hashFile,
  hashSmallFile,
  type ChunkBuffers,
  type HashResult,
} from './hash-file.js';

export interface WorkerRequest {
  readonly id: number;
  readonly path: string;
  readonly chunkSize: number;
}
export type WorkerReply =
  | { readonly id: number; readonly result: HashResult }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } };

/** Hashes files; big ones on worker threads, small ones on the calling thread. */
export interface Hasher {
  hash(path: string, size: number): Promise<HashResult>;
  /** Ends the worker threads; pending hashes reject. Safe to call twice. */
  close(): Promise<void>;
}

export interface HasherOptions {
  /** Worker threads (0: everything on the calling thread). */
  readonly workers: number;
  readonly chunkSize: number;
  /** Files smaller than this are hashed on the calling thread. @default 1 MiB */
  readonly inThreadBelowBytes?: number;
  /** Told when the workers cannot start; hashing then goes on in this thread. */
  readonly onWorkerFailure?: (error: Error) => void;
}

interface Job {
  readonly request: WorkerRequest;
  readonly size: number;
  resolve(result: HashResult): void;
  reject(error: Error): void;
}

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  job: Job | undefined;
}

export function createHasher(options: HasherOptions): Hasher {
  const inThread = inThreadHasher(options.chunkSize);
  if (options.workers <= 0) return inThread;
  const pool = workerPool(options, inThread);
  const threshold = options.inThreadBelowBytes ?? 1024 * 1024;
  return {
    hash: (path, size) => (size < threshold ? inThread.hash(path, size) : pool.hash(path, size)),
    close: () => pool.close(),
  };
}

/** Everything on the calling thread; reuses buffer pairs across files. */
export function inThreadHasher(chunkSize: number): Hasher {
  const spare: ChunkBuffers[] = [];
  return {
    async hash(path, size) {
      if (size < chunkSize)
        return hashSmallFile(path, Buffer.allocUnsafe(Math.max(size + 1, 4096)));
      const buffers = spare.pop() ?? allocChunkBuffers(chunkSize);
      try {
        return await hashFile(path, buffers);
      } finally {
        spare.push(buffers);
      }
    },
    close: async () => {
      spare.length = 0;
    },
  };
}

function workerPool(options: HasherOptions, fallback: Hasher): Hasher {
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 0;
  let failed: Error | undefined;
  let closed = false;

  const pump = (): void => {
    while (queue.length > 0) {
      const idle = slots.find((slot) => slot.ready && !slot.job);
      if (!idle) {
        if (slots.length < options.workers) slots.push(spawn());
        return;
      }
      const job = queue.shift();
      if (!job) return;
      idle.job = job;
      idle.worker.ref();
      idle.worker.postMessage(job.request);
    }
  };

  const spawn = (): Slot => {
    const slot: Slot = { worker: startHashWorker(), ready: false, job: undefined };
    slot.worker.on('message', (message: WorkerReply | 'ready') => {
      if (message === 'ready') slot.ready = true;
      else settle(slot, message);
      pump();
    });
    slot.worker.on('error', (error) => lose(slot, error));
    slot.worker.on('exit', (code) => lose(slot, new Error(`hash worker exited with code ${code}`)));
    return slot;
  };

  const settle = (slot: Slot, reply: WorkerReply): void => {
    const job = slot.job;
    slot.job = undefined;
    slot.worker.unref();
    if (!job) return;
    if ('result' in reply) job.resolve(reply.result);
    else job.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
  };

  const lose = (slot: Slot, error: Error): void => {
    const index = slots.indexOf(slot);
    if (index < 0) return;
    slots.splice(index, 1);
    slot.job?.reject(error);
    if (!slot.ready && !closed && !failed) {
      failed = error;
      options.onWorkerFailure?.(error);
      for (const job of queue.splice(0)) {
        fallback.hash(job.request.path, job.size).then(job.resolve, job.reject);
      }
    }
    if (!closed) pump();
  };

  return {
    hash(path, size) {
      if (closed) return Promise.reject(new Error('the hash pool is closed'));
      if (failed) return fallback.hash(path, size);
      return new Promise<HashResult>((resolve, reject) => {
        queue.push({
          request: { id: nextId++, path, chunkSize: options.chunkSize },
          size,
          resolve,
          reject,
        });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the hash pool is closed'));
      await Promise.all(
        slots.splice(0).map(async (slot) => {
          slot.job?.reject(new Error('the hash pool is closed'));
          await slot.worker.terminate();
        }),
      );
    },
  };
}

/** hash-worker.ts (or .js, from dist) beside this file, in a worker thread. */
function startHashWorker(): Worker {
  return startModuleWorker(import.meta.url, 'hash-worker');
}
