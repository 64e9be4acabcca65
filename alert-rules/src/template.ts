/**
 * The subset of Prometheus's annotation templates our rules use, rendered the way
 * Prometheus renders them, so promtool tests can expect the exact annotation text:
 * `{{ $labels.NAME }}`, `{{ $value }}` and `{{ $value | humanize }}`,
 * `humanizePercentage`, `humanizeDuration`. Anything else is refused when the rule is
 * built, so an annotation never holds a template the tests cannot check.
 */
const ACTION = /\{\{\s*(.*?)\s*\}\}/g;
const LABEL = /^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)$/;
const VALUE = /^\$value(?:\s*\|\s*(humanize|humanizePercentage|humanizeDuration))?$/;

/** Throws naming the first template action outside the supported subset. */
export function checkTemplate(text: string, where: string): void {
  for (const [, action = ''] of text.matchAll(ACTION)) {
    if (!LABEL.test(action) && !VALUE.test(action)) {
      throw new Error(
        `${where}: template {{ ${action} }} is not supported; use {{ $labels.NAME }} or ` +
          '{{ $value }} with an optional | humanize, | humanizePercentage or | humanizeDuration',
      );
    }
  }
}

/** Renders `text` as Prometheus would for an alert with these labels and value. */
export function renderTemplate(
  text: string,
  labels: Readonly<Record<string, string>>,
  value: number | undefined,
): string {
  return text.replace(ACTION, (_, action: string) => {
    const label = LABEL.exec(action);
    // Prometheus expands with missingkey=zero: a missing label renders empty (promtool shows it).
    if (label) return labels[label[1] ?? ''] ?? '';
    const match = VALUE.exec(action);
    if (!match) throw new Error(`unsupported template {{ ${action} }}`);
    if (value === undefined) {
      throw new Error(`template {{ ${action} }} prints $value: give the scenario a value`);
    }
    switch (match[1]) {
      case 'humanize':
        return humanize(value);
      case 'humanizePercentage':
        return `${formatG4(value * 100)}%`;
      case 'humanizeDuration':
        return humanizeDuration(value);
      default:
        return formatFloat(value);
    }
  });
}

/** Go's `%v` of a float64: the shortest form, exponent from 1e21. */
function formatFloat(value: number): string {
  return String(value);
}

/** Go's `%.4g`: 4 significant digits, trailing zeros dropped, exponent below 1e-4 or from 1e4. */
export function formatG4(value: number): string {
  if (value === 0 || !Number.isFinite(value)) {
    return Number.isNaN(value) ? 'NaN' : value === 0 ? '0' : value > 0 ? '+Inf' : '-Inf';
  }
  const sign = value < 0 ? '-' : '';
  const { digits, exponent } = roundHalfEven(exactDecimal(Math.abs(value)), 4);
  const mantissa = stripZeros(`${digits[0]}.${digits.slice(1)}`);
  if (exponent < -4 || exponent >= 4) {
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${mantissa}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const all = exponent >= 0 ? digits.padEnd(exponent + 1, '0') : '0'.repeat(-exponent) + digits;
  const point = Math.max(exponent, 0) + 1;
  return sign + stripZeros(`${all.slice(0, point)}.${all.slice(point)}`);
}

/** The exact decimal digits of a positive double and the exponent of the first one. */
function exactDecimal(value: number): { digits: string; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const power = (biased === 0 ? 1 : biased) - 1075;
  // value = mantissa * 2^power = mantissa * 5^-power / 10^-power when power < 0.
  const integer = power >= 0 ? mantissa << BigInt(power) : mantissa * 5n ** BigInt(-power);
  const text = integer.toString();
  const scale = power >= 0 ? 0 : -power;
  const digits = text.replace(/0+$/, '') || '0';
  return { digits, exponent: text.length - 1 - scale };
}

/** Rounds to `precision` significant digits, ties to even, as Go's strconv does. */
function roundHalfEven(
  decimal: { digits: string; exponent: number },
  precision: number,
): { digits: string; exponent: number } {
  const { digits, exponent } = decimal;
  if (digits.length <= precision) return decimal;
  const kept = digits.slice(0, precision);
  const rest = digits.slice(precision);
  const half = rest[0] === '5' && /^50*$/.test(rest);
  const up =
    rest[0]! > '5' || (rest[0] === '5' && !half) || (half && Number(kept.at(-1)) % 2 === 1);
  if (!up) return { digits: kept, exponent };
  const bumped = (BigInt(kept) + 1n).toString();
  return bumped.length > precision
    ? { digits: bumped.slice(0, precision), exponent: exponent + 1 }
    : { digits: bumped, exponent };
}

function stripZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

function humanize(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return formatG4(value);
  let v = value;
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return `${formatG4(v)}${prefix}`;
}

function humanizeDuration(value: number): string {
  if (!Number.isFinite(value)) return formatG4(value);
  if (value === 0) return '0s';
  if (Math.abs(value) >= 1) {
    const sign = value < 0 ? '-' : '';
    const total = Math.trunc(Math.abs(value));
    const [s, m, h] = [total % 60, Math.trunc(total / 60) % 60, Math.trunc(total / 3600) % 24];
    const days = Math.trunc(total / 86_400);
    if (days !== 0) return `${sign}${days}d ${h}h ${m}m ${s}s`;
    if (h !== 0) return `${sign}${h}h ${m}m ${s}s`;
    if (m !== 0) return `${sign}${m}m ${s}s`;
    return `${sign}${formatG4(Math.abs(value))}s`;
  }
  let v = value;
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${formatG4(v)}${prefix}s`;
}
