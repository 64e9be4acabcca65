import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { SIMULATED_GPU_NODE } from '@layerwatch/sim';

/**
 * The `node` label of this machine's GPU series, the same for the GPU node's collector and
 * the resources service's allocation: the simulated node's name where it stands in.
 */
export function gpuNodeName(simulated: boolean): string {
  return simulated ? SIMULATED_GPU_NODE : hostname();
}

const QUERY_TIMEOUT_MS = 10_000;

/** How many GPUs this machine's `nvidia-smi` lists (one CSV line each); 0 when it cannot say. */
export function countLocalGpus(): Promise<number> {
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=index', '--format=csv,noheader'],
      { timeout: QUERY_TIMEOUT_MS },
      (error, stdout) => {
        if (error) return resolve(0);
        resolve(stdout.split('\n').filter((line) => /^\s*\d+\s*$/.test(line)).length);
      },
    );
  });
}
