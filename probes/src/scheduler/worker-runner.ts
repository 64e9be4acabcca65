import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '@layerwatch/local/worker';
import type { Logger } from 'pino';
import type { LoadedConfig, ScheduledTarget } from '../config/prepare.js';
import type { Sample } from '../format/sample-sink.js';
import type { ProbeRun } from '../probe-run/run-probe.js';
import type { FailureReason } from '../prober/failure-reason.js';
import {
  RESULT_FIELDS,
  type ProbeRequests,
  type ProbeResults,
  type ProbeRunner,
  type ProbeWorkerData,
} from './probe-runner.js';

/** A worker that failed is started again after this long, not in a tight loop. */
const RESTART_DELAY_MS = 1000;

interface Slot {
  worker: Worker | undefined;
  /** Probes sent and not answered: sequence → resolve. */
  readonly pending: Map<number, (run: ProbeRun) => void>;
  /** Pairs `[sequence, targetIndex]` not sent yet (sent once per microtask). */
  outgoing: ProbeRequests;
}

const SUCCEEDED = Object.freeze({ success: true as const });

/**
 * Runs probes in `threads` worker threads, target `index` always in worker `index % threads`
 * (so its keep-alive connection stays in one worker). Requests and results travel in
 * batches. A worker that dies fails its probes in flight as `internal` and is started again.
 */
export class WorkerProbeRunner implements ProbeRunner {
  private readonly slots: Slot[];
  private sequence = 0;
  private flushQueued = false;
  private closed = false;

  constructor(
    private readonly loaded: LoadedConfig,
    threads: number,
    private readonly logger: Logger,
  ) {
    this.slots = Array.from({ length: threads }, () => ({
      worker: undefined,
      pending: new Map(),
      outgoing: [],
    }));
    this.slots.forEach((slot) => this.start(slot));
  }

  run(_target: ScheduledTarget, index: number): Promise<ProbeRun> {
    const slot = this.slots[index % this.slots.length] as Slot;
    const sequence = this.sequence++;
    slot.outgoing.push(sequence, index);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
    return new Promise((resolve) => slot.pending.set(sequence, resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        const { worker } = slot;
        slot.worker = undefined;
        this.failPending(slot, 'the scheduler stopped');
        await worker?.terminate();
      }),
    );
  }

  private flush(): void {
    this.flushQueued = false;
    for (const slot of this.slots) {
      if (!slot.outgoing.length) continue;
      const batch = slot.outgoing;
      slot.outgoing = [];
      if (slot.worker) slot.worker.postMessage(batch);
      else this.failPending(slot, 'its probe worker is restarting');
    }
  }

  private start(slot: Slot): void {
    const data: ProbeWorkerData = { file: this.loaded.file, config: this.loaded.config };
    const worker = startModuleWorker(import.meta.url, 'probe-worker', { workerData: data });
    slot.worker = worker;
    worker.on('message', (results: ProbeResults) => this.settle(slot, results));
    // 'error' comes before 'exit' when the worker threw; 'exit' alone when it just stopped.
    let why = 'exited';
    worker.on('error', (error) => (why = `failed: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => {
      if (this.closed || slot.worker !== worker) return;
      slot.worker = undefined;
      this.logger.error({ code }, `probe worker ${why}; restarting it in ${RESTART_DELAY_MS} ms`);
      this.failPending(slot, `its probe worker ${why}`);
      setTimeout(() => {
        if (!this.closed) this.start(slot);
      }, RESTART_DELAY_MS).unref();
    });
  }

  private settle(slot: Slot, results: ProbeResults): void {
    for (let i = 0; i < results.length; i += RESULT_FIELDS) {
      const resolve = slot.pending.get(results[i] as number);
      if (!resolve) continue;
      slot.pending.delete(results[i] as number);
      const success = results[i + 1] as boolean;
      const lastLog = results[i + 5] as string | null;
      resolve({
        outcome: success ? SUCCEEDED : { success: false, reason: results[i + 2] as FailureReason },
        durationSeconds: results[i + 3] as number,
        samples: results[i + 4] as Sample[],
        log: lastLog === null ? [] : [lastLog],
      });
    }
  }

  private failPending(slot: Slot, why: string): void {
    const failed: ProbeRun = {
      outcome: { success: false, reason: 'internal' },
      durationSeconds: 0,
      samples: [],
      log: [`probe not run: ${why}`],
    };
    for (const resolve of slot.pending.values()) resolve(failed);
    slot.pending.clear();
  }
}
