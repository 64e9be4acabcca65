import { formatFieldPath } from './config-error.js';

/** A key an older config may still use, and the key that replaced it. */
export interface RenamedKey {
  /** The block that holds the key, as a dotted field path (`collectors`). */
  readonly block: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Keys renamed since they were first documented. Each is still rejected as unknown, but
 * its message names the new key, so an old config fails with the fix instead of a guess.
 */
export const RENAMED_KEYS: readonly RenamedKey[] = [
  // The checksum collector verifies the ledger's SHA-256 checksums; "telemetry" is the
  // factory's exports, which it checks, not the collector itself.
  { block: 'collectors', from: 'telemetry', to: 'checksums' },
];

/** The message for `key` at `path` when it was renamed; undefined otherwise. */
export function renamedKeyMessage(
  path: readonly (string | number)[],
  key: string,
): string | undefined {
  const block = formatFieldPath(path);
  const renamed = RENAMED_KEYS.find((r) => r.block === block && r.from === key);
  if (renamed === undefined) return undefined;
  const to = formatFieldPath([...path, renamed.to]);
  return `"${key}" was renamed "${renamed.to}": write ${to} instead (same settings)`;
}
