import { appendFile, chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import { DRIVER_VERSION } from './csv-fields.js';
import type { GpuFaultRequest } from './faults.js';
import {
  readGpu,
  SIMULATED_GPUS,
  type GpuCounters,
  type GpuFaultMode,
  type GpuReading,
} from './model.js';
import { GpuStateFiles } from './state-files.js';
import { standInScript } from './stand-in.js';

export { SIMULATED_GPU_NODE, SIMULATED_GPUS, GPU_FAULT_MODES, type GpuFaultMode } from './model.js';
export { parseGpuFault, type GpuFaultRequest } from './faults.js';

export interface SimulatedGpuNode {
  /** The stand-in `nvidia-smi` to point the GPU collector at. */
  readonly nvidiaSmiPath: string;
  /** The node's kernel log, where an injected XID appears (the health pass's `file` source). */
  readonly kernelLogPath: string;
  /** Each GPU's fault, by index. */
  faults(): readonly GpuFaultMode[];
  /** Sets one GPU's fault; the next tick (and the next nvidia-smi run) shows it. */
  setFault(request: GpuFaultRequest): Promise<void>;
  /** The readings written last, for tests. */
  last(): readonly GpuReading[];
  /** Stops the ticks; resolves once the last write is done (nothing writes to `dir` after). */
  stop(): Promise<void>;
}

export interface SimulatedGpuOptions {
  /** The stand-in and its state files go here. */
  readonly dir: string;
  readonly clock: Clock;
  /** How often the readings move. @default 1000 */
  readonly tickMs?: number;
  readonly log: (line: string) => void;
}

/**
 * A simulated GPU node for machines without one: four GPUs whose readings move every tick,
 * answered by a stand-in `nvidia-smi` as a real driver answers, and a fault per GPU.
 */
export async function startSimulatedGpuNode(
  options: SimulatedGpuOptions,
): Promise<SimulatedGpuNode> {
  const files = new GpuStateFiles(join(options.dir, 'state'));
  await files.init(SIMULATED_GPUS.length);
  const faults: GpuFaultMode[] = SIMULATED_GPUS.map(() => 'ok');
  const counters: GpuCounters[] = SIMULATED_GPUS.map(() => ({
    eccUncorrectable: 0,
    eccCorrectable: 0,
  }));
  let last: GpuReading[] = [];
  let writing = Promise.resolve();
  const tick = (): Promise<void> => {
    writing = writing
      .then(async () => {
        last = SIMULATED_GPUS.map((spec, i) =>
          readGpu(spec, faults[i]!, counters[i]!, options.clock),
        );
        await files.write(last, DRIVER_VERSION, new Date(options.clock.now()));
      })
      .catch((error: unknown) => options.log(`simulated GPU node: ${String(error)}`));
    return writing;
  };
  await tick();
  const nvidiaSmiPath = join(options.dir, 'nvidia-smi');
  const kernelLogPath = join(options.dir, 'kern.log');
  await mkdir(options.dir, { recursive: true });
  await writeFile(nvidiaSmiPath, standInScript(files.dir));
  await chmod(nvidiaSmiPath, 0o755);
  await writeFile(kernelLogPath, '');
  const timer = setInterval(() => void tick(), options.tickMs ?? 1000);
  timer.unref();
  return {
    nvidiaSmiPath,
    kernelLogPath,
    faults: () => [...faults],
    async setFault({ gpu, mode }) {
      // An injected uncorrectable error is counted once, and stays counted after `ok`.
      if (mode === 'ecc-uncorrectable') counters[gpu]!.eccUncorrectable += 1;
      if (mode === 'xid-79') {
        await appendFile(
          kernelLogPath,
          xidLine(SIMULATED_GPUS[gpu]!.busId, new Date(options.clock.now())),
        );
      }
      faults[gpu] = mode;
      options.log(`simulated GPU ${gpu}: fault set to ${mode}`);
      await tick();
    },
    last: () => last,
    stop: () => {
      clearInterval(timer);
      return writing;
    },
  };
}

/** A kernel log line as rsyslog writes the driver's XID 79 (bus id `0000:18:00`, as NVRM prints it). */
function xidLine(busId: string, at: Date): string {
  const pci = busId.replace(/^0000(\w{4}:\w{2}:\w{2})\.\d$/, '$1');
  return `${at.toISOString()} simulated-gpu-node kernel: NVRM: Xid (PCI:${pci}): 79, pid=<unknown>, name=<unknown>, GPU has fallen off the bus.\n`;
}
