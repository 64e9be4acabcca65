import { posix } from 'node:path';
import { entryLabel, type LedgerEntry, type ParsedLedger } from './schema.js';

/**
 * Why appending `entry` would spoil the ledger, or undefined. Checked under the lock, before
 * any file is renamed into place: a refused export leaves the files already cited intact.
 * Invalid entries count too: their order IDs and paths are taken all the same.
 */
export function findConflict(
  ledger: ParsedLedger | undefined,
  entry: LedgerEntry,
): string | undefined {
  if (ledger === undefined) return undefined;
  const owners = new Map<string, string>();
  for (const { index, entry: other } of ledger.valid) {
    if (other.order_id === entry.order_id) return duplicateOrder(entry.order_id, index);
    for (const file of other.evidence) {
      owners.set(posix.normalize(file.path), entryLabel(index, other.order_id));
    }
  }
  for (const invalid of ledger.invalid) {
    if (invalid.orderId === entry.order_id) return duplicateOrder(entry.order_id, invalid.index);
    for (const path of invalid.citedPaths) {
      owners.set(path, entryLabel(invalid.index, invalid.orderId));
    }
  }
  for (const [index, file] of entry.evidence.entries()) {
    const owner = owners.get(posix.normalize(file.path));
    if (owner !== undefined) {
      return (
        `files[${index}].name: ${JSON.stringify(file.path)} is already cited by ${owner}; ` +
        `an export never replaces another export's file`
      );
    }
  }
  return undefined;
}

function duplicateOrder(orderId: string, index: number): string {
  return (
    `orderId: ${JSON.stringify(orderId)} is already in the ledger as entries[${index}]; ` +
    `order IDs must be unique`
  );
}
