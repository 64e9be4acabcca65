/**
 * JSON-field assertions for HTTP bodies: `$.status == "healthy"`, `$.models[0].ready != false`,
 * or a bare path (`$.generation`) meaning "present and not null". Deliberately a small subset
 * of JSONPath (dot and index steps only): full JSONPath engines evaluate script expressions,
 * which has no place in a probe config.
 */
export interface JsonAssertion {
  readonly source: string;
  readonly path: readonly (string | number)[];
  readonly op: '==' | '!=' | 'exists';
  readonly expected: unknown;
}

const ASSERTION = /^\s*(\$[^=!]*?)\s*(?:(==|!=)\s*(.+?))?\s*$/;
const STEP = /^(?:\.([A-Za-z_][\w-]*)|\[(\d+)\]|\["([^"]*)"\])/;

/** Parses one assertion; throws an Error whose message says what is valid. */
export function parseJsonAssertion(source: string): JsonAssertion {
  const match = ASSERTION.exec(source);
  if (!match?.[1]) {
    throw new Error(
      `invalid JSON assertion "${source}": expected "$.path", "$.path == <JSON value>" or "$.path != <JSON value>"`,
    );
  }
  const path = parsePath(match[1], source);
  if (!match[2]) return { source, path, op: 'exists', expected: undefined };
  let expected: unknown;
  try {
    expected = JSON.parse(match[3] ?? '');
  } catch {
    throw new Error(
      `invalid JSON assertion "${source}": ${match[3] ?? ''} is not a JSON value (strings need double quotes, e.g. "healthy")`,
    );
  }
  return { source, path, op: match[2] === '==' ? '==' : '!=', expected };
}

function parsePath(text: string, source: string): (string | number)[] {
  const steps: (string | number)[] = [];
  let rest = text.slice(1);
  while (rest.length > 0) {
    const step = STEP.exec(rest);
    if (!step) {
      throw new Error(
        `invalid JSON assertion "${source}": cannot read the path at "${rest}" (use .field, [index] or ["field"])`,
      );
    }
    steps.push(step[2] !== undefined ? Number(step[2]) : (step[1] ?? step[3] ?? ''));
    rest = rest.slice(step[0].length);
  }
  return steps;
}

/** Undefined when the assertion holds, else a sentence saying what was found. */
export function checkJsonAssertion(
  assertion: JsonAssertion,
  document: unknown,
): string | undefined {
  let value: unknown = document;
  for (const step of assertion.path) {
    if (value === null || typeof value !== 'object') {
      value = undefined;
      break;
    }
    value = (value as Record<string | number, unknown>)[step];
  }
  const found = value === undefined ? 'nothing' : JSON.stringify(value);
  if (assertion.op === 'exists') {
    return value === undefined || value === null
      ? `${assertion.source}: found ${found}`
      : undefined;
  }
  const equal = deepEqual(value, assertion.expected);
  if ((assertion.op === '==') === equal) return undefined;
  return `${assertion.source}: found ${found}`;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
