/** Byte sizes as blackbox_exporter writes them: `1048576`, `512KiB`, `10MB`, `1GiB`. */
const UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  KIB: 1024,
  MIB: 1024 ** 2,
  GIB: 1024 ** 3,
};
const SIZE = /^(\d+)\s*([KMG]i?B|B)?$/i;

/** Bytes, or undefined when `text` is not a size. */
export function parseByteSize(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isSafeInteger(text) && text >= 0 ? text : undefined;
  const match = SIZE.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * (UNITS[(match[2] ?? 'B').toUpperCase()] ?? 1);
}
