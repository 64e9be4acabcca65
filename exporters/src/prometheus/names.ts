/**
 * OpenTelemetry → Prometheus names, after the OpenTelemetry specification's "Prometheus and
 * OpenMetrics compatibility" rules: invalid characters become `_`, the unit becomes a
 * suffix (`s` → `_seconds`, `usd/h` → `_usd_per_hour`, `{task}` → nothing) and monotonic
 * sums end in `_total`. Pure; the catalogue's names are pinned against it in tests.
 */

/** How a Prometheus family is typed, which decides the `_total` and `_ratio` suffixes. */
export type PrometheusType = 'counter' | 'gauge' | 'histogram';

const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  bit: 'bits',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};

const PER_WORDS: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  min: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

/** `http.server.request.duration` + `s` + histogram → `http_server_request_duration_seconds`. */
export function prometheusMetricName(name: string, unit: string, type: PrometheusType): string {
  let result = sanitizeName(name, /[^a-zA-Z0-9_:]/g);
  const suffix = unitSuffix(unit, type);
  if (suffix !== '' && !result.endsWith(`_${suffix}`)) result = `${result}_${suffix}`;
  if (type === 'counter') result = `${result.replace(/_total$/, '')}_total`;
  return result;
}

/** `http.response.status_code` → `http_response_status_code`; never starts with a digit. */
export function prometheusLabelName(key: string): string {
  return sanitizeName(key, /[^a-zA-Z0-9_]/g);
}

/** The suffix a unit adds; `''` for dimensionless annotations such as `{task}`. */
export function unitSuffix(unit: string, type: PrometheusType): string {
  const bare = unit.replace(/\{[^}]*\}/g, '').trim();
  if (bare === '') return '';
  if (bare === '1') return type === 'gauge' ? 'ratio' : '';
  const slash = bare.indexOf('/');
  if (slash === -1) return word(UNIT_WORDS[bare] ?? bare);
  const top = bare.slice(0, slash);
  const bottom = bare.slice(slash + 1);
  const per = word(PER_WORDS[bottom] ?? UNIT_WORDS[bottom] ?? bottom);
  return top === '' || top === '1' ? `per_${per}` : `${word(UNIT_WORDS[top] ?? top)}_per_${per}`;
}

function word(text: string): string {
  return sanitizeName(text, /[^a-zA-Z0-9_]/g);
}

function sanitizeName(text: string, invalid: RegExp): string {
  const cleaned = text.replace(invalid, '_').replace(/_{2,}/g, '_');
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}
