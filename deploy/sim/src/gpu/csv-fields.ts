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

/** nvidia-smi's unit in a header cell (`memory.used [MiB]`) and after each value. */
type Unit = '%' | 'MiB' | 'MHz' | 'W' | '';

/** What the stand-in says its driver is: plainly not a real one. */
export const DRIVER_VERSION = '570.0.0-simulated';

/** `[field, unit, help, value]`: one row per simulated field; the value without its unit. */
type FieldRow = readonly [string, Unit, string, (g: GpuReading) => string | number];

const percent = (ratio: number): number => Math.round(ratio * 100);
const ROWS: readonly FieldRow[] = [
  ['index', '', 'Zero based index of the GPU.', (g) => g.spec.index],
  ['uuid', '', 'Globally unique identifier of the GPU.', (g) => g.spec.uuid],
  ['name', '', 'The product name of the GPU.', (g) => g.spec.name],
  ['driver_version', '', 'The version of the installed driver.', () => DRIVER_VERSION],
  ['kmd_version', '', 'The version of the installed driver.', () => DRIVER_VERSION],
  ['pci.bus_id', '', 'PCI bus id.', (g) => g.spec.busId],
  ['pstate', '', 'Performance state.', (g) => `P${g.pstate}`],
  ['mig.mode.current', '', 'MIG mode.', () => 'Disabled'],
  ['fan.speed', '%', 'Fan speed (none on an SXM board).', () => '[N/A]'],
  ['utilization.gpu', '%', 'Percent of time a kernel ran.', (g) => percent(g.utilizationGpu)],
  [
    'utilization.memory',
    '%',
    'Percent of time memory was busy.',
    (g) => percent(g.utilizationMemory),
  ],
  ['memory.total', 'MiB', 'Total memory.', (g) => g.spec.memoryTotalMiB],
  ['memory.used', 'MiB', 'Used memory.', (g) => g.memoryUsedMiB],
  ['memory.free', 'MiB', 'Free memory.', (g) => g.spec.memoryTotalMiB - g.memoryUsedMiB],
  ['temperature.gpu', '', 'Core temperature, Celsius.', (g) => g.temperatureGpu],
  ['temperature.memory', '', 'HBM temperature, Celsius.', (g) => g.temperatureMemory],
  ['power.draw', 'W', 'Power draw.', (g) => g.powerDrawW.toFixed(2)],
  ['power.limit', 'W', 'Power limit.', (g) => g.spec.powerLimitW.toFixed(2)],
  ['clocks.current.graphics', 'MHz', 'Current graphics clock.', (g) => g.clocksMHz.graphics],
  ['clocks.current.sm', 'MHz', 'Current SM clock.', (g) => g.clocksMHz.sm],
  ['clocks.current.memory', 'MHz', 'Current memory clock.', (g) => g.clocksMHz.memory],
  [
    'clocks.current.video',
    'MHz',
    'Current video clock.',
    (g) => Math.round(g.clocksMHz.graphics * 0.9),
  ],
  ['clocks.max.graphics', 'MHz', 'Maximum graphics clock.', (g) => g.spec.maxClockMHz.graphics],
  ['clocks.max.sm', 'MHz', 'Maximum SM clock.', (g) => g.spec.maxClockMHz.sm],
  ['clocks.max.memory', 'MHz', 'Maximum memory clock.', (g) => g.spec.maxClockMHz.memory],
  [
    'pcie.link.gen.current',
    '',
    'Current PCI-E generation (deprecated name).',
    (g) => g.spec.pcie.gen,
  ],
  ['pcie.link.gen.gpucurrent', '', 'Current PCI-E link generation.', (g) => g.spec.pcie.gen],
  ['pcie.link.gen.max', '', 'Maximum PCI-E link generation.', (g) => g.spec.pcie.gen],
  ['pcie.link.width.current', '', 'Current PCI-E link width.', (g) => g.spec.pcie.width],
];

export const CSV_FIELDS: Readonly<Record<string, CsvField>> = Object.fromEntries(
  ROWS.map(([field, unit, help, value]) => [
    field,
    {
      header: unit === '' ? field : `${field} [${unit}]`,
      help,
      value: (g: GpuReading) => (unit === '' ? String(value(g)) : `${value(g)} ${unit}`),
    },
  ]),
);

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
