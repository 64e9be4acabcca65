import { createRequire } from 'node:module';
import type * as Ledger from '@layerwatch/ledger';
import type { LedgerEntry, LedgerWriter, LedgerWriterOptions } from '@layerwatch/ledger';
import { TELEMETRY_EXPORTS } from '../instruments/catalog.js';
import type { InstrumentFactory } from '../instruments/factory.js';
import type { GuardedCounter } from '../instruments/guarded.js';

/**
 * The factory pipeline's exports: a ledger writer (streaming SHA-256, atomic ledger append,
 * see `@layerwatch/ledger`) whose recorded exports and bytes are counted here, so the
 * checksum collector verifies what this wrote and Prometheus sees how much was written.
 */
export interface TelemetryExports {
  /** `layerwatch_telemetry_exports_total` */
  readonly exports: GuardedCounter<never>;
  /** `layerwatch_telemetry_exported_bytes_total` */
  readonly bytes: GuardedCounter<never>;
  /** Counts one recorded export; the writer calls it, or call it from your own writer. */
  readonly onExport: (entry: LedgerEntry, bytes: number) => void;
  /** A ledger writer whose recorded exports are counted (a given `onExport` runs as well). */
  ledgerWriter(options: LedgerWriterOptions): LedgerWriter;
}

let ledger: typeof Ledger | undefined;

/** Whether this Node can `require` an ES module (20.19+, 22.12+): the ledger's is one. */
const CAN_REQUIRE_ESM = (process.features as { require_module?: boolean }).require_module === true;

/**
 * The ledger package (about 2 MB of heap with its verifier and CLI, which a service that
 * writes no exports never uses), loaded by the first `ledgerWriter` call.
 */
function ledgerPackage(): typeof Ledger {
  ledger ??= createRequire(import.meta.url)('@layerwatch/ledger') as typeof Ledger;
  return ledger;
}

/**
 * Where Node cannot `require` an ES module, the ledger is imported while the instrumentation
 * starts instead, as it always was; elsewhere this does nothing.
 */
export async function preloadLedgerWhereNeeded(): Promise<void> {
  if (!CAN_REQUIRE_ESM) ledger ??= await import('@layerwatch/ledger');
}

export function createTelemetryExports(factory: InstrumentFactory): TelemetryExports {
  const exports = factory.counter(TELEMETRY_EXPORTS.exports);
  const bytes = factory.counter(TELEMETRY_EXPORTS.bytes);
  const onExport = (_entry: LedgerEntry, size: number): void => {
    exports.inc();
    bytes.add(size);
  };
  return {
    exports,
    bytes,
    onExport,
    ledgerWriter(options) {
      const own = options.onExport;
      return new (ledgerPackage().LedgerWriter)({
        ...options,
        onExport: (entry, size) => {
          onExport(entry, size);
          own?.(entry, size);
        },
      });
    },
  };
}
