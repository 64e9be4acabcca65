/**
 * The values of `nvidia-smi -q -x`, read as numbers. The XML writes "absent" without the
 * CSV's brackets (`N/A`, `Not Supported`, `Requested functionality has been deprecated`);
 * both forms are read the same. Absent is never zero: it gives no value, and no series.
 */

/** Texts that mean "this GPU or driver has no such reading" (brackets stripped first). */
const ABSENT = new Set([
  '',
  'N/A',
  'Not Supported',
  'Function Not Found',
  'Requested functionality has been deprecated',
  'Insufficient Permissions',
  'Not Available',
  'None',
]);

/**
 * Texts that mean "the GPU could not be read", in the order a reason is chosen: the GPU is
 * then reported unreadable (`nvidia_smi_gpu_readable 0`) and none of its readings is shown.
 */
export const UNREADABLE_REASONS: readonly (readonly [reason: string, text: string])[] = [
  ['fallen_off_the_bus', 'GPU has fallen off the bus'],
  ['no_device_handle', 'Unable to determine the device handle'],
  ['gpu_lost', 'GPU is lost'],
  ['requires_reset', 'GPU requires reset'],
  ['unknown_error', 'Unknown Error'],
  ['err', 'ERR!'],
];

function bare(text: string): string {
  const trimmed = text.trim();
  return trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
}

export function isAbsentText(text: string): boolean {
  return ABSENT.has(bare(text));
}

/** The reason a text says the GPU is unreadable, if it says so. */
export function unreadableReason(text: string): string | undefined {
  return UNREADABLE_REASONS.find(([, marker]) => text.includes(marker))?.[0];
}

/** How a text becomes a number. */
export type XmlKind =
  /** `3`, `16x` (a link width), `31637354094 us` (→ seconds). */
  | 'number'
  /** `Enabled` 1, `Disabled` 0. */
  | 'enabled'
  /** `Active` 1, `Not Active` 0 (clock event reasons). */
  | 'active'
  /** `Yes` 1, `No` 0 (pending retirement, remap failure). */
  | 'yes';

const WORDS: Readonly<Record<Exclude<XmlKind, 'number'>, readonly [string, string]>> = {
  enabled: ['Enabled', 'Disabled'],
  active: ['Active', 'Not Active'],
  yes: ['Yes', 'No'],
};

const NUMBER = /^(-?\d+(?:\.\d+)?) ?(x|us|ms|s)?$/;
const SECONDS_PER: Readonly<Record<string, number>> = { us: 1e-6, ms: 1e-3, s: 1, x: 1 };

/** The number a text stands for; undefined when absent or not of that kind. */
export function readXmlValue(text: string, kind: XmlKind): number | undefined {
  const value = bare(text);
  if (ABSENT.has(value)) return undefined;
  if (kind !== 'number') {
    const [one, zero] = WORDS[kind];
    return value === one ? 1 : value === zero ? 0 : undefined;
  }
  const match = NUMBER.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * (SECONDS_PER[match[2] ?? 's'] ?? 1);
}

const BUS_ID = /^(?:PCI:)?([0-9a-fA-F]{4,8}):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})(?:\.([0-7]))?$/;

/**
 * A PCI bus id as nvidia-smi prints it (`00000000:81:00.0`), from any of its spellings:
 * the XML's `id`, the CSV's `pci.bus_id`, the kernel's `PCI:0000:81:00` (no function,
 * four-digit domain). Undefined when the text is none of them.
 */
export function canonicalBusId(text: string): string | undefined {
  const match = BUS_ID.exec(text.trim());
  if (!match) return undefined;
  const [, domain = '', bus = '', device = '', fn = '0'] = match;
  return `${domain.padStart(8, '0')}:${bus}:${device}.${fn}`.toUpperCase();
}
