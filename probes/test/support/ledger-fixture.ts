import { pino } from 'pino';
import {
  createLedgerRoot as createBareLedgerRoot,
  EXPORTS_DIR,
  LEDGER,
  type LedgerRoot as BareLedgerRoot,
} from '../../../ledger/test/support/ledger-root.js';
import type { ChecksumCollectorSettings } from '../../src/config/collector-settings.js';

/** A pipeline checkout (ledger/test/support) with the collector settings that point at it. */
export interface LedgerRoot extends BareLedgerRoot {
  settings(overrides?: Partial<ChecksumCollectorSettings>): ChecksumCollectorSettings;
}

export async function createLedgerRoot(): Promise<LedgerRoot> {
  const fixture = await createBareLedgerRoot();
  return {
    ...fixture,
    settings: (overrides = {}) => ({
      enabled: true,
      root: fixture.root,
      ledger: LEDGER,
      exports_dir: EXPORTS_DIR,
      interval: 60_000,
      full_pass_interval: 6 * 3_600_000,
      hash_workers: 1,
      read_chunk_size: 4 * 1024 * 1024,
      ...overrides,
    }),
  };
}

/** A logger that keeps its lines, so tests can assert what was logged. */
export function capturingLogger(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
