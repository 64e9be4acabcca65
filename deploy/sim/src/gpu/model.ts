import type { Clock } from '../clock.js';

/**
 * The simulated GPU node: a few GPUs whose load follows a slow wave with jitter, and what a
 * driver reports for them. Pure: readings are a function of the spec, the time, the fault
 * and chance, so tests drive it with a fake clock.
 */

/** Named so no one mistakes it for a real node: the `node` label of every GPU series. */
export const SIMULATED_GPU_NODE = 'simulated-gpu-node';

export interface GpuSpec {
  readonly index: number;
  readonly uuid: string;
  /** `00000000:07:00.0`, as nvidia-smi prints it. */
  readonly busId: string;
  readonly name: string;
  readonly memoryTotalMiB: number;
  readonly powerLimitW: number;
  readonly maxClockMHz: { readonly graphics: number; readonly sm: number; readonly memory: number };
  readonly pcie: { readonly gen: number; readonly width: number };
  /** Where in the wave this GPU starts, so the GPUs do not move in step. */
  readonly phase: number;
}

/** Four GPUs of an H100-like node, clearly simulated in their names and UUIDs. */
export const SIMULATED_GPUS: readonly GpuSpec[] = [0, 1, 2, 3].map((index) => ({
  index,
  uuid: `GPU-51a1a7ed-0000-4000-8000-00000000000${index}`,
  busId: `00000000:${(0x18 + index * 0x10).toString(16).toUpperCase()}:00.0`,
  name: 'Simulated NVIDIA H100 80GB HBM3',
  memoryTotalMiB: 81_559,
  powerLimitW: 700,
  maxClockMHz: { graphics: 1980, sm: 1980, memory: 2619 },
  pcie: { gen: 5, width: 16 },
  phase: index * 1.7,
}));

/**
 * `hot`: full load at 93 °C with a hardware thermal slowdown; `off-bus`: the driver lost the
 * GPU; `xid-79`: the same, announced by an XID 79 in the kernel log; `ecc-uncorrectable`: one
 * more uncorrectable DRAM error (counted, and a row remap pending).
 */
export const GPU_FAULT_MODES = ['ok', 'hot', 'off-bus', 'xid-79', 'ecc-uncorrectable'] as const;
export type GpuFaultMode = (typeof GPU_FAULT_MODES)[number];

/** One GPU's error counters: they only grow (an injected error stays counted, as on a GPU). */
export interface GpuCounters {
  eccUncorrectable: number;
  eccCorrectable: number;
}

export interface GpuReading {
  readonly spec: GpuSpec;
  /** False when the GPU fell off the bus: nvidia-smi prints errors in its place. */
  readonly readable: boolean;
  readonly utilizationGpu: number;
  readonly utilizationMemory: number;
  readonly memoryUsedMiB: number;
  readonly temperatureGpu: number;
  readonly temperatureMemory: number;
  readonly powerDrawW: number;
  readonly clocksMHz: { readonly graphics: number; readonly sm: number; readonly memory: number };
  readonly pstate: number;
  readonly hwThermalSlowdown: boolean;
  readonly idle: boolean;
  readonly counters: Readonly<GpuCounters>;
}

const PERIOD_MS = 300_000;

/** Load in 0..1: a five-minute wave between ~25 % and ~85 %, with a little noise. */
function load(spec: GpuSpec, clock: Clock): number {
  const wave = Math.sin((clock.now() / PERIOD_MS) * 2 * Math.PI + spec.phase);
  return Math.min(0.97, Math.max(0.02, 0.55 + 0.3 * wave + (clock.random() - 0.5) * 0.08));
}

export function readGpu(
  spec: GpuSpec,
  fault: GpuFaultMode,
  counters: Readonly<GpuCounters>,
  clock: Clock,
): GpuReading {
  const hot = fault === 'hot';
  const util = hot ? 1 : load(spec, clock);
  const temperatureGpu = hot ? 93 : Math.round(34 + util * 38);
  // A thermal slowdown pulls the clocks down to ~60 % of their maximum.
  const clockShare = hot ? 0.6 : 0.85 + util * 0.15;
  return {
    spec,
    readable: fault !== 'off-bus' && fault !== 'xid-79',
    utilizationGpu: Math.round(util * 100) / 100,
    utilizationMemory: Math.round(util * 0.7 * 100) / 100,
    memoryUsedMiB: Math.round(spec.memoryTotalMiB * (0.1 + util * 0.75)),
    temperatureGpu,
    temperatureMemory: temperatureGpu + 6,
    powerDrawW: hot ? spec.powerLimitW : Math.round((70 + util * 560) * 100) / 100,
    clocksMHz: {
      graphics: Math.round(spec.maxClockMHz.graphics * clockShare),
      sm: Math.round(spec.maxClockMHz.sm * clockShare),
      memory: spec.maxClockMHz.memory,
    },
    pstate: util < 0.05 ? 8 : 0,
    hwThermalSlowdown: hot,
    idle: util < 0.05,
    counters,
  };
}
