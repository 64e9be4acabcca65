/** Reading and checking one setting from the config object or its environment variable. */

export type Env = Readonly<Record<string, string | undefined>>;

/** A configuration mistake found at start; the message names the setting and the fix. */
export class InstrumentationConfigError extends Error {
  override name = 'InstrumentationConfigError';
}

/** An environment variable's value, or undefined when unset or blank. */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** An integer in `min..max` from the option, else the variable, else the default. */
export function resolveInt(
  option: { name: string; value: number | undefined },
  env: { vars: Env; name: string },
  range: { min: number; max: number },
  fallback: number,
): number;
export function resolveInt(
  option: { name: string; value: number | undefined },
  env: { vars: Env; name: string },
  range: { min: number; max: number },
  fallback: number | undefined,
): number | undefined;
export function resolveInt(
  option: { name: string; value: number | undefined },
  env: { vars: Env; name: string },
  range: { min: number; max: number },
  fallback: number | undefined,
): number | undefined {
  const expected = `an integer in ${range.min}..${range.max}`;
  if (option.value !== undefined) {
    if (!Number.isInteger(option.value) || option.value < range.min || option.value > range.max) {
      throw new InstrumentationConfigError(
        `${option.name}: ${String(option.value)} is not ${expected}`,
      );
    }
    return option.value;
  }
  const text = envValue(env.vars, env.name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < range.min || value > range.max) {
    throw new InstrumentationConfigError(`${env.name}: ${JSON.stringify(text)} is not ${expected}`);
  }
  return value;
}

/** A non-empty string from the option (trimmed), else the first variable set, else the default. */
export function resolveString(
  option: { name: string; value: string | undefined },
  fromEnv: string | undefined,
  fallback: string,
): string {
  if (option.value !== undefined) {
    if (typeof option.value !== 'string' || option.value.trim() === '') {
      throw new InstrumentationConfigError(
        `${option.name}: ${JSON.stringify(option.value)} is empty`,
      );
    }
    return option.value.trim();
  }
  return fromEnv ?? fallback;
}

/** `OTEL_SDK_DISABLED`-style booleans: only `true` (any case) is true, as the spec says. */
export function envFlag(env: Env, name: string): boolean {
  return envValue(env, name)?.toLowerCase() === 'true';
}

/** A comma-separated list, lower-cased, blanks dropped (`OTEL_METRICS_EXPORTER`). */
export function envList(env: Env, name: string): string[] | undefined {
  const text = envValue(env, name);
  if (text === undefined) return undefined;
  return text
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '');
}

/**
 * `OTEL_RESOURCE_ATTRIBUTES`: `key=value` pairs separated by commas, values percent-decoded.
 * A malformed pair is skipped and reported, as the specification asks, never fatal.
 */
export function parseResourceAttributes(
  text: string | undefined,
  warn: (message: string) => void,
): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (text === undefined) return attributes;
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const equals = pair.indexOf('=');
    const key = equals === -1 ? '' : pair.slice(0, equals).trim();
    if (key === '') {
      warn(`OTEL_RESOURCE_ATTRIBUTES: ${JSON.stringify(pair)} is not key=value; skipped`);
      continue;
    }
    try {
      attributes[key] = decodeURIComponent(pair.slice(equals + 1).trim());
    } catch {
      warn(`OTEL_RESOURCE_ATTRIBUTES: ${JSON.stringify(pair)} has a bad percent-encoding; skipped`);
    }
  }
  return attributes;
}
