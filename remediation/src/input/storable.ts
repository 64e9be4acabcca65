/** Bounds on what any value may be before it reaches a store (SQLite or PostgreSQL). */
export const STORABLE_LIMITS = { depth: 32, bytes: 256 * 1024 } as const;

/** A value a store would refuse or mangle; `field` names where, as `params.a.0.b`. */
export class StorableError extends Error {
  override readonly name = 'StorableError';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** How a key or value is written inside an error message: control characters escaped. */
export function printable(text: string, max = 80): string {
  const json = JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
  return json.slice(1, -1);
}

const NUL = '\u0000';

/**
 * Walks a JSON-like value without recursion (a 10,000-deep body must not overflow the
 * stack here or later): no NUL in any string or key (PostgreSQL TEXT refuses it), no
 * `__proto__` key (JSON.parse keeps it, object spreads then drop it silently), depth and
 * total text size bounded. Returns the first problem, or undefined.
 */
export function checkStorable(
  value: unknown,
  field: string,
  limits: { depth: number; bytes: number } = STORABLE_LIMITS,
): StorableError | undefined {
  const stack: [unknown, string, number][] = [[value, field, 0]];
  let bytes = 0;
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop() as [unknown, string, number];
    if (typeof v === 'string') {
      bytes += v.length;
      if (v.includes(NUL)) return new StorableError(path, 'contains a NUL byte');
    } else if (v !== null && typeof v === 'object') {
      if (depth >= limits.depth) {
        return new StorableError(path, `nested deeper than ${limits.depth} levels`);
      }
      const entries = Array.isArray(v)
        ? v.map((x, i) => [String(i), x] as const)
        : Object.entries(v as Record<string, unknown>);
      for (const [key, child] of entries) {
        const at = `${path}.${printable(key)}`;
        bytes += key.length;
        if (key.includes(NUL)) return new StorableError(at, 'the key contains a NUL byte');
        if (key === '__proto__')
          return new StorableError(at, '"__proto__" is not allowed as a key');
        stack.push([child, at, depth + 1]);
      }
    }
    if (bytes > limits.bytes) return new StorableError(field, `over ${limits.bytes} characters`);
  }
  return undefined;
}
