import { parentPort, workerData } from 'node:worker_threads';
import { prepareConfig } from '../config/prepare.js';
import { runProbe } from '../probe-run/run-probe.js';
import type { ProbeRequests, ProbeResults, ProbeWorkerData } from './probe-runner.js';
import { LeanSampleList } from './results.js';

/**
 * A probe worker thread: prepares its own copy of the config (pools, compiled regexps),
 * then runs the probes the main thread sends, and sends back their results in batches.
 */
const port = parentPort;
if (!port) throw new Error('probe-worker.ts runs as a worker thread');
const { file, config } = workerData as ProbeWorkerData;
const loaded = prepareConfig({
  file,
  config,
  // The main thread prepared this very config first; a problem now (a TLS file deleted in
  // between) fails the worker, whose probes then fail as `internal`.
  problemAt: (path, message) => ({ file, line: 0, column: 0, field: path.join('.'), message }),
});
const samplesByTarget = new Map<number, LeanSampleList>();
let outgoing: ProbeResults = [];
let flushing = false;

function flush(): void {
  flushing = false;
  const batch = outgoing;
  outgoing = [];
  port?.postMessage(batch);
}

async function probe(sequence: number, index: number): Promise<void> {
  const target = loaded.targets[index];
  if (!target) {
    outgoing.push(sequence, false, 'internal', 0, [], `no target ${index} in this worker`);
  } else {
    let samples = samplesByTarget.get(index);
    if (!samples) samplesByTarget.set(index, (samples = new LeanSampleList()));
    samples.clear();
    const run = await runProbe(
      target.module,
      target.target,
      target.module.timeoutMs,
      false,
      samples,
    );
    const { outcome } = run;
    outgoing.push(
      sequence,
      outcome.success,
      outcome.success ? null : outcome.reason,
      run.durationSeconds,
      samples.samples,
      outcome.success ? null : (run.log.at(-1) ?? null),
    );
  }
  // Results that complete in the same turn of the event loop go in one message.
  if (!flushing) {
    flushing = true;
    setImmediate(flush);
  }
}

port.on('message', (requests: ProbeRequests) => {
  for (let i = 0; i < requests.length; i += 2) {
    void probe(requests[i] as number, requests[i + 1] as number);
  }
});
port.once('close', () => void loaded.close());
