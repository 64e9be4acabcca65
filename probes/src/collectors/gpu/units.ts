import type { PrintedUnit, ValueKind } from './fields.js';

/**
 * One cell of nvidia-smi's CSV as a number in base units, or `undefined` when it is absent.
 * Absent is never zero: `[N/A]`, `[Not Supported]`, `[Insufficient Permissions]`,
 * `[Unknown Error]`, `[Requested functionality has been deprecated]`, `[Function Not Found]`
 * (any bracketed text), a bare `N/A`, `-` and an empty cell all mean "no reading".
 */
export type CellValue =
  | { readonly kind: 'value'; readonly value: number }
  | { readonly kind: 'absent' }
  /** Text that is neither a reading nor a known "absent" token (reported, then skipped). */
  | { readonly kind: 'unreadable' };

const ABSENT: CellValue = { kind: 'absent' };
const UNREADABLE: CellValue = { kind: 'unreadable' };

/** Units nvidia-smi prints, as `value * multiplier / divisor` in the base unit of the family. */
interface Conversion {
  readonly family: 'ratio' | 'bytes' | 'hertz' | 'watts' | 'seconds' | 'plain';
  readonly multiplier: number;
  /** Dividing (not multiplying by 0.01) keeps `7 %` exactly 0.07. */
  readonly divisor: number;
}

const CONVERSIONS: Readonly<Record<string, Conversion>> = {
  '%': { family: 'ratio', multiplier: 1, divisor: 100 },
  B: { family: 'bytes', multiplier: 1, divisor: 1 },
  KiB: { family: 'bytes', multiplier: 1024, divisor: 1 },
  MiB: { family: 'bytes', multiplier: 1024 ** 2, divisor: 1 },
  GiB: { family: 'bytes', multiplier: 1024 ** 3, divisor: 1 },
  kHz: { family: 'hertz', multiplier: 1e3, divisor: 1 },
  MHz: { family: 'hertz', multiplier: 1e6, divisor: 1 },
  GHz: { family: 'hertz', multiplier: 1e9, divisor: 1 },
  mW: { family: 'watts', multiplier: 1, divisor: 1000 },
  W: { family: 'watts', multiplier: 1, divisor: 1 },
  us: { family: 'seconds', multiplier: 1, divisor: 1e6 },
  ms: { family: 'seconds', multiplier: 1, divisor: 1e3 },
  s: { family: 'seconds', multiplier: 1, divisor: 1 },
  '': { family: 'plain', multiplier: 1, divisor: 1 },
};

/** The conversion from a header's unit to the unit a field's series is named for, if any. */
export function conversionFor(headerUnit: string, expected: PrintedUnit): Conversion | undefined {
  const from = CONVERSIONS[headerUnit];
  const to = CONVERSIONS[expected];
  return from && to && from.family === to.family ? from : undefined;
}

/** True for the tokens that mean "no reading". */
export function isAbsentToken(text: string): boolean {
  return (
    text === '' || text === 'N/A' || text === '-' || (text.startsWith('[') && text.endsWith(']'))
  );
}

const NUMBER = /^(-?\d+(?:\.\d+)?)(?: ?([A-Za-z%]+))?$/;
const PSTATE = /^P(\d{1,2})$/;

/** Reads one trimmed cell; `conversion` comes from the column's header unit. */
export function readCell(text: string, kind: ValueKind, conversion: Conversion): CellValue {
  if (isAbsentToken(text)) return ABSENT;
  switch (kind) {
    case 'pstate': {
      const match = PSTATE.exec(text);
      return match ? { kind: 'value', value: Number(match[1]) } : UNREADABLE;
    }
    case 'enabled':
      if (text === 'Enabled') return { kind: 'value', value: 1 };
      if (text === 'Disabled') return { kind: 'value', value: 0 };
      return UNREADABLE;
    case 'number':
      return readNumber(text, conversion);
  }
}

function readNumber(text: string, conversion: Conversion): CellValue {
  const match = NUMBER.exec(text);
  if (!match) return UNREADABLE;
  // A cell may carry its own unit (`1474 MiB`); it must be of the header's family.
  const own = match[2] === undefined ? conversion : CONVERSIONS[match[2]];
  if (!own || own.family !== conversion.family) return UNREADABLE;
  return { kind: 'value', value: (Number(match[1]) * own.multiplier) / own.divisor };
}
