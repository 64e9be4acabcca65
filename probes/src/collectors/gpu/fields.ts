/**
 * What the GPU collector asks `nvidia-smi --query-gpu` for, and how each field becomes a
 * series. One table, in query order: the query string, the metric names and the parser's
 * column lookup are all derived from it, so they cannot drift apart.
 *
 * Only fields every driver since R450 (the first with MIG) knows are asked for: nvidia-smi
 * refuses the whole query when one field is unknown to it. Where a newer driver renamed a
 * field ({@link RENAMED}), the query asks for the new name when the driver's
 * `--help-query-gpu` lists it (query-plan.ts); the series keeps the old name.
 */

/** The unit nvidia-smi prints in a field's CSV header (`memory.used [MiB]`); '' for none. */
export type PrintedUnit = '%' | 'MiB' | 'MHz' | 'W' | '';

/** How a cell's text becomes a number. */
export type ValueKind =
  /** `1474 MiB`, `7 %`, `84.24 W`, `43`: a number, converted from the printed unit. */
  | 'number'
  /** `P0` … `P15` → 0 … 15. */
  | 'pstate'
  /** `Enabled` → 1, `Disabled` → 0. */
  | 'enabled';

export interface GaugeField {
  /** The query field name, as nvidia-smi prints it in the header (without the unit). */
  readonly field: string;
  readonly unit: PrintedUnit;
  readonly kind: ValueKind;
  /** The series name, by nvidia_gpu_exporter's rule (see {@link exporterMetricName}). */
  readonly metric: string;
  readonly help: string;
}

/** Fields that identify a GPU: labels, never series of their own. */
export const LABEL_FIELDS = ['index', 'uuid', 'name', 'driver_version', 'pci.bus_id'] as const;
export type LabelField = (typeof LABEL_FIELDS)[number];

/**
 * Fields a newer driver knows under a new name (the old one marked deprecated in its help
 * text, and removed some day): the new names, preferred first. The CSV header then prints
 * the new name; the parser looks a field up under each of its names.
 */
export const RENAMED: Readonly<Record<string, readonly string[]>> = {
  driver_version: ['kmd_version'],
  'pcie.link.gen.current': ['pcie.link.gen.gpucurrent'],
};

/** The names a field may be asked for and printed under, the preferred one first. */
export function namesOf(field: string): readonly string[] {
  return [...(RENAMED[field] ?? []), field];
}

/** Without these a row cannot be told apart from another: the output is unusable. */
export const REQUIRED_FIELDS: readonly LabelField[] = ['index', 'uuid'];

type GaugeSpec = readonly [field: string, unit: PrintedUnit, kind: ValueKind, help: string];

const GAUGE_SPECS: readonly GaugeSpec[] = [
  ['pstate', '', 'pstate', 'Performance state, 0 (P0, maximum) to 15 (P15, minimum).'],
  ['mig.mode.current', '', 'enabled', 'Whether MIG mode is on (1) or off (0).'],
  ['fan.speed', '%', 'number', 'Fan speed the driver asks for, as a ratio (0-1).'],
  ['utilization.gpu', '%', 'number', 'Share of time a kernel ran (0-1); absent under MIG.'],
  ['utilization.memory', '%', 'number', 'Share of time memory was busy (0-1); absent under MIG.'],
  ['memory.total', 'MiB', 'number', 'Total device memory, in bytes.'],
  ['memory.used', 'MiB', 'number', 'Device memory allocated by active contexts, in bytes.'],
  ['memory.free', 'MiB', 'number', 'Free device memory, in bytes.'],
  ['temperature.gpu', '', 'number', 'Core GPU temperature, in degrees Celsius.'],
  ['temperature.memory', '', 'number', 'HBM memory temperature, in degrees Celsius.'],
  ['power.draw', 'W', 'number', 'Power draw of the whole board, in watts.'],
  ['power.limit', 'W', 'number', 'Software power limit, in watts.'],
  ['clocks.current.graphics', 'MHz', 'number', 'Current graphics clock, in hertz.'],
  ['clocks.current.sm', 'MHz', 'number', 'Current SM (streaming multiprocessor) clock, in hertz.'],
  ['clocks.current.memory', 'MHz', 'number', 'Current memory clock, in hertz.'],
  ['clocks.current.video', 'MHz', 'number', 'Current video encoder/decoder clock, in hertz.'],
  ['clocks.max.graphics', 'MHz', 'number', 'Maximum graphics clock, in hertz.'],
  ['clocks.max.sm', 'MHz', 'number', 'Maximum SM clock, in hertz.'],
  ['clocks.max.memory', 'MHz', 'number', 'Maximum memory clock, in hertz.'],
  ['pcie.link.gen.current', '', 'number', 'Current PCIe link generation.'],
  ['pcie.link.width.current', '', 'number', 'Current PCIe link width (lanes).'],
];

/**
 * nvidia_gpu_exporter's naming rule, so its public dashboards work unchanged: the unit in
 * the header picks a suffix (`[W]` → `_watts`, `[MHz]` → `_clock_hz`, `[MiB]` → `_bytes`,
 * `[%]` → `_ratio`), dots become underscores, camelCase becomes snake_case, and
 * `nvidia_smi_` goes first.
 */
export function exporterMetricName(field: string, unit: PrintedUnit): string {
  const suffix = { '%': '_ratio', MiB: '_bytes', MHz: '_clock_hz', W: '_watts', '': '' }[unit];
  const snake = `${field}${suffix}`
    .replace(/\./g, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
  return `nvidia_smi_${snake}`;
}

export const GAUGE_FIELDS: readonly GaugeField[] = GAUGE_SPECS.map(([field, unit, kind, help]) => ({
  field,
  unit,
  kind,
  help,
  metric: exporterMetricName(field, unit),
}));

/** Every field, in the order asked for (and printed). */
export const QUERY_FIELDS: readonly string[] = [
  ...LABEL_FIELDS,
  ...GAUGE_FIELDS.map((gauge) => gauge.field),
];

/**
 * The arguments of one run: the fast CSV path (~7 ms, where `-q -x` takes ~400 ms). Without
 * a field list (query-plan.ts) every field is asked for by its old name.
 */
export function nvidiaSmiArgs(fields: readonly string[] = QUERY_FIELDS): string[] {
  return [`--query-gpu=${fields.join(',')}`, '--format=csv'];
}
