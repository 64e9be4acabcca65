import { SettingsError } from './types.js';

/**
 * The password from `password`, or from the environment variable `password_env` names.
 * Read once, at config load: a missing variable fails the load, naming it, not every probe.
 */
export function resolvePassword(settings: {
  readonly password?: string | undefined;
  readonly password_env?: string | undefined;
}): string | undefined {
  if (settings.password_env === undefined) return settings.password;
  const value = process.env[settings.password_env];
  if (value === undefined) {
    throw new SettingsError(
      ['password_env'],
      `environment variable ${settings.password_env} is not set; export it or use password`,
    );
  }
  return value;
}
