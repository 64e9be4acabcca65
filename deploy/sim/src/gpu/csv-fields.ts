import type { GpuReading } from './model.js';

/**
 * The `--query-gpu` fields the stand-in nvidia-smi answers: each field's CSV header cell
 * (with nvidia-smi's unit) and its value for one GPU, printed as a real driver prints them.
 * A field not listed here is refused the way nvidia-smi refuses it.
 */
export interface CsvField {
  readonly header: string;
  readonly help: string;
  value(gpu: GpuReading): string;
}

const mib = (n: number): string => `${n} MiB`;
const mhz = (n: number): string => `${n} MHz`;

/** What the stand-in says its driver is: plainly not a real one. */
export const DRIVER_VERSION = '570.0.0-simulated';

const version: CsvField = {
  header: 'driver_version',
  help: 'The version of the installed NVIDIA display driver.',
  value: () => DRIVER_VERSION,
};

const pcieGen: (header: string) => CsvField = (header) => ({
  header,
  help: 'The current PCI-E link generation.',
  value: (g) => String(g.spec.pcie.gen),
});

export const CSV_FIELDS: Readonly<Record<string, CsvField>> = {
  index: {
    header: 'index',
    help: 'Zero based index of the GPU.',
    value: (g) => String(g.spec.index),
  },
  uuid: {
    header: 'uuid',
    help: 'Globally unique identifier of the GPU.',
    value: (g) => g.spec.uuid,
  },
  name: { header: 'name', help: 'The product name of the GPU.', value: (g) => g.spec.name },
  driver_version: version,
  kmd_version: { ...version, header: 'kmd_version' },
  'pci.bus_id': { header: 'pci.bus_id', help: 'PCI bus id.', value: (g) => g.spec.busId },
  pstate: { header: 'pstate', help: 'Performance state.', value: (g) => `P${g.pstate}` },
  'mig.mode.current': { header: 'mig.mode.current', help: 'MIG mode.', value: () => 'Disabled' },
  'fan.speed': { header: 'fan.speed [%]', help: 'Fan speed.', value: () => '[N/A]' },
  'utilization.gpu': {
    header: 'utilization.gpu [%]',
    help: 'Percent of time a kernel was running.',
    value: (g) => `${Math.round(g.utilizationGpu * 100)} %`,
  },
  'utilization.memory': {
    header: 'utilization.memory [%]',
    help: 'Percent of time memory was read or written.',
    value: (g) => `${Math.round(g.utilizationMemory * 100)} %`,
  },
  'memory.total': {
    header: 'memory.total [MiB]',
    help: 'Total memory.',
    value: (g) => mib(g.spec.memoryTotalMiB),
  },
  'memory.used': {
    header: 'memory.used [MiB]',
    help: 'Used memory.',
    value: (g) => mib(g.memoryUsedMiB),
  },
  'memory.free': {
    header: 'memory.free [MiB]',
    help: 'Free memory.',
    value: (g) => mib(g.spec.memoryTotalMiB - g.memoryUsedMiB),
  },
  'temperature.gpu': {
    header: 'temperature.gpu',
    help: 'Core temperature.',
    value: (g) => String(g.temperatureGpu),
  },
  'temperature.memory': {
    header: 'temperature.memory',
    help: 'HBM memory temperature.',
    value: (g) => String(g.temperatureMemory),
  },
  'power.draw': {
    header: 'power.draw [W]',
    help: 'Power draw.',
    value: (g) => `${g.powerDrawW.toFixed(2)} W`,
  },
  'power.limit': {
    header: 'power.limit [W]',
    help: 'Power limit.',
    value: (g) => `${g.spec.powerLimitW.toFixed(2)} W`,
  },
  'clocks.current.graphics': {
    header: 'clocks.current.graphics [MHz]',
    help: 'Current graphics clock.',
    value: (g) => mhz(g.clocksMHz.graphics),
  },
  'clocks.current.sm': {
    header: 'clocks.current.sm [MHz]',
    help: 'Current SM clock.',
    value: (g) => mhz(g.clocksMHz.sm),
  },
  'clocks.current.memory': {
    header: 'clocks.current.memory [MHz]',
    help: 'Current memory clock.',
    value: (g) => mhz(g.clocksMHz.memory),
  },
  'clocks.current.video': {
    header: 'clocks.current.video [MHz]',
    help: 'Current video clock.',
    value: (g) => mhz(Math.round(g.clocksMHz.graphics * 0.9)),
  },
  'clocks.max.graphics': {
    header: 'clocks.max.graphics [MHz]',
    help: 'Maximum graphics clock.',
    value: (g) => mhz(g.spec.maxClockMHz.graphics),
  },
  'clocks.max.sm': {
    header: 'clocks.max.sm [MHz]',
    help: 'Maximum SM clock.',
    value: (g) => mhz(g.spec.maxClockMHz.sm),
  },
  'clocks.max.memory': {
    header: 'clocks.max.memory [MHz]',
    help: 'Maximum memory clock.',
    value: (g) => mhz(g.spec.maxClockMHz.memory),
  },
  'pcie.link.gen.current': pcieGen('pcie.link.gen.current'),
  'pcie.link.gen.gpucurrent': pcieGen('pcie.link.gen.gpucurrent'),
  'pcie.link.gen.max': {
    header: 'pcie.link.gen.max',
    help: 'Maximum PCI-E link generation.',
    value: (g) => String(g.spec.pcie.gen),
  },
  'pcie.link.width.current': {
    header: 'pcie.link.width.current',
    help: 'The current PCI-E link width.',
    value: (g) => String(g.spec.pcie.width),
  },
};

/** What a GPU that fell off the bus prints in place of every value but its identity. */
export const UNREADABLE_VALUE = '[Unknown Error]';
const IDENTITY = new Set(['index', 'uuid', 'name', 'pci.bus_id', 'driver_version', 'kmd_version']);

export function csvValue(field: string, gpu: GpuReading): string {
  const spec = CSV_FIELDS[field];
  if (spec === undefined) throw new Error(`no simulated field ${field}`);
  return gpu.readable || IDENTITY.has(field) ? spec.value(gpu) : UNREADABLE_VALUE;
}

/** `nvidia-smi --help-query-gpu`, in the driver's layout, for the fields simulated here. */
export function helpQueryGpu(): string {
  const entries = Object.entries(CSV_FIELDS).map(([field, spec]) => `"${field}"\n${spec.help}\n`);
  return `List of valid properties to query for the switch "--query-gpu":\n\n${entries.join('\n')}`;
}
