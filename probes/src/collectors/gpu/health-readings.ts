import { HEALTH_FIELDS, type HealthField } from './health-fields.js';
import { canonicalBusId, isAbsentText, readXmlValue, unreadableReason } from './health-values.js';
import { firstTextAt, type ParsedXml, textAt, texts, type XmlGpu } from './health-xml.js';

export interface HealthSample {
  readonly field: HealthField;
  readonly value: number;
}

/** One GPU's health: who it is, whether it could be read, and its readings if so. */
export interface GpuHealth {
  /** `00000000:81:00.0`, as nvidia-smi prints it. */
  readonly busId: string;
  /** As printed (`GPU-…`); '' when the output does not say. */
  readonly uuid: string;
  /** nvidia-smi's index ('' when the output does not say: a GPU it could not list). */
  readonly index: string;
  /** Why it could not be read (`fallen_off_the_bus`, `unknown_error`, …); undefined if it could. */
  readonly unreadable: string | undefined;
  /** Its readings; none when it is unreadable, never zeros in their place. */
  readonly samples: readonly HealthSample[];
}

/** One GPU of the XML, read. Pure. */
export function readGpuHealth(gpu: XmlGpu): GpuHealth {
  const busId =
    canonicalBusId(gpu.id) ??
    canonicalBusId(textAt(gpu.node, ['pci', 'pci_bus_id']) ?? '') ??
    gpu.id;
  const uuidText = textAt(gpu.node, ['uuid']) ?? '';
  const uuid = isAbsentText(uuidText) || unreadableReason(uuidText) ? '' : uuidText;
  const identity = { busId, uuid, index: String(gpu.position) };
  const unreadable = reasonIn(gpu);
  if (unreadable !== undefined) return { ...identity, unreadable, samples: [] };
  const samples: HealthSample[] = [];
  for (const field of HEALTH_FIELDS) {
    const text = firstTextAt(gpu.node, field.paths);
    const value = text === undefined ? undefined : readXmlValue(text, field.kind);
    if (value !== undefined) samples.push({ field, value });
  }
  return { ...identity, unreadable: undefined, samples };
}

/** The first text of the GPU's element that says it cannot be read. */
function reasonIn(gpu: XmlGpu): string | undefined {
  for (const text of texts(gpu.node)) {
    const reason = unreadableReason(text);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

const NO_HANDLE =
  /Unable to determine the device handle for (?:GPU|gpu) ?([0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])(?::? ?(.*))?/g;

/**
 * GPUs nvidia-smi could not open, by bus id, with the reason, from what it printed
 * (`Unable to determine the device handle for GPU0000:18:00.0: GPU is lost. Reboot…`).
 * Such a GPU is missing from the XML, or the whole run failed because of it.
 */
export function lostGpus(printed: string): Map<string, string> {
  const lost = new Map<string, string>();
  for (const match of printed.matchAll(NO_HANDLE)) {
    const busId = canonicalBusId(match[1] ?? '');
    if (busId === undefined) continue;
    const said = unreadableReason(match[2] ?? '');
    lost.set(busId, said === undefined || said === 'no_device_handle' ? 'no_device_handle' : said);
  }
  return lost;
}

/** Every GPU of one run: those in the XML, then those it could not open. */
export function readHealth(parsed: ParsedXml, printed: string): GpuHealth[] {
  const gpus = parsed.ok ? parsed.gpus.map(readGpuHealth) : [];
  const listed = new Set(gpus.map((gpu) => gpu.busId));
  for (const [busId, reason] of lostGpus(printed)) {
    if (!listed.has(busId))
      gpus.push({ busId, uuid: '', index: '', unreadable: reason, samples: [] });
  }
  return gpus;
}
