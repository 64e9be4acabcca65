/**
 * RFC 3339 instants as Alertmanager and older senders write them: any fraction precision
 * (up to nanoseconds), `Z` or an offset. Normalised to UTC with the fraction's trailing
 * zeros dropped, so `…37.803000000Z`, `…37.803Z` and `…31.803-06:00` agree.
 */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/;

export interface Instant {
  /** Canonical UTC text, e.g. `2018-03-07T11:33:21.873077559Z`. */
  readonly text: string;
  readonly epochMs: number;
}

export function parseInstant(value: string | undefined): Instant | undefined {
  const m = value === undefined ? null : RFC3339.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Go's zero time (0001-01-01…) means "not set" (endsAt of a firing alert).
  if (y < 1000) return undefined;
  const offset = m[8] === 'Z' || m[8] === 'z' ? 0 : offsetMinutes(m[8] as string);
  const epochSeconds = Date.UTC(y, mo - 1, d, h, mi, s) / 1000 - offset * 60;
  if (!Number.isFinite(epochSeconds)) return undefined;
  const fraction = (m[7] ?? '').padEnd(9, '0').replace(/0+$/, '');
  const base = new Date(epochSeconds * 1000).toISOString().slice(0, 19);
  return {
    text: `${base}${fraction ? `.${fraction}` : ''}Z`,
    epochMs: epochSeconds * 1000 + Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)),
  };
}

function offsetMinutes(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const [h, m] = text.slice(1).split(':').map(Number) as [number, number];
  return sign * (h * 60 + m);
}
