/**
 * Checks shared by every control endpoint and by the simulator's own options. Each message
 * names the field, the bad value and what is valid, so a curl user can fix the request
 * without reading this file.
 */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
}

export type JsonObject = Record<string, unknown>;

/** How a bad value reads in a message: JSON for plain values, words for the odd ones. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}

export function requireObject(value: unknown, what: string): JsonObject {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value as JsonObject;
  }
  // Express leaves the body undefined when the Content-Type is not JSON: say so.
  const hint = value === undefined ? ' (send Content-Type: application/json)' : '';
  throw new ValidationError(`${what}: expected a JSON object, got ${describeValue(value)}${hint}`);
}

/** Rejects keys outside `allowed`, hinting at the one the caller probably meant. */
export function rejectUnknownKeys(object: JsonObject, allowed: readonly string[], where: string) {
  for (const key of Object.keys(object)) {
    if (allowed.includes(key)) continue;
    const guess = closest(key, allowed);
    const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
    throw new ValidationError(
      `unknown key "${key}" in ${where}; valid keys are ${allowed.join(', ')}${hint}`,
    );
  }
}

export function oneOf<T extends string>(object: JsonObject, key: string, allowed: readonly T[]): T {
  const value = object[key];
  if (value === undefined) {
    throw new ValidationError(`${key}: missing; expected one of ${allowed.join(', ')}`);
  }
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) {
    return value as T;
  }
  throw new ValidationError(`${key}: ${describeValue(value)} is not one of ${allowed.join(', ')}`);
}

/** An optional integer in `min..max`; undefined when the key is absent. */
export function optionalInt(
  object: JsonObject,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
    return value;
  }
  throw new ValidationError(`${key}: ${describeValue(value)} is not an integer in ${min}..${max}`);
}

export function requireBoolean(object: JsonObject, key: string): boolean {
  const value = object[key];
  if (typeof value === 'boolean') return value;
  throw new ValidationError(`${key}: ${describeValue(value)} is not true or false`);
}

/** The allowed word a typo most likely meant: same letters, a prefix, or ≤2 edits away. */
export function closest(word: string, allowed: readonly string[]): string | undefined {
  const plain = (text: string) => text.toLowerCase().replace(/[-_]/g, '');
  let best: { word: string; distance: number } | undefined;
  for (const candidate of allowed) {
    if (plain(candidate) === plain(word)) return candidate;
    const distance =
      candidate.startsWith(word) || word.startsWith(candidate) ? 1 : edits(word, candidate);
    if (distance <= 2 && (best === undefined || distance < best.distance)) {
      best = { word: candidate, distance };
    }
  }
  return best?.word;
}

function edits(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(
        Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
