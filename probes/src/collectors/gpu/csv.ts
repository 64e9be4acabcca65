import {
  GAUGE_FIELDS,
  type GaugeField,
  LABEL_FIELDS,
  type LabelField,
  namesOf,
  REQUIRED_FIELDS,
} from './fields.js';
import { conversionFor, isAbsentToken, readCell } from './units.js';

/** One GPU row: its identity and its readings in base units (absent readings have no key). */
export interface GpuReading {
  /** `index` as printed (`0`, `1`, …): unique per output, unlike a masked uuid. */
  readonly index: string;
  readonly uuid: string;
  readonly name: string;
  readonly driverVersion: string;
  readonly pciBusId: string;
  /** By series name (`nvidia_smi_memory_used_bytes` → bytes). */
  readonly values: ReadonlyMap<string, number>;
}

export type ParsedGpus =
  | {
      readonly ok: true;
      readonly gpus: readonly GpuReading[];
      /** `field="text"` of cells that were neither a reading nor an "absent" token. */
      readonly unreadable: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

/** A header cell: `memory.used [MiB]` or `index`. */
const HEADER_CELL = /^([A-Za-z][A-Za-z0-9_.]*)(?: \[([^\]]+)\])?$/;

interface Column<F> {
  readonly at: number;
  readonly spec: F;
}
type GaugeColumn = Column<GaugeField> & {
  readonly conversion: NonNullable<ReturnType<typeof conversionFor>>;
};

/**
 * Parses `nvidia-smi --query-gpu=… --format=csv` output: a header naming the fields (with
 * units), then one row per GPU, cells separated by `, `. Columns are found by name, so extra
 * or reordered fields (a capture asked for 200 of them) do no harm; a field whose header
 * unit cannot convert to its series' unit is left out. Pure: tested by exact values.
 */
export function parseNvidiaSmiCsv(text: string): ParsedGpus {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const [headerLine, ...rows] = lines;
  if (headerLine === undefined) return fail('output is empty');
  const header = headerFor(headerLine);
  if (typeof header === 'string') return fail(header);

  const gpus: GpuReading[] = [];
  const unreadable: string[] = [];
  const seen = new Set<string>();
  for (const [i, line] of rows.entries()) {
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length !== header.width) {
      return fail(`row ${i + 1} has ${cells.length} values where the header has ${header.width}`);
    }
    const gpu = readRow(cells, header, unreadable);
    if (typeof gpu === 'string') return fail(`row ${i + 1}: ${gpu}`);
    if (seen.has(gpu.index)) return fail(`GPU index ${gpu.index} appears twice`);
    seen.add(gpu.index);
    gpus.push(gpu);
  }
  return { ok: true, gpus, unreadable };
}

interface Header {
  readonly width: number;
  readonly labels: ReadonlyMap<LabelField, number>;
  readonly gauges: readonly GaugeColumn[];
}

/** Every run prints the same header: parse it once (a capture's 212 fields cost ~60 µs). */
let lastHeader: { readonly line: string; readonly parsed: Header | string } | undefined;

function headerFor(line: string): Header | string {
  if (lastHeader?.line !== line) lastHeader = { line, parsed: parseHeader(line) };
  return lastHeader.parsed;
}

function parseHeader(line: string): Header | string {
  const cells = line.split(',');
  const byField = new Map<string, { at: number; unit: string }>();
  for (const [at, raw] of cells.entries()) {
    const match = HEADER_CELL.exec(raw.trim());
    if (!match?.[1]) return `not nvidia-smi CSV: header cell ${at + 1} is ${quote(raw.trim())}`;
    byField.set(match[1], { at, unit: match[2] ?? '' });
  }
  // A renamed field is printed under the name it was asked for: the new one first.
  const columnOf = (field: string) =>
    namesOf(field)
      .map((name) => byField.get(name))
      .find((column) => column !== undefined);
  const missing = REQUIRED_FIELDS.filter((field) => !columnOf(field));
  if (missing.length > 0) {
    return `not nvidia-smi CSV: the header lacks ${missing.join(', ')} (starts ${quote(line)})`;
  }
  const labels = new Map<LabelField, number>();
  for (const field of LABEL_FIELDS) {
    const column = columnOf(field);
    if (column) labels.set(field, column.at);
  }
  const gauges: GaugeColumn[] = [];
  for (const spec of GAUGE_FIELDS) {
    const column = columnOf(spec.field);
    const conversion = column && conversionFor(column.unit, spec.unit);
    if (column && conversion) gauges.push({ at: column.at, spec, conversion });
  }
  return { width: cells.length, labels, gauges };
}

function readRow(
  cells: readonly string[],
  header: Header,
  unreadable: string[],
): GpuReading | string {
  const label = (field: LabelField): string => {
    const at = header.labels.get(field);
    const text = at === undefined ? '' : (cells[at] ?? '');
    return isAbsentToken(text) ? '' : text;
  };
  const index = label('index');
  if (!/^\d+$/.test(index)) return `index ${quote(index)} is not a GPU index`;
  const uuid = label('uuid');
  if (uuid === '') return `GPU ${index} has no uuid`;

  const values = new Map<string, number>();
  for (const { at, spec, conversion } of header.gauges) {
    const text = cells[at] ?? '';
    const cell = readCell(text, spec.kind, conversion);
    if (cell.kind === 'value') values.set(spec.metric, cell.value);
    else if (cell.kind === 'unreadable') unreadable.push(`${spec.field}=${quote(text)}`);
  }
  return {
    index,
    uuid,
    name: label('name'),
    driverVersion: label('driver_version'),
    pciBusId: label('pci.bus_id'),
    values,
  };
}

function fail(reason: string): ParsedGpus {
  return { ok: false, reason };
}

/** A short, quoted excerpt of untrusted text for a log line. */
function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}…` : flat);
}
